package awserr

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
)

// The SDK retries a failed call only briefly: the host has its own backoff with jitter
// and keeps serving valid credentials meanwhile, so a long wait inside a source would
// only hold a refresh (and its RPC deadline) hostage.
const (
	sdkMaxAttempts = 2
	sdkMaxBackoff  = time.Second
)

// Retryer returns the SDK retryer of every AWS call a source makes: two attempts and a
// backoff of at most a second.
func Retryer() aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = sdkMaxAttempts
		o.MaxBackoff = sdkMaxBackoff
	})
}

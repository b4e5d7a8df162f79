// Package awserr turns the failure of an AWS SDK call into a *shared.Error, the same
// way for every credential source that calls AWS: brs's own (sts, web_identity, sso)
// and any third-party plugin built on aws-sdk-go-v2. Importing it brings the AWS SDK
// into a plugin; plugins that call no AWS API have no need of it.
//
// The common part is here: an API error's code decides whether the failure is
// permanent or retryable, its HTTP status and request ID are named in the message for
// support cases and CloudTrail searches, timeouts, cancellations and network failures
// are retryable, and secrets are removed from the message. Each source gives its own
// error codes and the advice that goes with them in a Classifier.
package awserr

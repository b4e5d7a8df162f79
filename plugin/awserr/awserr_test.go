package awserr_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/smithy-go"

	"github.com/brs-go/brs/plugin/awserr"
)

func TestClassifyCodes(t *testing.T) {
	c := awserr.Classifier{
		Service:    "Svc",
		FailedCode: "CallFailed",
		Transient:  map[string]string{"Soon": "wait"},
		Permanent:  map[string]string{"Never": "fix it"},
		Retryable:  map[string]bool{"Busy": true},
	}
	for _, tc := range []struct {
		code, want string
		retryable  bool
	}{
		{"Soon", "Call x detail: boom; wait", true},
		{"Never", "Call x detail: boom; fix it", false},
		{"Busy", "Call x detail: boom; retrying later may succeed", true},
		{"Other", "Call x detail: boom", true},
	} {
		e := c.Classify(context.Background(), &smithy.GenericAPIError{Code: tc.code, Message: "boom"}, "Call x", " detail")
		if e.Code != tc.code || e.Message != tc.want || e.Retryable != tc.retryable {
			t.Errorf("%s: got %+v, want message %q retryable %v", tc.code, e, tc.want, tc.retryable)
		}
	}

	e := c.Classify(context.Background(), errors.New("odd"), "Call x", " detail")
	if e.Code != "CallFailed" || e.Message != "Call x: odd" || !e.Retryable {
		t.Errorf("other error: got %+v", e)
	}
	e = c.Classify(context.Background(), context.DeadlineExceeded, "Call x", "")
	if e.Code != "Timeout" || !e.Retryable {
		t.Errorf("timeout: got %+v", e)
	}
}

func TestDescribeResponse(t *testing.T) {
	if got := awserr.DescribeResponse(0, ""); got != "" {
		t.Errorf("nothing: got %q", got)
	}
	if got, want := awserr.DescribeResponse(403, "rid"), " (HTTP 403, request ID rid)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestRedact(t *testing.T) {
	got := awserr.Redact("a secret123 and short and 123456", []string{"", "short", "secret123", "123456"}, 6)
	if want := "a [redacted] and short and [redacted]"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if strings.Contains(awserr.Redact("x", []string{""}, 0), "[redacted]") {
		t.Error("an empty secret was redacted")
	}
}

package shared_test

import (
	"testing"

	"github.com/brs-go/brs/shared"
)

func TestInvalidConfig(t *testing.T) {
	ds := shared.Diagnostics{
		shared.ErrorDiag("", "Missing token", "Set %s.", "token"),
		shared.WarningDiag("dir", "Relative dir", "Use an absolute path."),
		shared.ErrorDiag("role_arn", "Invalid role ARN", "%q is not an ARN.", "x"),
	}
	e := shared.InvalidConfig("sts", ds)
	want := `invalid sts config: Missing token: Set token.; role_arn: Invalid role ARN: "x" is not an ARN.`
	if e.Code != "InvalidConfig" || e.Retryable || e.Message != want {
		t.Errorf("got %+v, want message %q", e, want)
	}
}

func TestDecode(t *testing.T) {
	var v struct {
		A string `json:"a"`
	}
	if ds := shared.DecodeConfig(shared.Config(`{"a":"x"}`), &v); ds != nil || v.A != "x" {
		t.Errorf("got %v and %q, want no diagnostics and \"x\"", ds, v.A)
	}
	ds := shared.DecodeConfig(shared.Config(`{"b":1}`), &v)
	if !ds.HasErrors() || ds[0].Summary != "Invalid config" || ds[0].Attribute != "" {
		t.Errorf("unknown attribute: got %v, want an Invalid config error", ds)
	}
}

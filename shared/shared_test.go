package shared_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/plugin/plugintest"
	"github.com/brs-go/brs/shared"
)

// scripted is a Refresher whose answers the test sets, and which records what it got.
type scripted struct {
	schema shared.Schema
	env    []string
	diags  shared.Diagnostics
	creds  shared.Credentials
	err    error
	got    shared.RefreshRequest
	role   string // the role of the last Validate
}

func (s *scripted) Schema(context.Context, *shared.SchemaRequest) (*shared.SchemaResponse, error) {
	return &shared.SchemaResponse{Schema: s.schema, Environment: s.env}, s.err
}
func (s *scripted) Validate(_ context.Context, req *shared.ValidateRequest) (*shared.ValidateResponse, error) {
	s.got.Config, s.role = req.Config, req.Role
	return &shared.ValidateResponse{Diagnostics: s.diags}, nil
}
func (s *scripted) Refresh(_ context.Context, req *shared.RefreshRequest) (*shared.RefreshResponse, error) {
	s.got = *req
	if s.err != nil {
		return nil, s.err
	}
	return &shared.RefreshResponse{Credentials: s.creds}, nil
}

func TestRoundTrip(t *testing.T) {
	exp := time.Date(2026, 11, 24, 13, 0, 0, 123, time.UTC)
	s := &scripted{
		schema: shared.Schema{Description: "d", Attributes: []shared.Attribute{
			{Name: "a", Type: shared.TypeString, Required: true, Description: "x"},
			{Name: "b", Type: shared.TypeStringMap, Sensitive: true, Description: "y"},
			{Name: "c", Type: shared.TypeString, Command: true, Description: "z"},
		}},
		env: []string{"VAULT_ADDR", "VAULT_*"},
		diags: shared.Diagnostics{
			{Severity: shared.SeverityError, Summary: "bad", Detail: "very", Attribute: "a"},
			{Severity: shared.SeverityWarning, Summary: "meh"},
		},
		creds: shared.Credentials{AccessKeyID: "AKID", SecretAccessKey: "S", SessionToken: "T", Expires: exp, AccountID: "1", ARN: "arn"},
	}
	r := plugintest.Connect(t, s)
	ctx := context.Background()

	sc, err := r.Schema(ctx, &shared.SchemaRequest{})
	if err != nil || fmt.Sprint(sc.Schema) != fmt.Sprint(s.schema) || fmt.Sprint(sc.Environment) != fmt.Sprint(s.env) {
		t.Fatalf("schema %+v, %v", sc, err)
	}
	// An environment the host could not match is refused on receipt.
	s.env = []string{"VAULT_ADDR", "*"}
	if _, err := r.Schema(ctx, &shared.SchemaRequest{}); err == nil || !strings.Contains(err.Error(), `environment variable "*"`) {
		t.Fatalf("a bare * crossed the wire: %v", err)
	}
	vr, err := r.Validate(ctx, &shared.ValidateRequest{Role: "app", Config: shared.Config(`{"a":"x"}`)})
	if err != nil || fmt.Sprint(vr.Diagnostics) != fmt.Sprint(s.diags) || !vr.Diagnostics.HasErrors() || string(s.got.Config) != `{"a":"x"}` || s.role != "app" {
		t.Fatalf("diags %+v, %v; the plugin got role %q", vr, err, s.role)
	}
	req := &shared.RefreshRequest{Role: "r", Config: shared.Config(`{}`), Region: "eu-west-1", Endpoint: "http://x",
		Source: &shared.Credentials{AccessKeyID: "SRC", SecretAccessKey: "SS"}, Previous: &s.creds}
	resp, err := r.Refresh(ctx, req)
	if err != nil || resp.Credentials != s.creds {
		t.Fatalf("creds %v, %v; want %v", resp, err, s.creds)
	}
	if s.got.Role != "r" || s.got.Region != "eu-west-1" || s.got.Endpoint != "http://x" ||
		s.got.Source == nil || s.got.Source.SecretAccessKey != "SS" || s.got.Previous == nil || !s.got.Previous.Expires.Equal(exp) {
		t.Fatalf("the plugin got %+v", s.got)
	}
	s.creds.Expires = time.Time{}
	if resp, err := r.Refresh(ctx, &shared.RefreshRequest{}); err != nil || resp.Credentials.CanExpire() {
		t.Fatal("non-expiring credentials came back with an expiry")
	}
}

func TestErrorsCrossTheWire(t *testing.T) {
	s := &scripted{}
	r := plugintest.Connect(t, s)
	for _, tc := range []struct {
		in        error
		code      string
		retryable bool
	}{
		{shared.Permanent("AccessDenied", "no %s", "way"), "AccessDenied", false},
		{shared.Retryable("Throttling", "slow"), "Throttling", true},
		{fmt.Errorf("wrapped: %w", shared.Permanent("X", "y")), "X", false},
		{errors.New("plain"), "RefreshFailed", true},
	} {
		s.err = tc.in
		_, err := r.Refresh(context.Background(), &shared.RefreshRequest{})
		var se *shared.Error
		if !errors.As(err, &se) || se.Code != tc.code || se.Retryable != tc.retryable {
			t.Errorf("%v came back as %#v", tc.in, err)
		}
	}
}

func TestSecretsNotPrinted(t *testing.T) {
	c := shared.Credentials{AccessKeyID: "AKID", SecretAccessKey: "very-secret", SessionToken: "very-token"}
	req := shared.RefreshRequest{Config: shared.Config(`{"password":"pw-secret"}`), Source: &c, Previous: &c}
	vreq := shared.ValidateRequest{Role: "r", Config: req.Config}
	resp := shared.RefreshResponse{Credentials: c}
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), fmt.Sprint(req), fmt.Sprintf("%+v %#v", req, req),
		fmt.Sprint(vreq), fmt.Sprintf("%+v %#v", vreq, vreq), fmt.Sprint(resp), fmt.Sprintf("%+v %#v", resp, resp), fmt.Sprint(&resp)} {
		if strings.Contains(s, "very-") || strings.Contains(s, "pw-secret") {
			t.Errorf("printed a secret: %s", s)
		}
	}
	if !strings.Contains(fmt.Sprint(c), "AKID") {
		t.Error("the access key id should be printed")
	}
}

func TestConfigDecode(t *testing.T) {
	var v struct {
		A string `json:"a"`
	}
	if err := shared.Config(`{"a":"x"}`).Decode(&v); err != nil || v.A != "x" {
		t.Fatalf("%v %v", v, err)
	}
	if err := shared.Config(`{"b":1}`).Decode(&v); err == nil {
		t.Fatal("unknown field accepted")
	}
	if err := shared.Config(nil).Decode(&v); err != nil {
		t.Fatalf("empty config: %v", err)
	}
}

package shared

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/brs-go/brs/shared/internal/proto"
)

var boundsNow = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

// TestCheckCredentials: each field is bounded in length and limited to printable
// ASCII, and the expiry to a week ahead; the error names the field, never the value.
func TestCheckCredentials(t *testing.T) {
	good := Credentials{AccessKeyID: "ASIAEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
		SessionToken: strings.Repeat("T", MaxSessionTokenLen), Expires: boundsNow.Add(MaxExpiryAhead),
		AccountID: "111122223333", ARN: "arn:aws:sts::111122223333:assumed-role/r/s"}
	if err := CheckCredentials(good, boundsNow); err != nil {
		t.Fatalf("good credentials refused: %v", err)
	}
	if err := CheckCredentials(Credentials{AccessKeyID: "A", SecretAccessKey: "S"}, boundsNow); err != nil {
		t.Fatalf("credentials without expiry refused: %v", err)
	}
	for name, tc := range map[string]struct {
		change func(*Credentials)
		want   string
	}{
		"huge secret":      {func(c *Credentials) { c.SecretAccessKey = strings.Repeat("s", 2<<20) }, "the secret access key is 2097152 bytes long, more than the 1024 accepted"},
		"long key id":      {func(c *Credentials) { c.AccessKeyID = strings.Repeat("A", 129) }, "the access key id is 129 bytes long, more than the 128 accepted"},
		"long token":       {func(c *Credentials) { c.SessionToken += "T" }, "the session token is 16385 bytes long"},
		"long ARN":         {func(c *Credentials) { c.ARN = "arn:" + strings.Repeat("x", 2045) }, "the ARN is 2049 bytes long"},
		"long account":     {func(c *Credentials) { c.AccountID = strings.Repeat("1", 65) }, "the account id is 65 bytes long"},
		"ESC in ARN":       {func(c *Credentials) { c.ARN = "arn:\x1b]0;pwned\x07" }, "the ARN holds a character other than printable ASCII (at byte 4)"},
		"newline in key":   {func(c *Credentials) { c.AccessKeyID = "ASIA\nFAKE" }, "the access key id holds a character other than printable ASCII"},
		"space in secret":  {func(c *Credentials) { c.SecretAccessKey = "se cret" }, "the secret access key holds a character other than printable ASCII"},
		"unicode in token": {func(c *Credentials) { c.SessionToken = "tok\u202een" }, "the session token holds a character other than printable ASCII"},
		"bad UTF-8":        {func(c *Credentials) { c.AccountID = "\xff" }, "the account id holds a character"},
		"year 9999":        {func(c *Credentials) { c.Expires = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC) }, "the credentials expire at 9999-01-01T00:00:00Z, more than 7 days from now"},
		"a week and 1s":    {func(c *Credentials) { c.Expires = boundsNow.Add(MaxExpiryAhead + time.Second) }, "more than 7 days from now; credentials that do not expire must have no expiry"},
	} {
		c := good
		tc.change(&c)
		err := CheckCredentials(c, boundsNow)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
		if err != nil && (strings.Contains(err.Error(), "sss") || strings.Contains(err.Error(), "pwned")) {
			t.Errorf("%s: the error quotes the value: %v", name, err)
		}
	}
}

// TestPluginTextsBounded: the host cuts and escapes every text a plugin sends: an
// error's code and message, diagnostics (and their number), schema descriptions; an
// attribute name with a control character is refused.
func TestPluginTextsBounded(t *testing.T) {
	huge := strings.Repeat("x ", 1<<20)
	msg := "\x1b]0;owned\x07" + huge
	_, err := refreshResult(&proto.RefreshResponse{Error: &proto.Error{Code: "Bad\x1b[2J", Message: msg}}, boundsNow)
	se := AsError(err)
	if se.Code != `Bad\x1b[2J` || !strings.HasPrefix(se.Message, `\x1b]0;owned\x07x x`) || len(se.Message) > MaxMessageLen+64 ||
		!strings.HasSuffix(se.Message, fmt.Sprintf("… [cut: %d bytes in all]", len(msg))) {
		t.Errorf("error: code %q, message of %d bytes ending %q", se.Code, len(se.Message), se.Message[max(0, len(se.Message)-40):])
	}

	many := []*proto.Diagnostic{{Severity: proto.Diagnostic_WARNING, Summary: "\x1b[31m" + huge, Detail: huge, Attribute: "a\nb"}}
	for range 999 {
		many = append(many, &proto.Diagnostic{Severity: proto.Diagnostic_WARNING, Summary: "s"})
	}
	ds := diagnosticsFromProto(many)
	if len(ds) != MaxDiagnostics+1 || !ds.HasErrors() || ds[MaxDiagnostics].Detail != "the plugin reported 1000 diagnostics; the 900 after the first 100 were left out" {
		t.Fatalf("%d diagnostics, last %+v", len(ds), ds[len(ds)-1])
	}
	d := ds[0]
	if len(d.Summary) > MaxSummaryLen+64 || !strings.HasPrefix(d.Summary, `\x1b[31m`) || len(d.Detail) > MaxMessageLen+64 || d.Attribute != `a\nb` {
		t.Errorf("diagnostic %d/%d bytes, summary %.20q, attribute %q", len(d.Summary), len(d.Detail), d.Summary, d.Attribute)
	}

	s, err := schemaFromProto(&proto.GetSchemaResponse{Description: huge, Attributes: []*proto.Attribute{{Name: "a", Type: "string", Description: "\u009b" + huge}}})
	if err != nil || len(s.Description) > MaxMessageLen+64 || len(s.Attributes[0].Description) > MaxMessageLen+64 || !strings.HasPrefix(s.Attributes[0].Description, `\u009b`) {
		t.Errorf("schema: %v, description %d bytes, attribute's %.10q", err, len(s.Description), s.Attributes[0].Description)
	}
	for _, name := range []string{"a\x1b[2J", "with space", strings.Repeat("a", MaxSummaryLen+1)} {
		if _, err := schemaFromProto(&proto.GetSchemaResponse{Attributes: []*proto.Attribute{{Name: name, Type: "string"}}}); err == nil ||
			!strings.Contains(err.Error(), "printable ASCII") || strings.Contains(err.Error(), "\x1b") {
			t.Errorf("attribute name %.20q: %v", name, err)
		}
	}
}

// TestBadCredentialsRefused: refreshResult runs CheckCredentials on what a plugin
// answers.
func TestBadCredentialsRefused(t *testing.T) {
	_, err := refreshResult(&proto.RefreshResponse{Credentials: &proto.Credentials{AccessKeyId: "A", SecretAccessKey: "S",
		Expires: timestamppb.New(time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC))}}, boundsNow)
	if se := AsError(err); se.Code != "InvalidResponse" || se.Retryable || !strings.Contains(se.Message, "plugin returned credentials that cannot be used: the credentials expire at 9999-12-31") {
		t.Errorf("year 9999: %v", err)
	}
}

// TestWireErrors: an answer over the gRPC limit is a permanent InvalidResponse, not a
// crash; other gRPC errors keep their code with their text cut and escaped.
func TestWireErrors(t *testing.T) {
	err := wireError(status.Errorf(codes.ResourceExhausted, "grpc: received message larger than max (104857700 vs. %d)", MaxMessageSize))
	if se := AsError(err); se.Code != "InvalidResponse" || se.Retryable || !strings.Contains(se.Message, "the plugin's answer is larger than the 1 MiB the host accepts") {
		t.Errorf("over the limit: %#v", err)
	}
	err = wireError(status.Error(codes.Unknown, "\x1b[2J "+strings.Repeat("y ", 1<<20)))
	st, _ := status.FromError(err)
	if st.Code() != codes.Unknown || !strings.HasPrefix(st.Message(), `\x1b[2J`) || len(st.Message()) > MaxMessageLen+64 {
		t.Errorf("other: %v %.20q (%d bytes)", st.Code(), st.Message(), len(st.Message()))
	}
}

package pluginrpc

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	refresherv1 "github.com/brs-go/brs/internal/pluginrpc/internal/proto/v1"
	"github.com/brs-go/brs/shared"
)

var boundsNow = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

// TestPluginTextsBounded: the host cuts and escapes every text a plugin sends: an
// error's code and message, diagnostics (and their number), schema descriptions; an
// attribute name with a control character is refused.
func TestPluginTextsBounded(t *testing.T) {
	huge := strings.Repeat("x ", 1<<20)
	msg := "\x1b]0;owned\x07" + huge
	_, err := refreshResult(&refresherv1.RefreshResponse{Error: &refresherv1.Error{Code: "Bad\x1b[2J", Message: msg}}, boundsNow)
	se := shared.AsError(err)
	if se.Code != `Bad\x1b[2J` || !strings.HasPrefix(se.Message, `\x1b]0;owned\x07x x`) || len(se.Message) > shared.MaxMessageLen+64 ||
		!strings.HasSuffix(se.Message, fmt.Sprintf("… [cut: %d bytes in all]", len(msg))) {
		t.Errorf("error: code %q, message of %d bytes ending %q", se.Code, len(se.Message), se.Message[max(0, len(se.Message)-40):])
	}

	many := []*refresherv1.Diagnostic{{Severity: refresherv1.Diagnostic_WARNING, Summary: "\x1b[31m" + huge, Detail: huge, Attribute: "a\nb"}}
	for range 999 {
		many = append(many, &refresherv1.Diagnostic{Severity: refresherv1.Diagnostic_WARNING, Summary: "s"})
	}
	ds := diagnosticsFromProto(many)
	if len(ds) != shared.MaxDiagnostics+1 || !ds.HasErrors() || ds[shared.MaxDiagnostics].Detail != "the plugin reported 1000 diagnostics; the 900 after the first 100 were left out" {
		t.Fatalf("%d diagnostics, last %+v", len(ds), ds[len(ds)-1])
	}
	d := ds[0]
	if len(d.Summary) > shared.MaxSummaryLen+64 || !strings.HasPrefix(d.Summary, `\x1b[31m`) || len(d.Detail) > shared.MaxMessageLen+64 || d.Attribute != `a\nb` {
		t.Errorf("diagnostic %d/%d bytes, summary %.20q, attribute %q", len(d.Summary), len(d.Detail), d.Summary, d.Attribute)
	}

	s, err := checked(&refresherv1.GetSchemaResponse{Description: huge, Attributes: []*refresherv1.Attribute{{Name: "a", Type: "string", Description: "\u009b" + huge}}})
	if err != nil || len(s.Description) > shared.MaxMessageLen+64 || len(s.Attributes[0].Description) > shared.MaxMessageLen+64 || !strings.HasPrefix(s.Attributes[0].Description, `\u009b`) {
		t.Errorf("schema: %v, description %d bytes, attribute's %.10q", err, len(s.Description), s.Attributes[0].Description)
	}
	for _, name := range []string{"a\x1b[2J", "with space", strings.Repeat("a", shared.MaxSummaryLen+1)} {
		if _, err := checked(&refresherv1.GetSchemaResponse{Attributes: []*refresherv1.Attribute{{Name: name, Type: "string"}}}); err == nil ||
			!strings.Contains(err.Error(), "lower_snake_case") || strings.Contains(err.Error(), "\x1b") {
			t.Errorf("attribute name %.20q: %v", name, err)
		}
	}
}

// TestBadCredentialsRefused: refreshResult runs CheckCredentials on what a plugin
// answers.
func TestBadCredentialsRefused(t *testing.T) {
	_, err := refreshResult(&refresherv1.RefreshResponse{Credentials: &refresherv1.Credentials{AccessKeyId: "A", SecretAccessKey: "S",
		Expires: timestamppb.New(time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC))}}, boundsNow)
	if se := shared.AsError(err); se.Code != "InvalidResponse" || se.Retryable || !strings.Contains(se.Message, "plugin returned credentials that cannot be used: the credentials expire at 9999-12-31") {
		t.Errorf("year 9999: %v", err)
	}
}

// TestWireErrors: an answer over the gRPC limit is a permanent InvalidResponse, not a
// crash; other gRPC errors keep their code with their text cut and escaped.
func TestWireErrors(t *testing.T) {
	err := wireError(status.Errorf(codes.ResourceExhausted, "grpc: received message larger than max (104857700 vs. %d)", shared.MaxMessageSize))
	if se := shared.AsError(err); se.Code != "InvalidResponse" || se.Retryable || !strings.Contains(se.Message, "the plugin's answer is larger than the 1 MiB the host accepts") {
		t.Errorf("over the limit: %#v", err)
	}
	err = wireError(status.Error(codes.Unknown, "\x1b[2J "+strings.Repeat("y ", 1<<20)))
	st, _ := status.FromError(err)
	if st.Code() != codes.Unknown || !strings.HasPrefix(st.Message(), `\x1b[2J`) || len(st.Message()) > shared.MaxMessageLen+64 {
		t.Errorf("other: %v %.20q (%d bytes)", st.Code(), st.Message(), len(st.Message()))
	}
}

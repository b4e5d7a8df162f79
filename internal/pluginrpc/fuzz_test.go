package pluginrpc

import (
	"testing"
	"time"
	"unicode/utf8"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/brs-go/brs/internal/pluginrpc/internal/proto/v1"
	"github.com/brs-go/brs/internal/safetext"
	"github.com/brs-go/brs/shared"
)

// FuzzRefreshResponse feeds arbitrary bytes to the host's decoding of a plugin's
// RefreshResponse, as a hostile or broken plugin could send them: it must never panic,
// and must return either an error or credentials, never both or neither.
func FuzzRefreshResponse(f *testing.F) {
	seeds := []*pb.RefreshResponse{
		{Credentials: &pb.Credentials{AccessKeyId: "AKID", SecretAccessKey: "s", SessionToken: "t", Expires: timestamppb.New(time.Unix(1800000000, 0))}},
		{Credentials: &pb.Credentials{AccessKeyId: "AKID", SecretAccessKey: "s"}},
		{Error: &pb.Error{Code: "AccessDenied", Message: "no", Retryable: false}},
		{Credentials: &pb.Credentials{Expires: &timestamppb.Timestamp{Seconds: -1 << 62}}},
		{Credentials: &pb.Credentials{AccessKeyId: "AKID", SecretAccessKey: "s", Expires: timestamppb.New(time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))}},
		{Credentials: &pb.Credentials{AccessKeyId: "AKID\x1b[2J", SecretAccessKey: "s", Arn: "arn:\u202e"}},
		{Error: &pb.Error{Code: "\x1b]0;x\x07", Message: "\u009b31m red"}},
		{},
	}
	for _, s := range seeds {
		b, err := proto.Marshal(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte{0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		var resp pb.RefreshResponse
		if err := proto.Unmarshal(data, &resp); err != nil {
			return // the gRPC layer rejects it before the host sees it
		}
		now := time.Unix(1700000000, 0)
		creds, err := refreshResult(&resp, now)
		if err == nil && creds == (shared.Credentials{}) && resp.GetCredentials() == nil {
			t.Fatalf("no error and no credentials for %v", &resp)
		}
		if err != nil && creds != (shared.Credentials{}) {
			t.Fatalf("both an error and credentials for %v", &resp)
		}
		// What is accepted is bounded; what is refused says so in bounded, printable text.
		if err == nil {
			if cerr := shared.CheckCredentials(creds, now); cerr != nil {
				t.Fatalf("accepted credentials that CheckCredentials refuses: %v", cerr)
			}
			return
		}
		se := shared.AsError(err)
		if !printable(se.Code, shared.MaxSummaryLen) || !printable(se.Message, shared.MaxMessageLen) {
			t.Fatalf("error not bounded or not escaped: %q: %q", se.Code, se.Message)
		}
	})
}

// FuzzSchemaResponse does the same for a plugin's schema.
func FuzzSchemaResponse(f *testing.F) {
	for _, s := range []*pb.GetSchemaResponse{
		{Description: "d", Attributes: []*pb.Attribute{{Name: "a", Type: "string", Required: true}}},
		{Attributes: []*pb.Attribute{{Name: "a", Type: "map(string)"}, {Name: "b", Type: "list(string)", Sensitive: true}}},
	} {
		b, _ := proto.Marshal(s)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var resp pb.GetSchemaResponse
		if err := proto.Unmarshal(data, &resp); err != nil {
			return
		}
		s, err := checked(&resp)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		if !printable(s.Description, shared.MaxMessageLen) {
			t.Fatalf("description not bounded or not escaped: %q", s.Description)
		}
		for _, a := range s.Attributes {
			if !a.Type.Valid() || a.Name == "" || seen[a.Name] || !printable(a.Name, shared.MaxSummaryLen) || !printable(a.Description, shared.MaxMessageLen) {
				t.Fatalf("accepted an invalid schema: %+v", s)
			}
			seen[a.Name] = true
		}
	})
}

// FuzzValidateResponse: a plugin's diagnostics reach the host bounded in number and
// size, with no control character left.
func FuzzValidateResponse(f *testing.F) {
	for _, s := range []*pb.ValidateConfigResponse{
		{Diagnostics: []*pb.Diagnostic{{Severity: pb.Diagnostic_ERROR, Summary: "Invalid role ARN", Detail: "d", Attribute: "role_arn"}}},
		{Diagnostics: []*pb.Diagnostic{{Severity: pb.Diagnostic_WARNING, Summary: "\x1b[31m", Detail: "\u202e", Attribute: "a\nb"}}},
	} {
		b, _ := proto.Marshal(s)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var resp pb.ValidateConfigResponse
		if err := proto.Unmarshal(data, &resp); err != nil {
			return
		}
		ds := diagnosticsFromProto(resp.GetDiagnostics())
		if len(ds) > shared.MaxDiagnostics+1 {
			t.Fatalf("%d diagnostics", len(ds))
		}
		for _, d := range ds {
			if !printable(d.Summary, shared.MaxSummaryLen) || !printable(d.Detail, shared.MaxMessageLen) || !printable(d.Attribute, shared.MaxSummaryLen) {
				t.Fatalf("diagnostic not bounded or not escaped: %+v", d)
			}
		}
	})
}

// printable reports whether s came out of clean(…, max): valid UTF-8 with nothing to
// escape, no longer than max plus the cut marker and its escapes.
func printable(s string, max int) bool {
	return utf8.ValidString(s) && !safetext.NeedsEscape(s) && len(s) <= 4*max+64
}

package pluginrpc

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	refresherv1 "github.com/brs-go/brs/internal/pluginrpc/internal/proto/v1"
	"github.com/brs-go/brs/shared"
)

// TestMalformedFromPlugin: answers no well-behaved plugin sends become errors, not
// panics or zero credentials.
func TestMalformedFromPlugin(t *testing.T) {
	for name, resp := range map[string]*refresherv1.RefreshResponse{
		"nothing":         {},
		"invalid expires": {Credentials: &refresherv1.Credentials{AccessKeyId: "A", Expires: &timestamppb.Timestamp{Seconds: 1, Nanos: -5}}},
	} {
		if _, err := refreshResult(resp, time.Now()); err == nil || !strings.Contains(err.Error(), "InvalidResponse") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	for name, s := range map[string]*refresherv1.GetSchemaResponse{
		"bad type":  {Description: "d", Attributes: []*refresherv1.Attribute{{Name: "a", Type: "list(number)", Description: "d"}}},
		"no name":   {Description: "d", Attributes: []*refresherv1.Attribute{{Type: "string", Description: "d"}}},
		"duplicate": {Description: "d", Attributes: []*refresherv1.Attribute{{Name: "a", Type: "string", Description: "d"}, {Name: "a", Type: "bool", Description: "d"}}},
	} {
		if _, err := checked(s); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// A severity this version does not know counts as an error.
	ds := diagnosticsFromProto([]*refresherv1.Diagnostic{{Severity: refresherv1.Diagnostic_Severity(9), Summary: "x"}})
	if !ds.HasErrors() {
		t.Error("unknown severity was not treated as an error")
	}
}

// checked converts a plugin's schema and checks it, as the host does.
func checked(p *refresherv1.GetSchemaResponse) (shared.Schema, error) {
	s := schemaFromProto(p)
	return s.Schema, shared.CheckSchemaResponse(s)
}

// TestEnvironmentBounded: the environment a plugin declares is bounded on receipt
// (count, length, escaped) and refused when a name is no variable name or prefix;
// Command crosses the wire and is allowed on strings only.
func TestEnvironmentBounded(t *testing.T) {
	attr := []*refresherv1.Attribute{{Name: "cmd", Type: "string", Description: "d", Command: true}}
	s, err := checked(&refresherv1.GetSchemaResponse{Description: "d", Attributes: attr, Environment: []string{"VAULT_ADDR", "VAULT_*", "http_proxy", "_X"}})
	if err != nil || !s.Attributes[0].Command {
		t.Fatalf("a good schema: %v, %+v", err, s.Attributes)
	}
	many := make([]string, 1<<16)
	for i := range many {
		many[i] = fmt.Sprintf("V%d", i)
	}
	if r := schemaFromProto(&refresherv1.GetSchemaResponse{Environment: many}); len(r.Environment) != shared.MaxEnvironment+1 {
		t.Errorf("%d names kept of %d, want %d", len(r.Environment), len(many), shared.MaxEnvironment+1)
	}
	for name, env := range map[string][]string{
		"too many":  many,
		"star":      {"*"},
		"digit":     {"1AB"},
		"dash":      {"MY-VAR"},
		"equals":    {"A=B"},
		"ESC":       {"A\x1b[2J"},
		"inner *":   {"A*B"},
		"empty":     {""},
		"too long":  {strings.Repeat("A", shared.MaxSummaryLen+1)},
		"long pref": {strings.Repeat("A", shared.MaxSummaryLen) + "*"},
	} {
		_, err := checked(&refresherv1.GetSchemaResponse{Description: "d", Environment: env})
		if err == nil || strings.Contains(err.Error(), "\x1b") {
			t.Errorf("%s: %v", name, err)
		}
	}
	long := strings.Repeat("B", 1<<20)
	if r := schemaFromProto(&refresherv1.GetSchemaResponse{Environment: []string{long}}); len(r.Environment[0]) > shared.MaxSummaryLen+64 {
		t.Errorf("a 1 MiB name kept as %d bytes", len(r.Environment[0]))
	}
	attr[0].Type = "list(string)"
	if _, err := checked(&refresherv1.GetSchemaResponse{Description: "d", Attributes: attr}); err == nil || !strings.Contains(err.Error(), "marked Command") {
		t.Errorf("Command on a list: %v", err)
	}
}

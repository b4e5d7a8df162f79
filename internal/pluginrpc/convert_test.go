package pluginrpc

import (
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
	return s, shared.CheckSchema(s)
}

package shared

import (
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/brs-go/brs/shared/internal/proto"
)

// TestMalformedFromPlugin: answers no well-behaved plugin sends become errors, not
// panics or zero credentials.
func TestMalformedFromPlugin(t *testing.T) {
	for name, resp := range map[string]*proto.RefreshResponse{
		"nothing":         {},
		"invalid expires": {Credentials: &proto.Credentials{AccessKeyId: "A", Expires: &timestamppb.Timestamp{Seconds: 1, Nanos: -5}}},
	} {
		if _, err := refreshResult(resp, time.Now()); err == nil || !strings.Contains(err.Error(), "InvalidResponse") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	for name, s := range map[string]*proto.GetSchemaResponse{
		"bad type":  {Attributes: []*proto.Attribute{{Name: "a", Type: "list(number)"}}},
		"no name":   {Attributes: []*proto.Attribute{{Type: "string"}}},
		"duplicate": {Attributes: []*proto.Attribute{{Name: "a", Type: "string"}, {Name: "a", Type: "bool"}}},
	} {
		if _, err := schemaFromProto(s); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// A severity this version does not know counts as an error.
	ds := diagnosticsFromProto([]*proto.Diagnostic{{Severity: proto.Diagnostic_Severity(9), Summary: "x"}})
	if !ds.HasErrors() {
		t.Error("unknown severity was not treated as an error")
	}
}

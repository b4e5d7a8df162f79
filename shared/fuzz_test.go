package shared

import (
	"testing"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/brs-go/brs/shared/internal/proto"
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
		creds, err := refreshResult(&resp, time.Unix(1700000000, 0))
		if err == nil && creds == (Credentials{}) && resp.GetCredentials() == nil {
			t.Fatalf("no error and no credentials for %v", &resp)
		}
		if err != nil && creds != (Credentials{}) {
			t.Fatalf("both an error and credentials for %v", &resp)
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
		s, err := schemaFromProto(&resp)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, a := range s.Attributes {
			if !a.Type.Valid() || a.Name == "" || seen[a.Name] {
				t.Fatalf("accepted an invalid schema: %+v", s)
			}
			seen[a.Name] = true
		}
	})
}

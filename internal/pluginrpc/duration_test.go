package pluginrpc

import (
	"context"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/durationpb"

	refresherv1 "github.com/brs-go/brs/internal/pluginrpc/internal/proto/v1"
	"github.com/brs-go/brs/shared"
)

// durationSource declares a bounded duration and reports its own problem with
// "other", and with "timeout" when its config says so.
type durationSource struct{ ownTimeoutCheck bool }

func (durationSource) Schema(context.Context, *shared.SchemaRequest) (*shared.SchemaResponse, error) {
	return &shared.SchemaResponse{Schema: shared.Schema{Description: "d", Attributes: []shared.Attribute{
		{Name: "timeout", Type: shared.TypeDuration, Description: "d", Min: 15 * time.Minute, Max: 12 * time.Hour},
		{Name: "ttl", Type: shared.TypeDuration, Description: "d"},
		{Name: "other", Type: shared.TypeString, Description: "d"},
	}}}, nil
}

func (s durationSource) Validate(context.Context, *shared.ValidateRequest) (*shared.ValidateResponse, error) {
	ds := shared.Diagnostics{shared.ErrorDiag("other", "Bad other", "other is bad.")}
	if s.ownTimeoutCheck {
		ds = append(ds, shared.ErrorDiag("timeout", "Bad timeout", "the source's own words."))
	}
	return &shared.ValidateResponse{Diagnostics: ds}, nil
}

func (durationSource) Refresh(context.Context, *shared.RefreshRequest) (*shared.RefreshResponse, error) {
	return nil, shared.Permanent("X", "x")
}

// TestDurationOnTheWire: a duration attribute crosses the wire as a string with its
// bounds beside it, so a host that knows no durations (contract 1.1) takes it as a
// string, and a host that does gets it back as it was declared.
func TestDurationOnTheWire(t *testing.T) {
	srv := &serverV1{impl: durationSource{}}
	p, err := srv.GetSchema(context.Background(), &refresherv1.GetSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	a := p.GetAttributes()[0]
	if a.GetType() != "string" || a.GetDuration().GetMin().AsDuration() != 15*time.Minute || a.GetDuration().GetMax().AsDuration() != 12*time.Hour {
		t.Errorf("on the wire: %v, want a string with bounds 15m and 12h", a)
	}
	if ttl := p.GetAttributes()[1]; ttl.GetType() != "string" || ttl.GetDuration() == nil || ttl.GetDuration().GetMin() != nil || ttl.GetDuration().GetMax() != nil {
		t.Errorf("an unbounded duration on the wire: %v", ttl)
	}
	s, err := checked(p)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := durationSource{}.Schema(context.Background(), nil)
	for i, a := range s.Attributes {
		if a != want.Schema.Attributes[i] {
			t.Errorf("attribute %d after the wire: %+v, want %+v", i, a, want.Schema.Attributes[i])
		}
	}
	// A bound that is no valid duration is refused, not taken as none.
	bad := &refresherv1.GetSchemaResponse{Description: "d", Attributes: []*refresherv1.Attribute{{Name: "t", Type: "string", Description: "d",
		Duration: &refresherv1.DurationBounds{Max: &durationpb.Duration{Seconds: 1, Nanos: -1}}}}}
	if _, err := checked(bad); err == nil {
		t.Error("a schema with an invalid bound was accepted")
	}
}

// TestDurationCheckedForOldHosts: the plugin side of the wire checks the durations of
// a config itself, for a host that does not (contract 1.1 and before), and adds a
// diagnostic at the attribute unless the source reported one there already.
func TestDurationCheckedForOldHosts(t *testing.T) {
	cfg := []byte(`{"timeout": "13h", "ttl": "-1s", "other": "x"}`)
	resp, err := (&serverV1{impl: durationSource{}}).ValidateConfig(context.Background(), &refresherv1.ValidateConfigRequest{ConfigJson: cfg})
	if err != nil {
		t.Fatal(err)
	}
	ds := diagnosticsFromProto(resp.GetDiagnostics())
	got := map[string]string{}
	for _, d := range ds {
		got[d.Attribute] = d.Detail
	}
	if len(ds) != 3 || got["timeout"] != `timeout must be between 15m and 12h; "13h" is not.` || got["ttl"] != `ttl must be positive or zero; "-1s" is not.` || got["other"] != "other is bad." {
		t.Errorf("diagnostics %+v, want the source's and one per bad duration", ds)
	}

	resp, err = (&serverV1{impl: durationSource{ownTimeoutCheck: true}}).ValidateConfig(context.Background(), &refresherv1.ValidateConfigRequest{ConfigJson: cfg})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range diagnosticsFromProto(resp.GetDiagnostics()) {
		if d.Attribute == "timeout" {
			n++
			if d.Summary != "Bad timeout" {
				t.Errorf("timeout: %+v, want the source's own diagnostic", d)
			}
		}
	}
	if n != 1 {
		t.Errorf("%d diagnostics about timeout, want the source's alone", n)
	}
}

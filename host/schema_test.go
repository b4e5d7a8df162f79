package host_test

import (
	"context"
	"strings"
	"testing"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/shared"
)

// badSchema is an in-process refresher whose schema breaks shared.CheckSchema.
type badSchema struct{ debugged }

func (*badSchema) Schema(context.Context, *shared.SchemaRequest) (*shared.SchemaResponse, error) {
	return &shared.SchemaResponse{Schema: shared.Schema{Description: "bad", Attributes: []shared.Attribute{
		{Name: "Role-ARN", Type: shared.TypeString, Description: "not lower_snake_case"},
		{Name: "x", Type: shared.TypeString, Description: "twice"},
		{Name: "x", Type: shared.TypeBool, Description: "twice"},
	}}}, nil
}

// TestSchemaCheckedAtLoad: the host applies shared.CheckSchema, the one schema check,
// to an in-process refresher as to a plugin: Load fails once, at the role's source,
// naming each broken rule.
func TestSchemaCheckedAtLoad(t *testing.T) {
	_, err := host.Load(context.Background(), writeHCL(t, `role "a" { source = "bad" }`), host.WithRefresher("bad", &badSchema{}))
	if err == nil {
		t.Fatal("Load accepted a schema that shared.CheckSchema refuses")
	}
	for _, want := range []string{`source "bad" (in-process) declares a schema that brs cannot use`, `attribute "Role-ARN": a name must be lower_snake_case`, `attribute "x" is declared twice`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not say %q:\n%v", want, err)
		}
	}
}

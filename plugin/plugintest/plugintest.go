// Package plugintest helps plugin authors test a refresher through the real brs wire
// protocol, without building a binary. Conformance runs, in one call, the checks every
// refresher must pass (schema, diagnostics rather than errors, cancellation,
// well-formed credentials, no secret echoed). Connect serves the refresher on an
// in-memory gRPC connection exactly as plugin.Serve would, and returns the host's
// view of it. CheckSchema and CheckConfig catch a schema that the host would refuse
// (by the same rule the host applies, shared.CheckSchema), or that has drifted from
// the config struct the refresher decodes into.
package plugintest

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	goplugin "github.com/hashicorp/go-plugin"

	"github.com/brs-go/brs/internal/pluginrpc"
	"github.com/brs-go/brs/shared"
)

// Connect serves r over go-plugin's gRPC transport inside the test process and returns
// a Refresher that calls it across that connection, so every value makes the same
// protobuf round trip it makes between the host and a plugin subprocess. The
// connection is closed when the test ends.
func Connect(t testing.TB, r shared.Refresher) shared.Refresher {
	t.Helper()
	client, _ := goplugin.TestPluginGRPCConn(t, false, goplugin.PluginSet{
		pluginrpc.PluginName: &pluginrpc.GRPCPlugin{Impl: r},
	})
	t.Cleanup(func() { _ = client.Close() })
	raw, err := client.Dispense(pluginrpc.PluginName)
	if err != nil {
		t.Fatalf("plugintest: dispensing the refresher: %v", err)
	}
	return raw.(shared.Refresher)
}

// CheckSchema fails the test if r's schema or environment, fetched across the wire,
// would be refused by the host: shared.CheckSchemaResponse says why. It returns the
// schema.
func CheckSchema(t testing.TB, r shared.Refresher) shared.Schema {
	t.Helper()
	return checkSchema(t, r).Schema
}

// checkSchema is CheckSchema returning the whole response.
func checkSchema(t testing.TB, r shared.Refresher) *shared.SchemaResponse {
	t.Helper()
	resp, err := Connect(t, r).Schema(context.Background(), &shared.SchemaRequest{})
	if err != nil {
		t.Fatalf("plugintest: Schema: %v", err)
	}
	if err := shared.CheckSchemaResponse(resp); err != nil {
		t.Errorf("plugintest: the host would refuse the schema: %v", err)
	}
	return resp
}

// CheckConfig fails the test unless r's schema declares exactly the attributes that
// config, the struct (or pointer to one) r decodes its shared.Config into, has fields
// for, named by their json tags. The host sends only declared attributes and
// shared.Config.Decode refuses unknown ones, so the two must stay in step.
func CheckConfig(t testing.TB, r shared.Refresher, config any) {
	t.Helper()
	resp, err := r.Schema(context.Background(), &shared.SchemaRequest{})
	if err != nil {
		t.Fatalf("plugintest: Schema: %v", err)
	}
	s := resp.Schema
	typ := reflect.TypeOf(config)
	if typ != nil && typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	if typ == nil || typ.Kind() != reflect.Struct {
		t.Fatalf("plugintest: CheckConfig: %T is not a struct", config)
	}
	var attrs, tags []string
	for _, a := range s.Attributes {
		attrs = append(attrs, a.Name)
	}
	for i := range typ.NumField() {
		tags = append(tags, strings.Split(typ.Field(i).Tag.Get("json"), ",")[0])
	}
	slices.Sort(attrs)
	slices.Sort(tags)
	if !slices.Equal(attrs, tags) {
		t.Errorf("schema attributes %v != config json tags %v", attrs, tags)
	}
}

package webidentity

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestSchemaMatchesConfig keeps Schema and the config struct in step: every attribute
// is a json tag and every json tag an attribute.
func TestSchemaMatchesConfig(t *testing.T) {
	s, err := New().Schema(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var attrs, tags []string
	for _, a := range s.Attributes {
		attrs = append(attrs, a.Name)
	}
	typ := reflect.TypeFor[config]()
	for i := range typ.NumField() {
		tags = append(tags, strings.Split(typ.Field(i).Tag.Get("json"), ",")[0])
	}
	slices.Sort(attrs)
	slices.Sort(tags)
	if !slices.Equal(attrs, tags) {
		t.Errorf("schema attributes %v != config json tags %v", attrs, tags)
	}
}

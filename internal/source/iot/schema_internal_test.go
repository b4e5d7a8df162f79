package iot

import (
	"context"
	"reflect"
	"slices"
	"testing"
)

// TestSchemaMatchesConfig keeps Schema and the config struct in step.
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
		tags = append(tags, typ.Field(i).Tag.Get("json"))
	}
	slices.Sort(attrs)
	slices.Sort(tags)
	if !slices.Equal(attrs, tags) {
		t.Errorf("schema attributes %v != config json tags %v", attrs, tags)
	}
}

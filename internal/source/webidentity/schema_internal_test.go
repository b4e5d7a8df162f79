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

func TestSessionName(t *testing.T) {
	cases := []struct{ configured, role, want string }{
		{"ci-deploy", "deploy", "ci-deploy"},
		{"", "deploy", "brs-deploy"},
		{"", "pods/eu west", "brs-pods-eu-west"},
		{"", "", "brs-session"},
		{"", strings.Repeat("a", 100), "brs-" + strings.Repeat("a", 60)},
	}
	for _, c := range cases {
		got := settings{config: config{SessionName: c.configured}}.sessionName(c.role)
		if got != c.want {
			t.Errorf("sessionName(%q, role %q) = %q, want %q", c.configured, c.role, got, c.want)
		}
		if len(got) < 2 || len(got) > 64 || !sessionNameChars.MatchString(got) {
			t.Errorf("sessionName(%q) = %q, which STS refuses", c.role, got)
		}
	}
}

func TestAccountID(t *testing.T) {
	cases := map[string]string{
		"arn:aws:sts::123456789012:assumed-role/pods/brs-pods": "123456789012",
		"":           "",
		"not-an-arn": "",
	}
	for arn, want := range cases {
		if got := accountID(arn); got != want {
			t.Errorf("accountID(%q) = %q, want %q", arn, got, want)
		}
	}
}

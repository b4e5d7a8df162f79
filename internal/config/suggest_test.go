package config

import "testing"

// TestSuggest checks the "did you mean" of source and role names: a swap of
// neighbours is one typo, and between names as close, the one with the same letters
// wins, so "sst" is "sts" although "sso" is as close.
func TestSuggest(t *testing.T) {
	builtins := []string{"ecs", "iot", "process", "sso", "sts", "web_identity"}
	for _, tc := range []struct{ given, want string }{
		{"sst", "sts"},
		{"tss", "sts"},
		{"ss", "sso"},
		{"prcoess", "process"},
		{"web_identiy", "web_identity"},
		{"vault", ""},
		{"", ""},
	} {
		if got := Suggest(tc.given, builtins); got != tc.want {
			t.Errorf("Suggest(%q) = %q, want %q", tc.given, got, tc.want)
		}
	}
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"sst", "sts", 1}, {"abc", "abc", 0}, {"", "abc", 3}, {"ca", "abc", 3}, {"kitten", "sitting", 3}, {"ünï", "nüï", 1},
	} {
		if got := distance(tc.a, tc.b); got != tc.want {
			t.Errorf("distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

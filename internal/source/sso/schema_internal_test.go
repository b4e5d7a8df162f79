package sso

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/credentials/ssocreds"

	"github.com/brs-go/brs/shared"
)

// TestSchemaMatchesConfig checks that the schema declares exactly the config struct's
// json fields, so that the host never sends an attribute Decode refuses.
func TestSchemaMatchesConfig(t *testing.T) {
	resp, err := New().Schema(context.Background(), &shared.SchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	s := resp.Schema
	var declared []string
	for _, a := range s.Attributes {
		declared = append(declared, a.Name)
	}
	var fields []string
	typ := reflect.TypeFor[config]()
	for i := range typ.NumField() {
		fields = append(fields, strings.Split(typ.Field(i).Tag.Get("json"), ",")[0])
	}
	slices.Sort(declared)
	slices.Sort(fields)
	if !slices.Equal(declared, fields) {
		t.Errorf("schema attributes %q, config fields %q", declared, fields)
	}
}

// TestCachePathMatchesSDK checks that the cache file of both forms is the one
// aws-sdk-go-v2 (and so the AWS CLI) uses: ~/.aws/sso/cache/SHA1(key).json.
func TestCachePathMatchesSDK(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	for _, c := range []config{
		{SSOSession: "my-sso", SSOStartURL: "https://d-1234567890.awsapps.com/start"},
		{StartURL: "https://d-1234567890.awsapps.com/start"},
	} {
		got, err := c.cachePath()
		if err != nil {
			t.Fatal(err)
		}
		want, err := ssocreds.StandardCachedTokenFilepath(c.cacheKey())
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("cachePath() = %q, the SDK's %q", got, want)
		}
	}
	if got, _ := (config{SSOSession: "my-sso"}).cachePath(); !strings.HasSuffix(got, "/.aws/sso/cache/0ad374308c5a4e22f723adf10145eafad7c4031c.json") {
		t.Errorf("cachePath() = %q, want the SHA-1 of %q", got, "my-sso")
	}
}

// TestNoHome checks the error when the cache is under an unknown home directory.
func TestNoHome(t *testing.T) {
	t.Setenv("HOME", "")
	_, err := config{SSOSession: "s"}.cachePath()
	if err == nil || !strings.Contains(err.Error(), "NoHomeDirectory") || !strings.Contains(err.Error(), "cache_dir") {
		t.Errorf("cachePath() without HOME: %v, want NoHomeDirectory advising cache_dir", err)
	}
	if p, err := (config{SSOSession: "s", CacheDir: "/abs"}).cachePath(); err != nil || !strings.HasPrefix(p, "/abs/") {
		t.Errorf("cachePath() with an absolute cache_dir and no HOME = %q, %v", p, err)
	}
}

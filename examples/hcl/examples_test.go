// Package hcl_test checks the example brs files in this directory: each loads without
// an error diagnostic and declares the roles its comments describe, and the roles that
// a local server can serve return credentials.
package hcl_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/testutil/miniotest"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
)

func TestMain(m *testing.M) {
	code := m.Run()
	plugintestbin.Cleanup()
	os.Exit(code)
}

// roles are the roles each example of this test's author declares, in file order.
// Other *.hcl files here (demo.hcl, the demo's own) only have to load.
var roles = map[string][]string{
	"sts.hcl":          {"analytics", "admin", "deploy"},
	"chain.hcl":        {"base", "prod-admin", "deploy"},
	"file-plugin.hcl":  {"sidecar"},
	"ecs.hcl":          {"task", "pod", "served"},
	"iot.hcl":          {"sensor"},
	"process.hcl":      {"cli-profile", "helper"},
	"sso.hcl":          {"dev", "legacy"},
	"web_identity.hcl": {"pods", "ci"},
	"session.hcl":      {"mfa", "admin", "readonly"},
	"login.hcl":        {"dev", "admin"},
}

// builtins builds every built-in plugin (cmd/brs-plugin-*) and returns the directory
// that holds them: plugintestbin puts each in a folder of its own, so they are linked
// into one, as `go install ./cmd/...` would put them side by side.
func builtins(t *testing.T) string {
	t.Helper()
	mains, err := filepath.Glob(filepath.Join("..", "..", "cmd", "brs-plugin-*"))
	if err != nil || len(mains) == 0 {
		t.Fatalf("no built-in plugins found: %v", err)
	}
	dir := t.TempDir()
	for _, m := range mains {
		bin := plugintestbin.Build(t, "github.com/brs-go/brs/cmd/"+filepath.Base(m))
		if err := os.Symlink(bin, filepath.Join(dir, filepath.Base(m))); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// setup sets the environment the examples read and returns the host options that find
// the built-in plugins.
func setup(t *testing.T, stsEndpoint string) (credsFile string, opts []host.Option) {
	t.Helper()
	pluginDir := builtins(t)
	t.Setenv("BRS_PLUGIN_DIR", "")
	t.Setenv("BRS_STS_ENDPOINT", stsEndpoint)
	if stsEndpoint == "" {
		t.Setenv("BRS_DEMO_ENDPOINT", "http://127.0.0.1:9000") // demo.hcl has no default
	} else {
		t.Setenv("BRS_DEMO_ENDPOINT", stsEndpoint)
	}
	t.Setenv("BRS_FILE_PLUGIN", plugintestbin.Build(t, "./examples/plugin"))
	credsFile = filepath.Join(t.TempDir(), "aws-credentials.json")
	t.Setenv("BRS_CREDENTIALS_FILE", credsFile)
	return credsFile, []host.Option{host.WithPluginDir(pluginDir)}
}

// load loads an example and closes it at the end of the test.
func load(t *testing.T, name string, opts []host.Option) *host.Host {
	t.Helper()
	h, err := host.Load(context.Background(), name, opts...)
	if err != nil {
		t.Fatalf("Load(%s): %v", name, err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

// TestExamplesLoad loads every *.hcl here, with the variables that point at a local
// STS unset (the files then target AWS) and set.
func TestExamplesLoad(t *testing.T) {
	files, err := filepath.Glob("*.hcl")
	if err != nil {
		t.Fatal(err)
	}
	for name := range roles {
		if !slices.Contains(files, name) {
			t.Errorf("%s is missing", name)
		}
	}
	for _, endpoint := range []string{"", "http://127.0.0.1:9000"} {
		_, opts := setup(t, endpoint)
		for _, name := range files {
			h := load(t, name, opts)
			if w := h.Warnings(); len(w) > 0 {
				t.Errorf("%s: warnings: %v", name, w)
			}
			want, ok := roles[name]
			if ok && !slices.Equal(h.Roles(), want) || len(h.Roles()) == 0 {
				t.Errorf("%s: roles %q, want %q", name, h.Roles(), want)
			}
		}
	}
}

// TestExamplesRun fetches credentials for the roles that a local MinIO (AssumeRole,
// signed with its root user through the default credential chain) and the file
// plugin can serve.
func TestExamplesRun(t *testing.T) {
	srv := miniotest.Start(t)
	credsFile, opts := setup(t, srv.Endpoint)
	t.Setenv("AWS_ACCESS_KEY_ID", miniotest.RootUser)
	t.Setenv("AWS_SECRET_ACCESS_KEY", miniotest.RootPassword)
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	expires := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	doc := `{"Version": 1, "AccessKeyId": "ASIAFROMFILE", "SecretAccessKey": "s", "SessionToken": "t", "Expiration": "` +
		expires.Format(time.RFC3339) + `"}`
	if err := os.WriteFile(credsFile, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}

	ctx := context.Background()
	for _, tc := range []struct{ file, role string }{
		{"sts.hcl", "analytics"},
		{"chain.hcl", "base"},
		{"file-plugin.hcl", "sidecar"},
	} {
		h := load(t, tc.file, opts)
		creds, err := h.Credentials(ctx, tc.role)
		if err != nil {
			t.Errorf("%s: role %s: %v", tc.file, tc.role, err)
			continue
		}
		if creds.AccessKeyID == "" || creds.AccessKeyID == miniotest.RootUser || !creds.CanExpire() {
			t.Errorf("%s: role %s: not temporary credentials: %v", tc.file, tc.role, creds)
		}
		if tc.file == "file-plugin.hcl" && (creds.AccessKeyID != "ASIAFROMFILE" || !creds.Expires.Equal(expires)) {
			t.Errorf("%s: %v, want the file's ASIAFROMFILE expiring at %v", tc.file, creds, expires)
		}
	}
}

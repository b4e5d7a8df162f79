package hcl_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// TestProcessExample loads process.hcl and refreshes its "helper" role with a script in
// place of the helper: the script sees the example's env (the token taken from the
// environment) and dir.
func TestProcessExample(t *testing.T) {
	_, opts := setup(t, "")
	dir := t.TempDir()
	helper := filepath.Join(dir, "fetch-aws-credentials")
	expires := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	body := "#!/bin/sh\n" +
		`[ "$VAULT_ADDR" = https://vault.example.com:8200 ] && [ "$VAULT_TOKEN" = vault-token-for-the-example ] && [ "$(pwd -P)" = "$(cd "$BRS_HELPER_DIR" && pwd -P)" ] || { echo "wrong env or dir" >&2; exit 3; }` + "\n" +
		`echo '{"Version": 1, "AccessKeyId": "ASIAHELPER", "SecretAccessKey": "helper-secret", "SessionToken": "helper-token", "Expiration": "` +
		expires.Format(time.RFC3339) + `"}'` + "\n"
	if err := os.WriteFile(helper, []byte(body), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("BRS_CREDENTIALS_COMMAND", helper+" --role analytics")
	t.Setenv("BRS_HELPER_DIR", dir)
	t.Setenv("BRS_HELPER_VAULT_TOKEN", "vault-token-for-the-example")

	h := load(t, "process.hcl", opts)
	if want := []string{"cli-profile", "helper"}; !slices.Equal(h.Roles(), want) {
		t.Errorf("roles %q, want %q", h.Roles(), want)
	}
	creds, err := h.Credentials(context.Background(), "helper")
	if err != nil {
		t.Fatal(err)
	}
	if creds.AccessKeyID != "ASIAHELPER" || !creds.Expires.Equal(expires) {
		t.Errorf("got %v, want the helper's credentials expiring at %v", creds, expires)
	}
}

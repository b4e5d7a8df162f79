package sso_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/testutil/fakests"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
)

// TestChainAcrossSources: source_role chains an sso role into an sts role into another
// sts role, each a real plugin subprocess. Each link's AssumeRole must be signed with
// the credentials of the link before it. MinIO refuses AssumeRole signed with temporary
// credentials, so the two STS endpoints are loopback fakes (internal/testutil/fakests)
// and the portal is ssotest's fake.
func TestChainAcrossSources(t *testing.T) {
	ssoBin := plugintestbin.Build(t, "github.com/brs-go/brs/cmd/brs-plugin-sso")
	stsBin := plugintestbin.Build(t, "github.com/brs-go/brs/cmd/brs-plugin-sts")
	portal := startFake(t)
	dir := t.TempDir()
	writeCache(t, dir, session, cliToken(time.Now().Add(time.Hour)))
	stsB := fakests.Start(t, fakests.Options{Action: "AssumeRole", AccessKeyID: "ASIACHAINLINKB000001",
		RoleARN: "arn:aws:sts::222233334444:assumed-role/b/brs-b", AssumedRoleID: "AROAB:brs-b"})
	stsC := fakests.Start(t, fakests.Options{Action: "AssumeRole", AccessKeyID: "ASIACHAINLINKC000001",
		RoleARN: "arn:aws:sts::555566667777:assumed-role/c/brs-c", AssumedRoleID: "AROAC:brs-c"})

	src := fmt.Sprintf(`role "dev" {
  source   = "sso"
  endpoint = %[1]q
  config {
    sso_session   = %[2]q
    sso_start_url = %[3]q
    sso_region    = %[4]q
    account_id    = %[5]q
    role_name     = %[6]q
    cache_dir     = %[7]q
    oidc_endpoint = %[1]q
  }
}
role "b" {
  source      = "sts"
  source_role = "dev"
  region      = "us-east-1"
  endpoint    = %[8]q
  config {
    role_arn = "arn:aws:iam::222233334444:role/b"
  }
}
role "c" {
  source      = "sts"
  source_role = "b"
  region      = "us-east-1"
  endpoint    = %[9]q
  config {
    role_arn = "arn:aws:iam::555566667777:role/c"
  }
}
`, portal.URL, session, startURL, region, account, roleName, dir, stsB.URL, stsC.URL)
	file := filepath.Join(t.TempDir(), "brs.hcl")
	if err := os.WriteFile(file, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	h, err := host.Load(ctx, file, host.WithPluginDir(filepath.Dir(ssoBin)), host.WithPluginDir(filepath.Dir(stsBin)))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	defer h.Close()

	c, err := h.Credentials(ctx, "c")
	if err != nil {
		t.Fatalf("Credentials(c): %v", err)
	}
	dev, _ := h.Credentials(ctx, "dev")
	b, _ := h.Credentials(ctx, "b")
	if c.AccessKeyID != "ASIACHAINLINKC000001" || b.AccessKeyID != "ASIACHAINLINKB000001" || c.AccountID != "555566667777" {
		t.Fatalf("chain gave c=%v, b=%v", c, b)
	}
	signedBy := func(auths []string) string {
		if len(auths) != 1 {
			t.Fatalf("%d AssumeRole calls, want 1", len(auths))
		}
		_, rest, _ := strings.Cut(auths[0], "Credential=")
		key, _, _ := strings.Cut(rest, "/")
		return key
	}
	if got := signedBy(stsB.Authorizations()); got != dev.AccessKeyID {
		t.Errorf("role b's AssumeRole was signed by %q, want role dev's (sso) key %q", got, dev.AccessKeyID)
	}
	if got := signedBy(stsC.Authorizations()); got != b.AccessKeyID {
		t.Errorf("role c's AssumeRole was signed by %q, want role b's key %q", got, b.AccessKeyID)
	}
	if calls := portal.PortalCalls(); len(calls) != 1 {
		t.Errorf("%d portal calls, want 1", len(calls))
	}
}

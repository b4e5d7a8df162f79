package hcl_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/testutil/fakesaml"
)

// TestSAMLExample runs saml.hcl against fakesaml.STS, a fake STS that verifies the
// assertion's signature, audience and time window as AWS does (no real server here
// does), with the example's IdP helper replaced by a command that prints a response
// signed by a test identity provider offering three role/provider pairs: each role
// gets the pair its role_arn and principal_arn choose.
func TestSAMLExample(t *testing.T) {
	const (
		okta  = "arn:aws:iam::111122223333:saml-provider/okta"
		entra = "arn:aws:iam::111122223333:saml-provider/entra"
		dev   = "arn:aws:iam::111122223333:role/dev"
		admin = "arn:aws:iam::111122223333:role/admin"
	)
	idp := fakesaml.NewIdP(t, "https://idp.example.com")
	f := fakesaml.Start(t, fakesaml.Options{Providers: map[string]fakesaml.Provider{okta: idp.Provider(), entra: idp.Provider()}})
	_, opts := setup(t, f.URL)
	response := filepath.Join(t.TempDir(), "response")
	b64 := idp.Response(t, fakesaml.Assertion{Roles: []string{dev + "," + okta, admin + "," + okta, admin + "," + entra}, Issued: time.Now()})
	if err := os.WriteFile(response, []byte(b64), 0o600); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("saml.hcl")
	if err != nil {
		t.Fatal(err)
	}
	helper := "idp-login --app amazon_aws --print-saml-response"
	if strings.Count(string(src), helper) != 2 {
		t.Fatalf("saml.hcl does not use %q twice", helper)
	}
	src = []byte(strings.ReplaceAll(string(src), helper, fmt.Sprintf(`test \"$IDP_USER\" = alice@example.com -o -z \"$IDP_USER\" && cat %s`, response)))
	h, err := host.LoadSource(context.Background(), "saml.hcl", src, opts...)
	if err != nil {
		t.Fatalf("Load(saml.hcl): %v", err)
	}
	t.Cleanup(func() { h.Close() })
	if want := []string{"dev", "admin"}; !slices.Equal(h.Roles(), want) {
		t.Errorf("roles %q, want %q", h.Roles(), want)
	}
	for role, want := range map[string]string{"dev": "assumed-role/dev/", "admin": "assumed-role/admin/"} {
		creds, err := h.Credentials(context.Background(), role)
		if err != nil || !strings.Contains(creds.ARN, want) {
			t.Errorf("%s: %v, %v", role, creds.ARN, err)
		}
	}
	for _, form := range f.Requests() {
		if form.Get("RoleArn") == admin && form.Get("PrincipalArn") != entra {
			t.Errorf("admin assumed through %s, want %s", form.Get("PrincipalArn"), entra)
		}
	}
	if f.Calls() != 2 {
		t.Errorf("%d AssumeRoleWithSAML calls, want 2", f.Calls())
	}
}

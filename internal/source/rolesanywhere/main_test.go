package rolesanywhere_test

import (
	"context"
	"os"
	"testing"

	"github.com/brs-go/brs/internal/source/rolesanywhere"
	fake "github.com/brs-go/brs/internal/testutil/fakerolesanywhere"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
	"github.com/brs-go/brs/shared"
)

func TestMain(m *testing.M) {
	code := m.Run()
	plugintestbin.Cleanup()
	os.Exit(code)
}

// world is a fake Roles Anywhere, its trust anchor, and a workload certificate the
// anchor issued, written to files.
type world struct {
	ca        *fake.CA
	f         *fake.Server
	id        *fake.Identity
	dir       string
	cert, key string
}

// newWorld starts a fake with cfg (its Anchor is made here) and issues an EC
// certificate.
func newWorld(t *testing.T, cfg fake.Config) *world {
	t.Helper()
	w := &world{ca: fake.NewCA(t, "brs test trust anchor"), dir: t.TempDir()}
	cfg.Anchor = w.ca
	w.f = fake.Start(t, cfg)
	w.id = w.ca.Issue(t, fake.Leaf{})
	w.cert = fake.WriteFile(t, w.dir, "workload.pem", w.id.CertPEM)
	w.key = fake.WriteFile(t, w.dir, "workload.key", w.id.KeyPEM(t))
	return w
}

// attrs is the config of a role at the world's fake.
func (w *world) attrs() map[string]string {
	return map[string]string{
		"certificate":      w.cert,
		"private_key":      w.key,
		"trust_anchor_arn": w.f.TrustAnchorARN,
		"profile_arn":      w.f.ProfileARN,
		"role_arn":         fake.DefaultRole,
	}
}

// with returns attrs with changes; an empty value removes the attribute.
func with(attrs map[string]string, changes ...string) map[string]string {
	out := make(map[string]string, len(attrs))
	for k, v := range attrs {
		out[k] = v
	}
	for i := 0; i+1 < len(changes); i += 2 {
		if changes[i+1] == "" {
			delete(out, changes[i])
		} else {
			out[changes[i]] = changes[i+1]
		}
	}
	return out
}

// refresh runs one refresh of a role with attrs against endpoint.
func refresh(t testing.TB, endpoint string, attrs map[string]string) (shared.Credentials, error) {
	t.Helper()
	return sourcetest.Refresh(context.Background(), rolesanywhere.New(),
		shared.RefreshRequest{Role: "workload", Config: sourcetest.ConfigJSON(t, attrs), Endpoint: endpoint})
}

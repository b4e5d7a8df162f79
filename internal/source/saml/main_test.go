package saml_test

import (
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/clock"
	"github.com/brs-go/brs/internal/testutil/fakesaml"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/shared"
)

func TestMain(m *testing.M) {
	code := m.Run()
	plugintestbin.Cleanup()
	os.Exit(code)
}

// The roles and SAML providers of the tests.
const (
	okta    = "arn:aws:iam::111122223333:saml-provider/okta"
	azure   = "arn:aws:iam::111122223333:saml-provider/azure"
	devRole = "arn:aws:iam::111122223333:role/dev"
	admin   = "arn:aws:iam::111122223333:role/admin"
)

// world is an identity provider, a fake STS that trusts it (as okta and azure) and
// a saml_command that prints whatever response the test last wrote.
type world struct {
	idp     *fakesaml.IdP
	sts     *fakesaml.STS
	clock   *clock.Fake
	file    string // what saml_command prints
	runs    string // a line per run of saml_command
	command string
}

func newWorld(t *testing.T) *world {
	t.Helper()
	idp := fakesaml.NewIdP(t, "http://idp.example.com/metadata")
	c := clock.NewFake(time.Now())
	dir := t.TempDir()
	w := &world{
		idp: idp, clock: c,
		sts: fakesaml.Start(t, fakesaml.Options{
			Providers: map[string]fakesaml.Provider{okta: idp.Provider(), azure: idp.Provider()},
			Clock:     c, MaxSessionDuration: 12 * time.Hour,
		}),
		file: filepath.Join(dir, "response"), runs: filepath.Join(dir, "runs"),
	}
	w.command = fmt.Sprintf("echo run >> %q; cat %q", w.runs, w.file)
	return w
}

// write makes saml_command print a response signed now by the fake clock, for roles.
func (w *world) write(t *testing.T, a fakesaml.Assertion) string {
	t.Helper()
	if a.Issued.IsZero() {
		a.Issued = w.clock.Now()
	}
	b64 := w.idp.Response(t, a)
	w.writeRaw(t, b64)
	return b64
}

// writeRaw makes saml_command print s.
func (w *world) writeRaw(t *testing.T, s string) {
	t.Helper()
	if err := os.WriteFile(w.file, []byte(s+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

// runCount is how many times saml_command ran.
func (w *world) runCount() int {
	b, _ := os.ReadFile(w.runs)
	return strings.Count(string(b), "run")
}

// config is a config block with saml_command and more attributes (a JSON fragment).
func (w *world) config(more string) shared.Config {
	cfg := fmt.Sprintf(`{"saml_command": %q`, w.command)
	if more != "" {
		cfg += ", " + more
	}
	return shared.Config(cfg + "}")
}

func (w *world) request(cfg shared.Config) shared.RefreshRequest {
	return shared.RefreshRequest{Role: "dev", Config: cfg, Region: "us-east-1", Endpoint: w.sts.URL}
}

// pairs returns the Role attribute values "role,provider" of role/provider pairs.
func pairs(rp ...string) []string {
	var out []string
	for i := 0; i+1 < len(rp); i += 2 {
		out = append(out, rp[i]+","+rp[i+1])
	}
	return out
}

// noSecret fails the test if s holds the assertion, in base64 or decoded, or a
// 40-character piece of it.
func noSecret(t *testing.T, s, b64 string) {
	t.Helper()
	doc, _ := base64.StdEncoding.DecodeString(b64)
	for _, secret := range []string{b64, string(doc), b64[len(b64)/2 : len(b64)/2+40]} {
		if strings.Contains(s, secret) {
			t.Errorf("%q holds the assertion", s)
			return
		}
	}
}

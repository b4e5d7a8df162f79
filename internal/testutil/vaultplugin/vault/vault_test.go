package vault_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
	"github.com/brs-go/brs/internal/testutil/vaultplugin/vault"
	"github.com/brs-go/brs/plugin/plugintest"
	"github.com/brs-go/brs/shared"
)

const (
	vaultToken = "hvs.CAESIvault-test-token-0123456789"
	secretKey  = "vault-minted-secret-key-0123456789"
	sessionTok = "vault-minted-session-token-0123456789"
)

// fakeVault is a fake of a HashiCorp Vault server's AWS secrets engine, since the
// tests install no Vault. Like Vault, it answers only GET /v1/aws/sts/deploy, with
// 403 {"errors": ["permission denied"]} to a request without the right
// X-Vault-Token, 404 for any other path, and 503 while "sealed".
type fakeVault struct {
	srv    *httptest.Server
	sealed atomic.Bool
	calls  atomic.Int32
	answer atomic.Value // a body to send instead of the secret, if set
}

func newFakeVault(t *testing.T) *fakeVault {
	f := &fakeVault{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		errs := func(status int, msg string) {
			w.WriteHeader(status)
			// Vault's error documents can quote the request: this one echoes the token.
			_ = json.NewEncoder(w).Encode(map[string][]string{"errors": {msg + " " + r.Header.Get("X-Vault-Token")}})
		}
		switch {
		case f.sealed.Load():
			errs(http.StatusServiceUnavailable, "Vault is sealed")
		case r.Header.Get("X-Vault-Token") != vaultToken:
			errs(http.StatusForbidden, "permission denied")
		case r.Method != http.MethodGet || r.URL.Path != "/v1/aws/sts/deploy":
			errs(http.StatusNotFound, "no handler for route")
		default:
			if a, ok := f.answer.Load().(string); ok && a != "" {
				_, _ = w.Write([]byte(a))
				return
			}
			_ = json.NewEncoder(w).Encode(map[string]any{"lease_id": "aws/sts/deploy/abc", "lease_duration": 3600, "renewable": false,
				"data": map[string]string{"access_key": "ASIAVAULT0000000001", "secret_key": secretKey, "security_token": sessionTok, "arn": "arn:aws:sts::111122223333:assumed-role/deploy/vault"}})
		}
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeVault) config(token string) shared.Config {
	b, _ := json.Marshal(map[string]string{"address": f.srv.URL, "path": "aws/sts/deploy", "token": token})
	return b
}

func TestConformance(t *testing.T) {
	f := newFakeVault(t)
	plugintest.Conformance(t, vault.New(), plugintest.ConformanceOpts{
		ValidConfig:    f.config(vaultToken),
		InvalidConfigs: []shared.Config{shared.Config(`{"address": "ftp://x", "path": "aws/sts/deploy", "token": "t"}`), shared.Config(`{"address": "http://127.0.0.1:1"}`)},
		Refresh:        &shared.RefreshRequest{Role: "deploy", Config: f.config(vaultToken)},
		Secrets:        []string{vaultToken, secretKey, sessionTok},
		HangingConfig: func(url string) shared.Config {
			return shared.Config(`{"address": "` + url + `", "path": "aws/sts/deploy", "token": "` + vaultToken + `"}`)
		},
	})
}

// TestErrors: Vault's refusals map to permanent errors, a sealed Vault to a retryable
// one, and no error holds the token Vault echoes.
func TestErrors(t *testing.T) {
	f := newFakeVault(t)
	r := vault.New()
	refresh := func(cfg shared.Config) error {
		_, err := r.Refresh(context.Background(), &shared.RefreshRequest{Role: "deploy", Config: cfg})
		return err
	}
	for _, tc := range []struct {
		name      string
		cfg       shared.Config
		sealed    bool
		code      string
		retryable bool
		want      string
	}{
		{"wrong token", f.config("hvs.wrong-token-0123456789"), false, "AccessDenied", false, "HTTP 403"},
		{"sealed", f.config(vaultToken), true, "ServerError", true, "Vault is sealed"},
	} {
		f.sealed.Store(tc.sealed)
		se := sourcetest.WantError(t, refresh(tc.cfg), tc.code, tc.retryable, tc.want)
		if strings.Contains(se.Error(), "hvs.") {
			t.Errorf("%s: error %q holds the token", tc.name, se)
		}
	}
	f.sealed.Store(false)
	f.answer.Store(`{"data": {"access_key": "ASIA", "secret_key": "` + secretKey + `"`)
	se := sourcetest.WantError(t, refresh(f.config(vaultToken)), "InvalidResponse", true, "invalid JSON")
	if strings.Contains(se.Error(), secretKey) {
		t.Errorf("error %q quotes the answer", se)
	}
}

// TestThroughHost runs the plugin as a real subprocess under a real host.
func TestThroughHost(t *testing.T) {
	f := newFakeVault(t)
	bin := plugintestbin.Build(t, "github.com/brs-go/brs/internal/testutil/vaultplugin")
	h := plugintest.LoadHost(t, "vault", bin, `
role "deploy" {
  source = "vault"
  config {
    address = "`+f.srv.URL+`"
    path    = "aws/sts/deploy"
    token   = "`+vaultToken+`"
  }
}`)
	c, err := h.Credentials(context.Background(), "deploy")
	if err != nil {
		t.Fatal(err)
	}
	if c.AccessKeyID != "ASIAVAULT0000000001" || c.SecretAccessKey != secretKey || c.SessionToken != sessionTok {
		t.Errorf("got %v, want Vault's credentials", c)
	}
	if d := time.Until(c.Expires); d < 59*time.Minute || d > time.Hour {
		t.Errorf("expires in %v, want the lease's hour", d)
	}
}

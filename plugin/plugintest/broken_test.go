package plugintest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/source/sts"
	"github.com/brs-go/brs/plugin/plugintest"
	"github.com/brs-go/brs/shared"
)

// vault is a non-AWS source, written as a third party would: it GETs credentials
// from an HTTP server (address, else $VAULT_ADDR) with a token header, and uses
// neither RefreshRequest.Endpoint nor source credentials.
type vault struct{}

type vaultConfig struct {
	Address string `json:"address"`
	Token   string `json:"token"`
}

const vaultToken = "vault-conformance-token-7d1e"

func (vault) Schema(context.Context, *shared.SchemaRequest) (*shared.SchemaResponse, error) {
	return &shared.SchemaResponse{Schema: shared.Schema{Description: "Reads credentials from a Vault-like HTTP server.", Attributes: []shared.Attribute{
		{Name: "address", Type: shared.TypeString, Description: "The server's http(s) URL; defaults to $VAULT_ADDR."},
		{Name: "token", Type: shared.TypeString, Required: true, Sensitive: true, Description: "The token sent in X-Vault-Token."},
	}}, Environment: []string{"VAULT_ADDR"}}, nil
}

func (vault) Validate(_ context.Context, req *shared.ValidateRequest) (*shared.ValidateResponse, error) {
	var c vaultConfig
	if ds := shared.DecodeConfig(req.Config, &c); ds != nil {
		return &shared.ValidateResponse{Diagnostics: ds}, nil
	}
	var ds shared.Diagnostics
	if c.Token == "" {
		ds = append(ds, shared.ErrorDiag("token", "Missing token", "Set token."))
	}
	if c.Address != "" && !strings.HasPrefix(c.Address, "http://") && !strings.HasPrefix(c.Address, "https://") {
		ds = append(ds, shared.ErrorDiag("address", "Invalid address", "address must be an http(s) URL."))
	}
	return &shared.ValidateResponse{Diagnostics: ds}, nil
}

func (v vault) Refresh(ctx context.Context, req *shared.RefreshRequest) (*shared.RefreshResponse, error) {
	var c vaultConfig
	if err := req.Config.Decode(&c); err != nil {
		return nil, shared.Permanent("InvalidConfig", "%v", err)
	}
	if resp, _ := v.Validate(ctx, &shared.ValidateRequest{Config: req.Config}); resp.Diagnostics.HasErrors() {
		return nil, shared.InvalidConfig("vault", resp.Diagnostics)
	}
	addr := c.Address
	if addr == "" {
		addr = os.Getenv("VAULT_ADDR")
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, addr+"/v1/aws/creds", nil)
	if err != nil {
		return nil, shared.Permanent("InvalidConfig", "address: %v", err)
	}
	hreq.Header.Set("X-Vault-Token", c.Token)
	resp, err := http.DefaultClient.Do(hreq)
	if err != nil {
		return nil, shared.Retryable("NetworkError", "the request failed")
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, shared.Permanent("Refused", "the server answered %d", resp.StatusCode)
	}
	var out struct{ AccessKeyID, SecretAccessKey, SessionToken string }
	if err := json.NewDecoder(http.MaxBytesReader(nil, resp.Body, 64<<10)).Decode(&out); err != nil {
		return nil, shared.Retryable("BadAnswer", "the answer is not JSON")
	}
	return &shared.RefreshResponse{Credentials: shared.Credentials{AccessKeyID: out.AccessKeyID, SecretAccessKey: out.SecretAccessKey,
		SessionToken: out.SessionToken, Expires: time.Now().Add(time.Hour)}}, nil
}

// broken wraps a refresher that passes the suite and breaks one rule of it.
type broken struct {
	shared.Refresher
	rule      string
	sensitive string // the attribute the "sensitive" breakage marks sensitive and echoes
	logs      *logBuffer
}

type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) printf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(&l.b, format+"\n", args...)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (b broken) Schema(ctx context.Context, req *shared.SchemaRequest) (*shared.SchemaResponse, error) {
	resp, err := b.Refresher.Schema(ctx, req)
	if err != nil {
		return nil, err
	}
	out := *resp
	out.Schema.Attributes = append([]shared.Attribute{}, resp.Schema.Attributes...)
	switch b.rule {
	case "schema":
		out.Schema.Attributes = append(out.Schema.Attributes, shared.Attribute{Name: "BadName", Type: shared.TypeString, Description: "not lower_snake_case"})
	case "environment":
		out.Environment = nil
	case "sensitive":
		for i, a := range out.Schema.Attributes {
			if a.Name == b.sensitive {
				out.Schema.Attributes[i].Sensitive = true
			}
		}
	}
	return &out, nil
}

func (b broken) Validate(ctx context.Context, req *shared.ValidateRequest) (*shared.ValidateResponse, error) {
	resp, err := b.Refresher.Validate(ctx, req)
	if err != nil {
		return nil, err
	}
	switch b.rule {
	case "validate-error":
		if resp.Diagnostics.HasErrors() {
			return nil, fmt.Errorf("bad config")
		}
	case "validate-lax":
		return &shared.ValidateResponse{}, nil
	case "sensitive":
		var c map[string]any
		_ = json.Unmarshal(req.Config, &c)
		if v, ok := c[b.sensitive].(string); ok {
			resp.Diagnostics = append(resp.Diagnostics, shared.WarningDiag(b.sensitive, "Unusual value", "%q looks unusual", v))
		}
	}
	return resp, nil
}

func (b broken) Refresh(ctx context.Context, req *shared.RefreshRequest) (*shared.RefreshResponse, error) {
	switch b.rule {
	case "refresh-retryable":
		if v, _ := b.Refresher.Validate(ctx, &shared.ValidateRequest{Config: req.Config}); v != nil && v.Diagnostics.HasErrors() {
			return nil, shared.Retryable("TryAgain", "maybe later")
		}
	case "cancel", "cancel-unreached":
		ctx = context.WithoutCancel(ctx)
	case "credentials":
		if req.Role == "conformance-ok" {
			return &shared.RefreshResponse{Credentials: shared.Credentials{AccessKeyID: "ASIA\x1b[2J", SecretAccessKey: "s",
				Expires: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)}}, nil
		}
	case "secrets":
		if req.Source != nil {
			b.logs.printf("signing with %s", req.Source.SecretAccessKey)
		}
		var c map[string]any
		_ = json.Unmarshal(req.Config, &c)
		b.logs.printf("config %v", c)
	}
	return b.Refresher.Refresh(ctx, req)
}

// flavour is one base refresher and the options that make it pass the suite.
type flavour struct {
	name      string
	base      func() shared.Refresher
	opts      func(t *testing.T) plugintest.ConformanceOpts
	sensitive string
}

var flavours = []flavour{
	{name: "aws", sensitive: "external_id", base: func() shared.Refresher { return sts.New() },
		opts: func(*testing.T) plugintest.ConformanceOpts {
			return plugintest.ConformanceOpts{
				ValidConfig:    shared.Config(`{"role_arn": "arn:aws:iam::111122223333:role/r", "external_id": "ext"}`),
				InvalidConfigs: []shared.Config{shared.Config(`{"role_arn": "not-an-arn"}`)},
			}
		}},
	{name: "vault", sensitive: "token", base: func() shared.Refresher { return vault{} },
		opts: func(t *testing.T) plugintest.ConformanceOpts {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("X-Vault-Token") != vaultToken {
					http.Error(w, "denied", http.StatusForbidden)
					return
				}
				_, _ = fmt.Fprint(w, `{"AccessKeyID": "ASIAVAULTCONFORMANCE", "SecretAccessKey": "vault-secret-key-0c8a", "SessionToken": "tok"}`)
			}))
			t.Cleanup(srv.Close)
			return plugintest.ConformanceOpts{
				ValidConfig:    shared.Config(`{"token": "` + vaultToken + `"}`),
				InvalidConfigs: []shared.Config{shared.Config(`{"address": "ftp://x", "token": "t"}`), shared.Config(`{}`)},
				Refresh:        &shared.RefreshRequest{Role: "conformance-ok", Config: shared.Config(`{"address": "` + srv.URL + `", "token": "` + vaultToken + `"}`)},
				Secrets:        []string{vaultToken, "vault-secret-key-0c8a"},
				EnvURLs:        []string{"VAULT_ADDR"},
				HangingConfig: func(url string) shared.Config {
					return shared.Config(`{"address": "` + url + `", "token": "` + vaultToken + `"}`)
				},
			}
		}},
}

// rules maps each breakage to the check that must fail it.
var rules = map[string]string{
	"schema":            "schema",
	"validate-error":    "validate",
	"validate-lax":      "validate",
	"refresh-retryable": "validate",
	"sensitive":         "secrets",
	"cancel":            "cancel",
	"credentials":       "credentials",
	"environment":       "environment",
	"secrets":           "secrets",
	// The case of issue 17: a Refresh that ignores its context, checked without a
	// config that reaches the hanging server.
	"cancel-unreached": "cancel",
}

// TestBrokenRefreshers runs the suite, in a subprocess, on an AWS source (the built-in
// sts) and a non-AWS one (vault), each unbroken and broken in one rule at a time, and
// checks that the unbroken pass and that each breakage fails the check of its rule.
func TestBrokenRefreshers(t *testing.T) {
	if os.Getenv("PLUGINTEST_RUN_BROKEN") == "1" {
		for _, f := range flavours {
			t.Run(f.name+"-good", func(t *testing.T) {
				plugintest.Conformance(t, f.base(), f.opts(t))
			})
			for rule := range rules {
				t.Run(f.name+"-"+rule, func(t *testing.T) {
					logs := &logBuffer{}
					opts := f.opts(t)
					opts.Deadline = time.Second
					opts.Logs = logs.String
					switch rule {
					case "credentials":
						if opts.Refresh == nil {
							opts.Refresh = &shared.RefreshRequest{Role: "conformance-ok", Config: opts.ValidConfig}
						}
					case "cancel-unreached":
						opts.HangingConfig = nil
					}
					plugintest.Conformance(t, broken{Refresher: f.base(), rule: rule, sensitive: f.sensitive, logs: logs}, opts)
				})
			}
		}
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestBrokenRefreshers$", "-test.v")
	cmd.Env = append(os.Environ(), "PLUGINTEST_RUN_BROKEN=1")
	out, _ := cmd.CombinedOutput()
	for _, f := range flavours {
		if want := "--- PASS: TestBrokenRefreshers/" + f.name + "-good "; !strings.Contains(string(out), want) {
			t.Errorf("the unbroken %s refresher fails the suite:\n%s", f.name, out)
		}
		for rule, check := range rules {
			if f.name == "aws" && rule == "cancel-unreached" {
				continue // an AWS source reaches the endpoint without a HangingConfig
			}
			if want := fmt.Sprintf("--- FAIL: TestBrokenRefreshers/%s-%s/%s ", f.name, rule, check); !strings.Contains(string(out), want) {
				t.Errorf("%s refresher broken in %q: the %q check did not fail it", f.name, rule, check)
			}
		}
	}
	if t.Failed() {
		t.Logf("the suite's report:\n%s", out)
	}
}

package plugintest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/brs-go/brs/shared"
)

// ConformanceOpts tells Conformance how to exercise a refresher.
type ConformanceOpts struct {
	// ValidConfig is a config block (a JSON object, as the host sends it) that
	// Validate accepts without error diagnostics. Required.
	ValidConfig shared.Config
	// InvalidConfigs are config blocks that Validate must refuse with error
	// diagnostics. A block with an attribute the schema does not declare is always
	// tried too.
	InvalidConfigs []shared.Config
	// Refresh, if set, is a request that succeeds; the credentials it returns are
	// checked. Leave it nil when a refresh needs a server the test does not have.
	Refresh *shared.RefreshRequest
	// Secrets are values that no error, diagnostic or log line may hold: the
	// sensitive values of the configs, the credentials Refresh returns or is given.
	Secrets []string
	// Logs, if set, returns what the refresher has logged so far.
	Logs func() string
	// Deadline bounds how long Refresh may take to return once its context is done.
	// Zero means 5 seconds.
	Deadline time.Duration
	// HangingConfig, given the URL of a server that accepts connections and never
	// answers (see HangingServer), returns a config block that makes Refresh wait on
	// it (or on anything else that never ends): the cancel check needs a Refresh that
	// is still waiting when its context is done. The URL is RefreshRequest.Endpoint
	// too. Nil means ValidConfig, with source credentials in the request, which
	// reaches only sources that call RefreshRequest.Endpoint (AWS ones); a source
	// whose Refresh returns before its context is done fails the check and must set
	// this.
	HangingConfig func(url string) shared.Config
	// NeverWaits says that Refresh waits on no server and no command (it reads a
	// local file, say), so it cannot be made to hang: the cancel check then only
	// checks that it returns promptly.
	NeverWaits bool
	// EnvURLs names environment variables the source may read whose value is a URL
	// it calls, e.g. "VAULT_ADDR". The environment check sets each (and the AWS SDK's
	// endpoint variables) to a server of its own, and fails if Refresh calls one that
	// the source's SchemaResponse.Environment does not declare.
	EnvURLs []string
	// Prompted, if set, is a request whose Refresh needs a person's answer (SDK 1.4):
	// without answers it must fail with shared.InputRequired, and with Answers' answers
	// to its prompts it must succeed. Leave it nil for a source that never asks.
	Prompted *shared.RefreshRequest
	// Answers gives the answers to the prompts of Prompted's InputRequired error, by
	// prompt ID, as the person would type them. They are secrets: the secrets check
	// looks for them too.
	Answers func([]shared.Prompt) map[string]string
}

// sdkEnvURLs are the AWS SDK's variables whose value is a URL it calls: a source that
// uses the SDK's default config reaches one of them, and so is seen reading the SDK's
// environment.
var sdkEnvURLs = []string{"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_SSO", "AWS_ENDPOINT_URL_SSO_OIDC", "AWS_CONTAINER_CREDENTIALS_FULL_URI"}

// envSecret is the secret access key the environment check puts in
// AWS_SECRET_ACCESS_KEY.
const envSecret = "brs-conformance-env-secret-81b4c0"

// canary is the value Conformance sets sensitive attributes to; it must never come
// back in a diagnostic or an error.
const canary = "brs-conformance-canary-9f3e1a"

// sourceSecret is the secret access key of the source credentials the cancel check
// hands to Refresh, so that a source that signs requests gets as far as the endpoint.
const sourceSecret = "brs-conformance-source-secret-5c2d7b"

// Conformance runs the checks every refresher must pass, as subtests of t:
//
//   - schema: the schema is one the host accepts (shared.CheckSchema);
//   - environment: with the AWS SDK's endpoint variables and opts.EnvURLs set to
//     servers of the check's own, the first Refresh calls none that
//     SchemaResponse.Environment does not declare;
//   - validate: ValidConfig has no error diagnostics; each invalid config gets error
//     diagnostics, not an error, about declared attributes or the whole block, and
//     Refresh refuses it with a permanent *shared.Error;
//   - sensitive: a sensitive attribute's value is never echoed in a diagnostic or an
//     error;
//   - cancel: Refresh, pointed at a server that accepts connections and never answers
//     (HangingConfig, else RefreshRequest.Endpoint), is still waiting when its context
//     is done, and returns soon after; a Refresh that returns before proves nothing
//     and fails the check;
//   - credentials: the credentials Refresh answers for opts.Refresh are well-formed;
//   - prompt: Refresh of opts.Prompted, across the wire, fails with a permanent
//     shared.InputRequired error whose prompts reach the host (1 to shared.MaxPrompts,
//     distinct printable IDs, texts) and whose message says what to do without a
//     prompt; with opts.Answers' answers it returns well-formed credentials;
//   - secrets: no error, diagnostic or log line holds one of opts.Secrets.
//
// The environment check catches a source that reads an undeclared variable only where
// the read shows: a call to the URL it names. Variables read without a visible effect
// (file locations, proxies, which net/http reads once per process and never uses for
// loopback, a variable not in EnvURLs) are the author's to declare. The check sets
// variables with t.Setenv, so the test calling Conformance must not be parallel.
//
// Calls go through the real wire protocol (Connect), except where a call must be
// observed in-process (cancellation, environment). A plugin author calls it in one line:
//
//	func TestConformance(t *testing.T) {
//		plugintest.Conformance(t, myRefresher{}, plugintest.ConformanceOpts{ValidConfig: ..., InvalidConfigs: ...})
//	}
func Conformance(t *testing.T, r shared.Refresher, opts ConformanceOpts) {
	t.Helper()
	if opts.Deadline == 0 {
		opts.Deadline = 5 * time.Second
	}
	wire := Connect(t, r)
	var texts []string // every error and diagnostic text seen, checked for secrets at the end
	addDiags := func(ds shared.Diagnostics) {
		for _, d := range ds {
			texts = append(texts, d.Summary, d.Detail, d.Attribute)
		}
	}
	addErr := func(err error) {
		if err != nil {
			texts = append(texts, err.Error())
		}
	}

	var schema shared.Schema
	var environment []string
	t.Run("schema", func(t *testing.T) {
		resp := checkSchema(t, r)
		schema, environment = resp.Schema, resp.Environment
	})

	hanging := HangingServer(t)
	hang := hanging.URL
	hangingConfig := opts.ValidConfig
	if opts.HangingConfig != nil {
		hangingConfig = opts.HangingConfig(hang)
	}
	ctx := context.Background()

	// First, before any other Refresh: a source may read its environment once and
	// keep what it found (the AWS SDK's config, say).
	t.Run("environment", func(t *testing.T) {
		env := map[string]*recorder{}
		for _, name := range append(append([]string{}, sdkEnvURLs...), opts.EnvURLs...) {
			env[name] = newRecorder(t)
			t.Setenv(name, env[name].url)
		}
		dir := t.TempDir()
		for name, value := range map[string]string{
			"AWS_ACCESS_KEY_ID": "AKIACONFORMANCEENV01", "AWS_SECRET_ACCESS_KEY": envSecret, "AWS_SESSION_TOKEN": "",
			"AWS_REGION": "us-east-1", "AWS_PROFILE": "", "AWS_CONFIG_FILE": filepath.Join(dir, "config"),
			"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "credentials"), "AWS_EC2_METADATA_DISABLED": "true",
		} {
			t.Setenv(name, value)
		}
		ectx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		_, err := refreshWithin(t, r, &shared.RefreshRequest{Role: "conformance", Config: opts.ValidConfig}, opts.Deadline, ectx)
		addErr(err)
		for name, rec := range env {
			if rec.calls() > 0 && !shared.EnvironmentMatches(environment, name) {
				t.Errorf("Refresh called the URL in $%s, which the schema's Environment does not declare: declare every variable the source reads", name)
			}
		}
	})

	t.Run("validate", func(t *testing.T) {
		if len(opts.ValidConfig) == 0 {
			t.Fatal("ConformanceOpts.ValidConfig is required")
		}
		resp, err := wire.Validate(ctx, &shared.ValidateRequest{Role: "conformance", Config: opts.ValidConfig})
		if err != nil {
			t.Fatalf("Validate(ValidConfig): %v", err)
		}
		addDiags(resp.Diagnostics)
		if resp.Diagnostics.HasErrors() {
			t.Errorf("Validate(ValidConfig) has error diagnostics: %+v", resp.Diagnostics)
		}
		invalid := append([]shared.Config{shared.Config(`{"conformance_undeclared_attribute": "x"}`)}, opts.InvalidConfigs...)
		for _, cfg := range invalid {
			resp, err := wire.Validate(ctx, &shared.ValidateRequest{Role: "conformance", Config: cfg})
			if err != nil {
				t.Errorf("Validate(%s) returned an error instead of diagnostics: %v", cfg, err)
				addErr(err)
				continue
			}
			addDiags(resp.Diagnostics)
			if !resp.Diagnostics.HasErrors() {
				t.Errorf("Validate(%s) found nothing wrong", cfg)
			}
			for _, d := range resp.Diagnostics {
				if _, ok := schema.Attribute(d.Attribute); d.Attribute != "" && !ok {
					t.Errorf("diagnostic %q is about attribute %q, which the schema does not declare", d.Summary, d.Attribute)
				}
			}
			_, err = refreshWithin(t, r, &shared.RefreshRequest{Role: "conformance", Config: cfg, Endpoint: hang}, opts.Deadline)
			addErr(err)
			var se *shared.Error
			if !errors.As(err, &se) || se.Retryable {
				t.Errorf("Refresh(%s) = %v (%T), want a permanent *shared.Error", cfg, err, err)
			}
		}
	})

	t.Run("sensitive", func(t *testing.T) {
		var base map[string]any
		if err := json.Unmarshal(opts.ValidConfig, &base); err != nil {
			t.Fatalf("ValidConfig is not a JSON object: %v", err)
		}
		for _, a := range schema.Attributes {
			if !a.Sensitive {
				continue
			}
			cfg := map[string]any{}
			for k, v := range base {
				cfg[k] = v
			}
			switch a.Type {
			case shared.TypeString:
				cfg[a.Name] = canary
			case shared.TypeStringList:
				cfg[a.Name] = []string{canary}
			case shared.TypeStringMap:
				cfg[a.Name] = map[string]string{"CONFORMANCE": canary} // keys are names, not secrets
			default:
				continue
			}
			raw, _ := json.Marshal(cfg)
			resp, err := wire.Validate(ctx, &shared.ValidateRequest{Role: "conformance", Config: raw})
			addErr(err)
			if resp != nil {
				addDiags(resp.Diagnostics)
			}
			// Only what comes back matters here, not whether the refresh could succeed.
			sctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
			_, err = refreshWithin(t, r, &shared.RefreshRequest{Role: "conformance", Config: raw, Endpoint: hang}, opts.Deadline, sctx)
			cancel()
			addErr(err)
		}
	})

	t.Run("cancel", func(t *testing.T) {
		req := &shared.RefreshRequest{Role: "conformance", Config: hangingConfig, Region: "us-east-1", Endpoint: hang}
		if opts.HangingConfig == nil {
			// An AWS source signs its call with these and gets as far as the endpoint.
			req.Source = &shared.Credentials{AccessKeyID: "AKIACONFORMANCETEST1", SecretAccessKey: sourceSecret}
		}
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		_, err := refreshWithin(t, r, req, opts.Deadline, cctx)
		addErr(err)
		before := hanging.Connections()
		dctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		defer cancel()
		_, err = refreshWithin(t, r, req, opts.Deadline, dctx)
		addErr(err)
		if dctx.Err() == nil && !opts.NeverWaits {
			reached := "never reached the hanging server"
			if hanging.Connections() > before {
				reached = "reached the hanging server"
			}
			t.Errorf("Refresh returned before its context was done (%s; it %s), so cancellation was never tested: "+
				"set ConformanceOpts.HangingConfig to a config that points the source at the server it is given", shared.Clean(fmt.Sprint(err), shared.MaxSummaryLen), reached)
		}
	})

	if opts.Refresh != nil {
		t.Run("credentials", func(t *testing.T) {
			resp, err := wire.Refresh(ctx, opts.Refresh)
			if err != nil {
				addErr(err)
				t.Fatalf("Refresh(opts.Refresh): %v", err)
			}
			c := resp.Credentials
			if c.AccessKeyID == "" || c.SecretAccessKey == "" {
				t.Errorf("credentials %v lack an access key id or a secret", c)
			}
			if err := shared.CheckCredentials(c, time.Now()); err != nil {
				t.Errorf("credentials %v: %v", c, err)
			}
			if c.CanExpire() && !c.Expires.After(time.Now()) {
				t.Errorf("credentials %v have already expired", c)
			}
		})
	}

	var answered []string
	if opts.Prompted != nil {
		t.Run("prompt", func(t *testing.T) {
			if opts.Answers == nil {
				t.Fatal("ConformanceOpts.Answers is required with Prompted")
			}
			req := *opts.Prompted
			req.Answers = nil
			_, err := wire.Refresh(ctx, &req)
			addErr(err)
			var se *shared.Error
			if !errors.As(err, &se) || se.Code != shared.CodeInputRequired || se.Retryable {
				t.Fatalf("Refresh(Prompted) without answers = %v; want a permanent shared.InputRequired error", err)
			}
			if len(se.Prompts) == 0 {
				t.Fatalf("Refresh(Prompted): the InputRequired error reached the host without prompts (at most %d, each with a distinct printable ID of at most %d bytes): a host would show only %q",
					shared.MaxPrompts, shared.MaxSummaryLen, se.Message)
			}
			if strings.TrimSpace(se.Message) == "" {
				t.Errorf("Refresh(Prompted): the InputRequired error has no message: a host that cannot ask shows it, and it must say what to do")
			}
			for _, p := range se.Prompts {
				if strings.TrimSpace(p.Text) == "" {
					t.Errorf("prompt %q has no text to show", p.ID)
				}
			}
			req.Answers = opts.Answers(se.Prompts)
			for _, a := range req.Answers {
				answered = append(answered, a)
			}
			resp, err := wire.Refresh(ctx, &req)
			addErr(err)
			if err != nil {
				t.Fatalf("Refresh(Prompted) with the answers: %v", err)
			}
			if err := shared.CheckCredentials(resp.Credentials, time.Now()); err != nil || resp.Credentials.AccessKeyID == "" {
				t.Errorf("Refresh(Prompted) with the answers: credentials %v: %v", resp.Credentials, err)
			}
		})
	}

	t.Run("secrets", func(t *testing.T) {
		secrets := append(append([]string{canary, sourceSecret, envSecret}, opts.Secrets...), answered...)
		if opts.Logs != nil {
			texts = append(texts, opts.Logs())
		}
		for _, text := range texts {
			for _, s := range secrets {
				if s != "" && strings.Contains(text, s) {
					t.Errorf("a secret (%d bytes) is shown in %q", len(s), strings.ReplaceAll(text, s, "[SECRET]"))
				}
			}
		}
	})
}

// refreshWithin calls r.Refresh in-process with the given context (else one that is
// never done) and fails the test if it does not return within limit after that
// context is done.
func refreshWithin(t *testing.T, r shared.Refresher, req *shared.RefreshRequest, limit time.Duration, ctxs ...context.Context) (*shared.RefreshResponse, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	if len(ctxs) > 0 {
		ctx = ctxs[0]
	}
	type result struct {
		resp *shared.RefreshResponse
		err  error
	}
	done := make(chan result, 1)
	go func() {
		resp, err := r.Refresh(ctx, req)
		done <- result{resp, err}
	}()
	select {
	case res := <-done:
		if res.err == nil && res.resp == nil {
			t.Errorf("Refresh(%v) returned neither credentials nor an error", req)
		}
		return res.resp, res.err
	case <-ctx.Done():
	}
	select {
	case res := <-done:
		return res.resp, res.err
	case <-time.After(limit):
		t.Errorf("Refresh(%v) did not return within %v after its context was done", req, limit)
		return nil, errors.New("no answer")
	}
}

// Hanging is a server that accepts connections and never answers: a source pointed
// at it waits until its context is done.
type Hanging struct {
	// URL is the server's http:// URL.
	URL   string
	conns atomic.Int64
}

// Connections returns how many connections the server has accepted.
func (h *Hanging) Connections() int { return int(h.conns.Load()) }

// HangingServer starts a Hanging server on loopback, closed (with every connection it
// holds) when the test ends.
func HangingServer(t testing.TB) *Hanging {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("plugintest: %v", err)
	}
	h := &Hanging{URL: "http://" + ln.Addr().String()}
	done := make(chan struct{})
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				for _, c := range conns {
					_ = c.Close()
				}
				close(done)
				return
			}
			h.conns.Add(1)
			conns = append(conns, c) // held open, never answered
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		<-done
	})
	return h
}

// recorder is a loopback HTTP server that counts the requests it gets and refuses
// each (403).
type recorder struct {
	url string
	n   atomic.Int64
}

func (r *recorder) calls() int { return int(r.n.Load()) }

func newRecorder(t *testing.T) *recorder {
	rec := &recorder{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		rec.n.Add(1)
		http.Error(w, "plugintest: environment check", http.StatusForbidden)
	}))
	t.Cleanup(srv.Close)
	rec.url = srv.URL
	return rec
}

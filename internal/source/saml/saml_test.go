package saml_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/source/saml"
	"github.com/brs-go/brs/internal/testutil/fakesaml"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
	"github.com/brs-go/brs/plugin/plugintest"
	"github.com/brs-go/brs/shared"
)

// TestRefresh: the assertion's one role is assumed with the parameters of the config,
// in-process and over gRPC, and saml_command runs again at every refresh.
func TestRefresh(t *testing.T) {
	for via, r := range map[string]shared.Refresher{"in-process": saml.New(), "over gRPC": plugintest.Connect(t, saml.New())} {
		t.Run(via, func(t *testing.T) {
			w := newWorld(t)
			cfg := w.config(`"duration": "30m", "policy": "{\"Version\": \"2012-10-17\", \"Statement\": []}", "policy_arns": ["arn:aws:iam::aws:policy/ReadOnlyAccess"]`)
			var keys []string
			for i := range 2 {
				b64 := w.write(t, fakesaml.Assertion{Roles: pairs(devRole, okta)})
				creds, err := sourcetest.Refresh(context.Background(), r, w.request(cfg))
				if err != nil {
					t.Fatalf("refresh %d: %v", i, err)
				}
				if !strings.HasPrefix(creds.AccessKeyID, "ASIA") || creds.SessionToken == "" ||
					creds.ARN != "arn:aws:sts::111122223333:assumed-role/dev/alice@example.com" || creds.AccountID != "111122223333" ||
					!creds.Expires.Equal(w.clock.Now().Add(30*time.Minute).UTC().Truncate(time.Second)) {
					t.Errorf("credentials %v", creds)
				}
				keys = append(keys, creds.AccessKeyID)
				form := w.sts.Requests()[i]
				for k, v := range map[string]string{
					"RoleArn": devRole, "PrincipalArn": okta, "SAMLAssertion": b64, "DurationSeconds": "1800",
					"PolicyArns.member.1.arn": "arn:aws:iam::aws:policy/ReadOnlyAccess", "Policy": `{"Version": "2012-10-17", "Statement": []}`,
				} {
					if got := form.Get(k); got != v {
						t.Errorf("%s = %.60q, want %.60q", k, got, v)
					}
				}
			}
			if w.runCount() != 2 || w.sts.Calls() != 2 || keys[0] == keys[1] {
				t.Errorf("saml_command ran %d times, %d calls, keys %v; want 2, 2 and two keys", w.runCount(), w.sts.Calls(), keys)
			}
		})
	}
}

// TestChooseRole: role_arn and principal_arn pick the pair among those the assertion
// offers (in either order of the pair); an ambiguous or absent choice is a clear error
// that lists the role ARNs and holds nothing of the assertion; no call is made then.
func TestChooseRole(t *testing.T) {
	w := newWorld(t)
	b64 := w.write(t, fakesaml.Assertion{Roles: []string{devRole + "," + okta, okta + "," + admin, " " + admin + " , " + azure + " ", "not a pair"}})
	ctx := context.Background()
	r := saml.New()
	refresh := func(more string) (shared.Credentials, error) {
		return sourcetest.Refresh(ctx, r, w.request(w.config(more)))
	}

	_, err := refresh("")
	e := sourcetest.WantError(t, err, "SAMLRoleAmbiguous", false, "offers 3 matching roles: "+devRole+", "+admin+" (with "+okta+"), "+admin+" (with "+azure+"); set role_arn")
	noSecret(t, e.Error(), b64)
	_, err = refresh(fmt.Sprintf(`"role_arn": %q`, admin))
	sourcetest.WantError(t, err, "SAMLRoleAmbiguous", false, "set principal_arn")
	_, err = refresh(`"role_arn": "arn:aws:iam::111122223333:role/ops"`)
	e = sourcetest.WantError(t, err, "SAMLRoleNotFound", false, "role_arn arn:aws:iam::111122223333:role/ops is not among the roles the SAML assertion offers: "+devRole)
	noSecret(t, e.Error(), b64)
	if n := len(w.sts.Requests()); n != 0 {
		t.Errorf("%d calls to STS without a role chosen", n)
	}

	for _, c := range []struct{ more, role, principal string }{
		{fmt.Sprintf(`"role_arn": %q`, devRole), devRole, okta},
		{fmt.Sprintf(`"role_arn": %q, "principal_arn": %q`, admin, okta), admin, okta},
		{fmt.Sprintf(`"role_arn": %q, "principal_arn": %q`, admin, azure), admin, azure},
	} {
		creds, err := refresh(c.more)
		if err != nil {
			t.Fatalf("%s: %v", c.more, err)
		}
		form := w.sts.Requests()[len(w.sts.Requests())-1]
		if form.Get("RoleArn") != c.role || form.Get("PrincipalArn") != c.principal || !strings.Contains(creds.ARN, strings.TrimPrefix(c.role, "arn:aws:iam::111122223333:role/")) {
			t.Errorf("%s: sent %s with %s, got %s", c.more, form.Get("RoleArn"), form.Get("PrincipalArn"), creds.ARN)
		}
	}

	w.write(t, fakesaml.Assertion{})
	_, err = refresh("")
	sourcetest.WantError(t, err, "SAMLRoleNotFound", false, "has no Role attribute")
	w.write(t, fakesaml.Assertion{Roles: []string{devRole, "x,y"}})
	_, err = refresh("")
	sourcetest.WantError(t, err, "SAMLRoleNotFound", false, "holds 2 value(s), none of them a pair")
}

// TestSTSRefusals: what STS (the fake, which checks as AWS does) refuses reaches the
// caller with its code, permanent or retryable, naming the role and provider and
// holding nothing of the assertion.
func TestSTSRefusals(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	r := saml.New()
	good := fakesaml.Assertion{Roles: pairs(devRole, okta)}

	// Tampered: the signed assertion's role changed to another.
	b64 := w.write(t, fakesaml.Assertion{Roles: pairs(devRole, okta)})
	doc, _ := base64.StdEncoding.DecodeString(b64)
	tampered := base64.StdEncoding.EncodeToString([]byte(strings.Replace(string(doc), devRole, admin, 1)))
	w.writeRaw(t, tampered)
	_, err := sourcetest.Refresh(ctx, r, w.request(w.config("")))
	e := sourcetest.WantError(t, err, "InvalidIdentityToken", false, "AssumeRoleWithSAML "+admin+" with SAML provider "+okta, "Response signature invalid", "signing certificate")
	noSecret(t, e.Error(), tampered)

	// Wrong audience.
	wrong := good
	wrong.Audience = "https://app.example.com/saml"
	b64 = w.write(t, wrong)
	_, err = sourcetest.Refresh(ctx, r, w.request(w.config("")))
	e = sourcetest.WantError(t, err, "InvalidIdentityToken", false, "audience")
	noSecret(t, e.Error(), b64)

	// Expired: issued 6 minutes ago by the fake's clock; retryable, as the next
	// attempt runs saml_command again.
	stale := good
	stale.Issued = w.clock.Now().Add(-6 * time.Minute)
	stale.Lifetime = time.Hour
	b64 = w.write(t, stale)
	_, err = sourcetest.Refresh(ctx, r, w.request(w.config("")))
	e = sourcetest.WantError(t, err, "ExpiredTokenException", true, "runs saml_command again")
	noSecret(t, e.Error(), b64)
	// ... and the next attempt, with a fresh assertion, succeeds.
	w.write(t, good)
	if _, err := sourcetest.Refresh(ctx, r, w.request(w.config(""))); err != nil {
		t.Errorf("with a fresh assertion: %v", err)
	}

	// A duration over the role's MaxSessionDuration (the fake's 12h here is not
	// reached; a role of 1h is): permanent.
	f1h := fakesaml.Start(t, fakesaml.Options{Providers: map[string]fakesaml.Provider{okta: w.idp.Provider()}, Clock: w.clock})
	req := w.request(w.config(`"duration": "2h"`))
	req.Endpoint = f1h.URL
	_, err = sourcetest.Refresh(ctx, r, req)
	sourcetest.WantError(t, err, "ValidationError", false, "MaxSessionDuration")
}

// TestErrorRedacted: an STS error message that quotes the assertion reaches the
// caller with the assertion replaced.
func TestErrorRedacted(t *testing.T) {
	w := newWorld(t)
	b64 := w.write(t, fakesaml.Assertion{Roles: pairs(devRole, okta)})
	echo := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, req *http.Request) {
		_ = req.ParseForm()
		doc, _ := base64.StdEncoding.DecodeString(req.PostForm.Get("SAMLAssertion"))
		rw.Header().Set("Content-Type", "text/xml")
		rw.WriteHeader(400)
		fmt.Fprintf(rw, `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code><Message>bad %s and %s</Message></Error><RequestId>x</RequestId></ErrorResponse>`,
			req.PostForm.Get("SAMLAssertion"), strings.NewReplacer("<", "&lt;", ">", "&gt;", "&", "&amp;").Replace(string(doc)))
	}))
	defer echo.Close()
	req := w.request(w.config(""))
	req.Endpoint = echo.URL
	_, err := sourcetest.Refresh(context.Background(), saml.New(), req)
	e := sourcetest.WantError(t, err, "InvalidIdentityToken", false, "bad [redacted] and [redacted]")
	noSecret(t, e.Error(), b64)
}

// TestCommandAndResponseErrors: a failing, silent, hung or verbose saml_command, and
// output that is not a SAMLResponse with an assertion, are permanent errors that say
// what is wrong without quoting the output; no call to STS is made.
func TestCommandAndResponseErrors(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	enc := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	failed := `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"/></samlp:Status></samlp:Response>`
	cases := []struct {
		name, command, more, code string
		want                      []string
	}{
		{"exit status", "echo 'IdP said no' >&2; exit 3", "", "SAMLCommandFailed", []string{"exited with status 3"}},
		{"silent", "true", "", "SAMLCommandFailed", []string{"printed nothing"}},
		{"too much", "head -c 1100000 /dev/zero | tr '\\0' A", "", "InvalidSAMLResponse", []string{"more than 1024 KiB"}},
		{"over STS's limit", "head -c 100004 /dev/zero | tr '\\0' A", "", "InvalidSAMLResponse", []string{"100004 base64 characters; STS takes at most 100000"}},
		{"timeout", "sleep 30", `"timeout": "1s"`, "SAMLCommandTimeout", []string{"did not finish within 1s"}},
		{"not base64", "echo 'SAMLResponse=abc%2Bdef'", "", "InvalidSAMLResponse", []string{"not base64"}},
		{"not XML", "echo " + enc("secret-not-xml <<"), "", "InvalidSAMLResponse", []string{"not well-formed XML"}},
		{"not a Response", "echo " + enc(`<html><body>secret-login-page</body></html>`), "", "InvalidSAMLResponse", []string{`root element is "html", not a SAML 2.0 Response`}},
		{"failed sign-in", "echo " + enc(failed), "", "InvalidSAMLResponse", []string{"holds no assertion (its status is urn:oasis:names:tc:SAML:2.0:status:Responder)"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := fmt.Sprintf(`{"saml_command": %q`, c.command)
			if c.more != "" {
				cfg += ", " + c.more
			}
			cfg += "}"
			var stderr sourcetest.SyncBuffer
			_, err := sourcetest.Refresh(ctx, saml.New(saml.WithStderr(&stderr)), w.request(shared.Config(cfg)))
			e := sourcetest.WantError(t, err, c.code, false, c.want...)
			if strings.Contains(e.Error(), "secret-") || strings.Contains(e.Error(), "AAAAAAAAAAAAAAAA") {
				t.Errorf("the error quotes the output: %v", e)
			}
		})
	}
	if n := len(w.sts.Requests()); n != 0 {
		t.Errorf("%d calls to STS", n)
	}
}

// TestStderrRedacted: what saml_command writes on standard error reaches the log
// without the assertion, whether it echoes it as printed, wrapped at 76 columns
// (as base64(1) does), or decoded.
func TestStderrRedacted(t *testing.T) {
	w := newWorld(t)
	b64 := w.write(t, fakesaml.Assertion{Roles: pairs(devRole, okta)})
	var stderr sourcetest.SyncBuffer
	cmd := fmt.Sprintf(`echo "signing in as alice"; cat %[1]q; fold -w 76 %[1]q; base64 -d %[1]q; echo; echo done`, w.file)
	cmd = "{ " + cmd + "; } >&2; cat " + w.file
	_, err := sourcetest.Refresh(context.Background(), saml.New(saml.WithStderr(&stderr)), w.request(shared.Config(fmt.Sprintf(`{"saml_command": %q}`, cmd))))
	if err != nil {
		t.Fatal(err)
	}
	log := stderr.String()
	if !strings.Contains(log, "signing in as alice") || !strings.Contains(log, "[REDACTED]") || !strings.Contains(log, "done") {
		t.Errorf("stderr:\n%s", log)
	}
	noSecret(t, log, b64)
	for _, line := range strings.Split(log, "\n") {
		if len(line) > 40 && strings.Contains(b64, line) {
			t.Errorf("stderr holds a piece of the assertion: %q", line)
		}
	}
	if strings.Contains(log, "SignatureValue") || strings.Contains(log, "alice@example.com") {
		t.Errorf("stderr holds the decoded assertion:\n%s", log)
	}
}

// TestSourceRole: a saml role takes no source_role.
func TestSourceRole(t *testing.T) {
	w := newWorld(t)
	req := w.request(w.config(""))
	req.Source = &shared.Credentials{AccessKeyID: "AKIA", SecretAccessKey: "s"}
	_, err := sourcetest.Refresh(context.Background(), saml.New(), req)
	sourcetest.WantError(t, err, "SourceRoleUnsupported", false)
	if w.runCount() != 0 {
		t.Error("saml_command ran")
	}
}

func TestValidate(t *testing.T) {
	cases := map[string]string{
		`{}`:                    "saml_command",
		`{"saml_command": " "}`: "saml_command",
		`{"saml_command": "x", "role_arn": "arn:aws:iam::111122223333:user/alice"}`:           "role_arn",
		`{"saml_command": "x", "role_arn": "dev"}`:                                            "role_arn",
		`{"saml_command": "x", "principal_arn": "arn:aws:iam::111122223333:role/dev"}`:        "principal_arn",
		`{"saml_command": "x", "principal_arn": "arn:aws:iam::111122223333:oidc-provider/x"}`: "principal_arn",
		`{"saml_command": "x", "duration": "13h"}`:                                            "duration",
		`{"saml_command": "x", "duration": "10m"}`:                                            "duration",
		`{"saml_command": "x", "timeout": "20m"}`:                                             "timeout",
		`{"saml_command": "x", "timeout": "soon"}`:                                            "timeout",
		`{"saml_command": "x", "env": {"PLUGIN_PROTOCOL_VERSIONS": "1"}}`:                     "env",
		`{"saml_command": "x", "inherit_env": ["1A"]}`:                                        "inherit_env",
		`{"saml_command": "x", "policy": "not json"}`:                                         "policy",
		`{"saml_command": "x", "policy_arns": ["ReadOnly"]}`:                                  "policy_arns",
	}
	for cfg, attr := range cases {
		ds, err := sourcetest.Validate(context.Background(), saml.New(), shared.Config(cfg))
		if err != nil {
			t.Fatal(err)
		}
		if !ds.HasErrors() || !strings.Contains(fmt.Sprint(ds), attr) {
			t.Errorf("%s: %v, want an error about %s", cfg, ds, attr)
		}
	}
	ds, _ := sourcetest.Validate(context.Background(), saml.New(), shared.Config(`{"saml_command": "x", "role_arn": "arn:aws-us-gov:iam::111122223333:role/a/b", "principal_arn": "arn:aws:iam::111122223333:saml-provider/okta", "duration": "12h", "timeout": "5m", "env": {"A": "b"}, "inherit_env": ["C"]}`))
	if ds.HasErrors() {
		t.Errorf("valid config refused: %v", ds)
	}
}

func TestConformance(t *testing.T) {
	w := newWorld(t)
	b64 := w.write(t, fakesaml.Assertion{Roles: pairs(devRole, okta)})
	plugintest.Conformance(t, saml.New(), plugintest.ConformanceOpts{
		// A command that fails: the environment check must not reach the fake.
		ValidConfig:    shared.Config(`{"saml_command": "cat /nonexistent/brs-conformance-saml", "role_arn": "arn:aws:iam::111122223333:role/dev"}`),
		InvalidConfigs: []shared.Config{shared.Config(`{"saml_command": "x", "role_arn": "dev"}`), shared.Config(`{"role_arn": "arn:aws:iam::111122223333:role/dev"}`)},
		// A response the source accepts, so that it calls STS at the hanging endpoint.
		HangingConfig: func(string) shared.Config { return w.config("") },
		Refresh:       func() *shared.RefreshRequest { r := w.request(w.config("")); return &r }(),
		Secrets:       []string{b64},
	})
}

// TestHCLErrors: at load, the host refuses an env() value in saml_command (a command
// line every local user can read) and the source's own diagnostics (a bad ARN, a
// source_role) come back with the file, line and column, quoting no env() value.
func TestHCLErrors(t *testing.T) {
	t.Setenv("IDP_PASSWORD", "hunter2-idp-password")
	src := `role "a" {
  source = "saml"
  config {
    saml_command = "idp-login --password ${env("IDP_PASSWORD")}"
  }
}

role "b" {
  source = "saml"
  config {
    saml_command = "idp-login"
    role_arn     = "arn:aws:iam::111122223333:user/alice"
  }
}

role "ok" {
  source = "saml"
  config {
    saml_command = "idp-login"
  }
}

role "chained" {
  source      = "saml"
  source_role = "ok"
  config {
    saml_command = "idp-login"
  }
}
`
	_, err := host.LoadSource(context.Background(), "saml.hcl", []byte(src), host.WithRefresher("saml", saml.New()))
	if err == nil {
		t.Fatal("loaded")
	}
	msg := err.Error()
	for _, want := range []string{"saml.hcl:4,", "Secret in a command line; saml_command", "saml.hcl:12,", "role_arn must be an IAM role ARN", "saml.hcl:26,", "a saml role cannot use a source_role's credentials"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error does not say %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "hunter2") {
		t.Errorf("error quotes the env() value:\n%s", msg)
	}
}

// TestValidateWithRequest: a host of contract 1.1 says whether the role has a
// source_role (refused at load) and its refresh timeout (an explicit saml_command
// timeout that does not fit in it gets a warning; the default does not).
func TestValidateWithRequest(t *testing.T) {
	ctx := context.Background()
	validate := func(req shared.ValidateRequest) shared.Diagnostics {
		t.Helper()
		resp, err := saml.New().Validate(ctx, &req)
		if err != nil {
			t.Fatal(err)
		}
		return resp.Diagnostics
	}
	ds := validate(shared.ValidateRequest{Config: shared.Config(`{"saml_command": "x"}`), HasSourceRole: true})
	if !ds.HasErrors() || !strings.Contains(fmt.Sprint(ds), "source_role") {
		t.Errorf("source_role: %v", ds)
	}
	ds = validate(shared.ValidateRequest{Config: shared.Config(`{"saml_command": "x", "timeout": "2m"}`), RefreshTimeout: 30 * time.Second})
	if ds.HasErrors() || len(ds) != 1 || !strings.Contains(fmt.Sprint(ds), "Raise refresh { timeout } above 2m0s") {
		t.Errorf("timeout over the refresh's: %v", ds)
	}
	for _, cfg := range []string{`{"saml_command": "x"}`, `{"saml_command": "x", "timeout": "2m"}`} {
		if ds := validate(shared.ValidateRequest{Config: shared.Config(cfg), RefreshTimeout: 3 * time.Minute}); len(ds) != 0 {
			t.Errorf("%s with a 3m refresh: %v", cfg, ds)
		}
	}
	if ds := validate(shared.ValidateRequest{Config: shared.Config(`{"saml_command": "x"}`), RefreshTimeout: 30 * time.Second}); len(ds) != 0 {
		t.Errorf("the default timeout warned: %v", ds)
	}
}

// TestSharedSignIn: roles that run the same saml_command share one run while its
// assertion is valid — one sign-in for every role of an identity provider, not one
// each — whether they refresh one after another or at once. A role that has used the
// assertion runs the command again at its next refresh; a different command (here the
// same line with another env) runs on its own; no role gets an assertion past its
// IssueInstant's five minutes at STS; and one STS refused is not given to another role.
func TestSharedSignIn(t *testing.T) {
	ctx := context.Background()
	roles := []string{devRole, admin, "arn:aws:iam::111122223333:role/ops"}
	assertion := fakesaml.Assertion{Roles: pairs(roles[0], okta, roles[1], okta, roles[2], okta)}
	refresh := func(t *testing.T, w *world, r shared.Refresher, i int, more string) (shared.Credentials, error) {
		t.Helper()
		req := w.request(w.config(fmt.Sprintf(`"role_arn": %q`, roles[i]) + more))
		req.Role = fmt.Sprintf("r%d", i)
		return sourcetest.Refresh(ctx, r, req)
	}

	t.Run("one after another", func(t *testing.T) {
		w := newWorld(t)
		b64 := w.write(t, assertion)
		r := saml.New(saml.WithNow(w.clock.Now))
		for i := range roles {
			if _, err := refresh(t, w, r, i, ""); err != nil {
				t.Fatalf("role %d: %v", i, err)
			}
		}
		if n := w.runCount(); n != 1 {
			t.Errorf("three roles ran saml_command %d times, want once", n)
		}
		for i, form := range w.sts.Requests() {
			if form.Get("SAMLAssertion") != b64 || form.Get("RoleArn") != roles[i] {
				t.Errorf("call %d: %s with another assertion", i, form.Get("RoleArn"))
			}
		}
		// r0 has used it: its next refresh signs in again, and r1 reuses that one.
		w.write(t, assertion)
		for _, i := range []int{0, 1} {
			if _, err := refresh(t, w, r, i, ""); err != nil {
				t.Fatal(err)
			}
		}
		if n := w.runCount(); n != 2 {
			t.Errorf("after r0 refreshed again: %d runs, want 2", n)
		}
		// Past IssueInstant + 5m − 30s: another role may not use it.
		w.clock.Advance(saml.StsMaxAge - 29*time.Second)
		w.write(t, assertion)
		if _, err := refresh(t, w, r, 2, ""); err != nil {
			t.Fatal(err)
		}
		if n := w.runCount(); n != 3 {
			t.Errorf("an assertion 4m31s old: %d runs, want 3 (a new sign-in)", n)
		}
		// Another env is another command.
		if _, err := refresh(t, w, r, 0, `, "env": {"IDP_USER": "bob"}`); err != nil {
			t.Fatal(err)
		}
		if n := w.runCount(); n != 4 {
			t.Errorf("a role with another env: %d runs, want 4", n)
		}
	})

	t.Run("at once", func(t *testing.T) {
		w := newWorld(t)
		w.write(t, assertion)
		r := plugintest.Connect(t, saml.New(saml.WithNow(w.clock.Now)))
		errs := make(chan error, len(roles))
		for i := range roles {
			go func() { _, err := refresh(t, w, r, i, ""); errs <- err }()
		}
		for range roles {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		if n, calls := w.runCount(), w.sts.Calls(); n != 1 || calls != 3 {
			t.Errorf("three roles at once: %d runs, %d calls; want 1 and 3", n, calls)
		}
	})

	t.Run("failed run", func(t *testing.T) {
		w := newWorld(t)
		w.writeRaw(t, "not base64!")
		r := saml.New(saml.WithNow(w.clock.Now))
		_, err := refresh(t, w, r, 0, "")
		sourcetest.WantError(t, err, "InvalidSAMLResponse", false)
		// The sign-in works again (the user fixed it): the next role signs in anew
		// rather than getting the earlier failure.
		w.write(t, assertion)
		if _, err := refresh(t, w, r, 1, ""); err != nil {
			t.Fatalf("after a failed sign-in, another role: %v; want a new sign-in", err)
		}
		if n := w.runCount(); n != 2 {
			t.Errorf("%d runs, want 2", n)
		}
	})

	t.Run("refused", func(t *testing.T) {
		w := newWorld(t)
		w.write(t, assertion)
		r := saml.New(saml.WithNow(w.clock.Now))
		if _, err := refresh(t, w, r, 0, ""); err != nil {
			t.Fatal(err)
		}
		// STS refuses r1's call.
		refusing := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, _ *http.Request) {
			rw.WriteHeader(http.StatusForbidden)
			fmt.Fprint(rw, `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>no</Message></Error><RequestId>x</RequestId></ErrorResponse>`)
		}))
		defer refusing.Close()
		req := w.request(w.config(fmt.Sprintf(`"role_arn": %q`, roles[1])))
		req.Role, req.Endpoint = "r1", refusing.URL
		if _, err := sourcetest.Refresh(ctx, r, req); err == nil {
			t.Fatal("the refusing STS was not refused")
		}
		if _, err := refresh(t, w, r, 2, ""); err != nil {
			t.Fatal(err)
		}
		if n := w.runCount(); n != 2 {
			t.Errorf("after STS refused the shared assertion: %d runs, want 2 (r2 signs in again)", n)
		}
	})
}

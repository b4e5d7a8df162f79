package main

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/testutil/needtool"
	"github.com/brs-go/brs/shared"
)

func TestEnvScript(t *testing.T) {
	now := time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)
	creds := shared.Credentials{AccessKeyID: "ASIAEXAMPLE", SecretAccessKey: "se'cr/et+", SessionToken: "tok=en",
		Expires: now.Add(59*time.Minute + 30*time.Second)}
	want := `export AWS_ACCESS_KEY_ID='ASIAEXAMPLE';
export AWS_SECRET_ACCESS_KEY='se'\''cr/et+';
export AWS_SESSION_TOKEN='tok=en';
export AWS_CREDENTIAL_EXPIRATION='2026-03-04T12:59:30Z';
export AWS_REGION='eu-west-1';
export AWS_DEFAULT_REGION='eu-west-1';
unset AWS_SECURITY_TOKEN;
# role analytics: expires 2026-03-04T12:59:30Z, in 59m30s; run brs env again before then, or use brs exec, which keeps them fresh
`
	if got := envScript(shells["sh"], "analytics", creds, "eu-west-1", now); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	want = `export AWS_ACCESS_KEY_ID='AKIAEXAMPLE';
export AWS_SECRET_ACCESS_KEY='s';
unset AWS_SECURITY_TOKEN AWS_SESSION_TOKEN AWS_CREDENTIAL_EXPIRATION;
# role static: these credentials do not expire
`
	if got := envScript(shells["sh"], "static", shared.Credentials{AccessKeyID: "AKIAEXAMPLE", SecretAccessKey: "s"}, "", now); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestEnvEval evaluates the output of brs env in sh, with eval "$(…)" and with the
// unquoted eval $(…), and checks what the shell ends up with.
func TestEnvEval(t *testing.T) {
	dir := t.TempDir()
	path := writeHCL(t, dir, "brs.hcl", testRoles)
	r := runBRS(t, "-c", path, "env", "b")
	if r.code != exitOK || r.stderr != "" {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	m := regexp.MustCompile(`(?m)^export AWS_SECRET_ACCESS_KEY='([^']+)';$`).FindStringSubmatch(r.stdout)
	if m == nil || !strings.HasSuffix(m[1], "-b") {
		t.Fatalf("no secret of role b in:\n%s", r.stdout)
	}
	if !regexp.MustCompile(`(?m)^# role b: expires \S+Z, in (29m[0-5]\ds|30m00s); run brs env again`).MatchString(r.stdout) {
		t.Errorf("no expiry comment:\n%s", r.stdout)
	}
	script := writeHCL(t, dir, "env.sh", r.stdout)
	for _, eval := range []string{`eval "$(cat "$1")"`, `eval $(cat "$1")`} {
		cmd := exec.Command("sh", "-c", eval+`; printf '%s|%s|%s|%s' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "${AWS_SECURITY_TOKEN-unset}" "$AWS_CREDENTIAL_EXPIRATION"`, "sh", script)
		cmd.Env = []string{"AWS_SECURITY_TOKEN=stale", "PATH=/usr/bin:/bin"}
		out, err := cmd.CombinedOutput()
		got := strings.Split(string(out), "|")
		if err != nil || len(got) != 4 || !strings.HasPrefix(got[0], "TESTPID") || got[1] != m[1] || got[2] != "unset" || !strings.HasSuffix(got[3], "Z") {
			t.Errorf("%s: %v, shell saw %q", eval, err, out)
		}
	}

	r = runBRS(t, "-c", path, "env", "nope")
	if r.code != exitError || r.stdout != "" || !strings.Contains(r.stderr, `no role "nope"`) || strings.Contains(r.stderr, "brs status") {
		t.Errorf("unknown role: exit %d, stdout %q, stderr:\n%s", r.code, r.stdout, r.stderr)
	}
}

// TestShellQuote runs quoted strings through sh and gets them back unchanged.
func TestShellQuote(t *testing.T) {
	for _, s := range []string{"", "plain", "it's", "a b", "$HOME", "`id`", "\\n", "x'\"'y", "*", "new\nline", "''"} {
		out, err := exec.Command("sh", "-c", "printf '%s' "+shellQuote(s)).Output()
		if err != nil || string(out) != s {
			t.Errorf("shellQuote(%q) = %s: sh printed %q (%v)", s, shellQuote(s), out, err)
		}
	}
}

// TestEnvFormats checks the fish and PowerShell output of the same credentials.
func TestEnvFormats(t *testing.T) {
	now := time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)
	creds := shared.Credentials{AccessKeyID: "ASIAEXAMPLE", SecretAccessKey: `se'cr\et`, SessionToken: "tok’en",
		Expires: now.Add(time.Hour)}
	want := map[string]string{
		"fish": `set -gx AWS_ACCESS_KEY_ID 'ASIAEXAMPLE';
set -gx AWS_SECRET_ACCESS_KEY 'se\'cr\\et';
set -gx AWS_SESSION_TOKEN 'tok’en';
set -gx AWS_CREDENTIAL_EXPIRATION '2026-03-04T13:00:00Z';
set -gx AWS_REGION 'eu-west-1';
set -gx AWS_DEFAULT_REGION 'eu-west-1';
set -e AWS_SECURITY_TOKEN;
# role r: expires 2026-03-04T13:00:00Z, in 1h00m; run brs env again before then, or use brs exec, which keeps them fresh
`,
		"powershell": `$Env:AWS_ACCESS_KEY_ID = 'ASIAEXAMPLE';
$Env:AWS_SECRET_ACCESS_KEY = 'se''cr\et';
$Env:AWS_SESSION_TOKEN = 'tok’’en';
$Env:AWS_CREDENTIAL_EXPIRATION = '2026-03-04T13:00:00Z';
$Env:AWS_REGION = 'eu-west-1';
$Env:AWS_DEFAULT_REGION = 'eu-west-1';
Remove-Item Env:AWS_SECURITY_TOKEN -ErrorAction SilentlyContinue;
# role r: expires 2026-03-04T13:00:00Z, in 1h00m; run brs env again before then, or use brs exec, which keeps them fresh
`,
	}
	for format, w := range want {
		if got := envScript(shells[format], "r", creds, "eu-west-1", now); got != w {
			t.Errorf("%s: got:\n%s\nwant:\n%s", format, got, w)
		}
	}
	got := envScript(shells["powershell"], "s", shared.Credentials{AccessKeyID: "AKIA", SecretAccessKey: "s"}, "", now)
	if !strings.Contains(got, "Remove-Item Env:AWS_SECURITY_TOKEN, Env:AWS_SESSION_TOKEN, Env:AWS_CREDENTIAL_EXPIRATION -ErrorAction SilentlyContinue;\n") {
		t.Errorf("powershell unset:\n%s", got)
	}
}

// TestEnvFish reads the output of brs env --format fish into a real fish, with source
// and with eval of the joined lines, and checks what fish ends up with.
func TestEnvFish(t *testing.T) {
	fish := needtool.Path(t, "fish", needtool.Fish)
	dir := t.TempDir()
	path := writeHCL(t, dir, "brs.hcl", testRoles)
	r := runBRS(t, "-c", path, "env", "--format", "fish", "b")
	if r.code != exitOK || r.stderr != "" {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	m := regexp.MustCompile(`(?m)^set -gx AWS_SECRET_ACCESS_KEY '([^']+)';$`).FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("no secret in:\n%s", r.stdout)
	}
	script := writeHCL(t, dir, "env.fish", r.stdout)
	for _, load := range []string{"source $argv[1]", "eval (cat $argv[1])"} {
		cmd := exec.Command(fish, "--no-config", "-c", load+`; printf '%s|%s|%s|%s' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" (set -q AWS_SECURITY_TOKEN; and echo set; or echo unset) "$AWS_CREDENTIAL_EXPIRATION"`, script)
		cmd.Env = []string{"AWS_SECURITY_TOKEN=stale", "PATH=/usr/bin:/bin", "HOME=" + dir}
		out, err := cmd.CombinedOutput()
		got := strings.Split(string(out), "|")
		if err != nil || len(got) != 4 || !strings.HasPrefix(got[0], "TESTPID") || got[1] != m[1] || got[2] != "unset" || !strings.HasSuffix(got[3], "Z") {
			t.Errorf("%s: %v, fish saw %q", load, err, out)
		}
	}
	r = runBRS(t, "-c", path, "env", "--format", "csh", "b")
	if r.code != exitUsage || r.stdout != "" || !strings.Contains(r.stderr, `invalid --format "csh": use sh, fish or powershell`) {
		t.Errorf("--format csh: exit %d, stdout %q, stderr:\n%s", r.code, r.stdout, r.stderr)
	}
}

// TestFishQuote runs quoted strings through fish and gets them back unchanged.
func TestFishQuote(t *testing.T) {
	fish := needtool.Path(t, "fish", needtool.Fish)
	for _, s := range []string{"", "plain", "it's", `back\slash`, `\'`, "a b", "$HOME", "(id)", "*", "new\nline", "''", `\\`, "{a,b}", "~"} {
		out, err := exec.Command(fish, "--no-config", "-c", "printf '%s' "+fishQuote(s)).Output()
		if err != nil || string(out) != s {
			t.Errorf("fishQuote(%q) = %s: fish printed %q (%v)", s, fishQuote(s), out, err)
		}
	}
}

// TestPowerShellQuote checks the quoting rules of PowerShell's verbatim strings
// (pwsh is not in Debian, so no PowerShell runs them here): only quotes are special,
// each written twice, the typographic ones included; $, backtick and backslash stay.
func TestPowerShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"":         "''",
		"plain":    "'plain'",
		"it's":     "'it''s'",
		"$Env:X `": "'$Env:X `'",
		`a\b`:      `'a\b'`,
		"‘’‚‛":     "'‘‘’’‚‚‛‛'",
		"\"x\"":    "'\"x\"'",
	} {
		if got := powershellQuote(in); got != want {
			t.Errorf("powershellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

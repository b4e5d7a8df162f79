package shared

import (
	"strings"
	"testing"
	"time"
)

var boundsNow = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

// TestCheckCredentials: each field is bounded in length and limited to printable
// ASCII, and the expiry to a week ahead; the error names the field, never the value.
func TestCheckCredentials(t *testing.T) {
	good := Credentials{AccessKeyID: "ASIAEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
		SessionToken: strings.Repeat("T", MaxSessionTokenLen), Expires: boundsNow.Add(MaxExpiryAhead),
		AccountID: "111122223333", ARN: "arn:aws:sts::111122223333:assumed-role/r/s"}
	if err := CheckCredentials(good, boundsNow); err != nil {
		t.Fatalf("good credentials refused: %v", err)
	}
	if err := CheckCredentials(Credentials{AccessKeyID: "A", SecretAccessKey: "S"}, boundsNow); err != nil {
		t.Fatalf("credentials without expiry refused: %v", err)
	}
	for name, tc := range map[string]struct {
		change func(*Credentials)
		want   string
	}{
		"huge secret":      {func(c *Credentials) { c.SecretAccessKey = strings.Repeat("s", 2<<20) }, "the secret access key is 2097152 bytes long, more than the 1024 accepted"},
		"long key id":      {func(c *Credentials) { c.AccessKeyID = strings.Repeat("A", 129) }, "the access key id is 129 bytes long, more than the 128 accepted"},
		"long token":       {func(c *Credentials) { c.SessionToken += "T" }, "the session token is 16385 bytes long"},
		"long ARN":         {func(c *Credentials) { c.ARN = "arn:" + strings.Repeat("x", 2045) }, "the ARN is 2049 bytes long"},
		"long account":     {func(c *Credentials) { c.AccountID = strings.Repeat("1", 65) }, "the account id is 65 bytes long"},
		"ESC in ARN":       {func(c *Credentials) { c.ARN = "arn:\x1b]0;pwned\x07" }, "the ARN holds a character other than printable ASCII (at byte 4)"},
		"newline in key":   {func(c *Credentials) { c.AccessKeyID = "ASIA\nFAKE" }, "the access key id holds a character other than printable ASCII"},
		"space in secret":  {func(c *Credentials) { c.SecretAccessKey = "se cret" }, "the secret access key holds a character other than printable ASCII"},
		"unicode in token": {func(c *Credentials) { c.SessionToken = "tok\u202een" }, "the session token holds a character other than printable ASCII"},
		"bad UTF-8":        {func(c *Credentials) { c.AccountID = "\xff" }, "the account id holds a character"},
		"year 9999":        {func(c *Credentials) { c.Expires = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC) }, "the credentials expire at 9999-01-01T00:00:00Z, more than 7 days from now"},
		"a week and 1s":    {func(c *Credentials) { c.Expires = boundsNow.Add(MaxExpiryAhead + time.Second) }, "more than 7 days from now; credentials that do not expire must have no expiry"},
	} {
		c := good
		tc.change(&c)
		err := CheckCredentials(c, boundsNow)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
		if err != nil && (strings.Contains(err.Error(), "sss") || strings.Contains(err.Error(), "pwned")) {
			t.Errorf("%s: the error quotes the value: %v", name, err)
		}
	}
}

// TestEnvironmentMatches: a name matches itself, a prefix every name it starts.
func TestEnvironmentMatches(t *testing.T) {
	env := []string{"VAULT_*", "HOME"}
	for name, want := range map[string]bool{"VAULT_ADDR": true, "VAULT_": true, "HOME": true, "HOMEDIR": false, "VAULT": false, "home": false} {
		if got := EnvironmentMatches(env, name); got != want {
			t.Errorf("%s: %v, want %v", name, got, want)
		}
	}
	if err := CheckEnvironment([]string{"A", "_B*", "c9"}); err != nil {
		t.Errorf("good names refused: %v", err)
	}
}

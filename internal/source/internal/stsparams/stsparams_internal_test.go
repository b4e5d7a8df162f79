package stsparams

import (
	"strings"
	"testing"
)

func TestSessionName(t *testing.T) {
	cases := []struct{ configured, role, want string }{
		{"nightly", "analytics", "nightly"},
		{"", "analytics", "brs-analytics"},
		{"", "prod admin/eu", "brs-prod-admin-eu"},
		{"", "rôle:1+x=y,z.@w_v", "brs-r-le-1+x=y,z.@w_v"},
		{"ci-deploy", "deploy", "ci-deploy"},
		{"", "deploy", "brs-deploy"},
		{"", "pods/eu west", "brs-pods-eu-west"},
		{"", "", "brs-session"},
		{"", strings.Repeat("a", 100), "brs-" + strings.Repeat("a", 60)},
	}
	for _, c := range cases {
		got := SessionName(c.configured, c.role)
		if got != c.want {
			t.Errorf("sessionName(%q, role %q) = %q, want %q", c.configured, c.role, got, c.want)
		}
		if len(got) < 2 || len(got) > 64 || !sessionNameChars.MatchString(got) {
			t.Errorf("sessionName(%q) = %q, which STS refuses", c.role, got)
		}
	}
}

func TestAccountID(t *testing.T) {
	cases := map[string]string{
		"arn:aws:sts::123456789012:assumed-role/demo/session":  "123456789012",
		"arn:aws-cn:sts::210987654321:assumed-role/x/y":        "210987654321",
		"arn:aws:sts::123456789012:assumed-role/pods/brs-pods": "123456789012",
		"":                 "",
		"not-an-arn":       "",
		"arn:aws:sts::123": "",
	}
	for arn, want := range cases {
		if got := AccountID(arn); got != want {
			t.Errorf("accountID(%q) = %q, want %q", arn, got, want)
		}
	}
}

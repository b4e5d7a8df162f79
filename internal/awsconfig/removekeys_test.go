package awsconfig

import (
	"maps"
	"strings"
	"testing"
)

const removeKeysInput = "# my credentials\r\n" +
	"[default]\r\n" +
	"aws_access_key_id = AKIADEFAULTKEY000001\r\n" +
	"aws_secret_access_key = default-secret\r\n" +
	"\r\n" +
	"[alice] ; the IAM user\n" +
	"aws_access_key_id=AKIAALICEKEY00000001\n" +
	"# keep this comment\n" +
	"AWS_Secret_Access_Key = alice-secret-part-1\n" +
	"  alice-secret-continued\n" +
	"region = eu-west-1\n" +
	"  aws_session_token = alice-token\n" +
	"[profile alice]\n" +
	"aws_access_key_id = AKIAIGNOREDSECTION01\n" +
	"[bob]\n" +
	"aws_access_key_id = AKIABOBKEY0000000001\n" +
	"aws_secret_access_key = bob-secret\n" +
	"[alice]\n" +
	"aws_secret_access_key: alice-second-secret\n" +
	"output = json"

// TestRemoveKeys: only the key lines of the named profiles go, with their
// continuation lines, in every [NAME] section of them; every other byte stays.
func TestRemoveKeys(t *testing.T) {
	want := "# my credentials\r\n" +
		"[default]\r\n" +
		"aws_access_key_id = AKIADEFAULTKEY000001\r\n" +
		"aws_secret_access_key = default-secret\r\n" +
		"\r\n" +
		"[alice] ; the IAM user\n" +
		"# keep this comment\n" +
		"region = eu-west-1\n" +
		"[profile alice]\n" +
		"aws_access_key_id = AKIAIGNOREDSECTION01\n" +
		"[bob]\n" +
		"aws_access_key_id = AKIABOBKEY0000000001\n" +
		"aws_secret_access_key = bob-secret\n" +
		"[alice]\n" +
		"output = json"
	got, from := RemoveKeys(removeKeysInput, []string{"alice"})
	if got != want {
		t.Errorf("got:\n%q\nwant:\n%q", got, want)
	}
	if len(from) != 1 || from[0] != "alice" {
		t.Errorf("removed from %v, want [alice]", from)
	}
	for _, s := range []string{"alice-secret", "alice-token", "alice-second-secret", "AKIAALICEKEY00000001"} {
		if strings.Contains(got, s) {
			t.Errorf("%q is still in the file", s)
		}
	}
	if got, from := RemoveKeys(removeKeysInput, []string{"carol"}); got != removeKeysInput || len(from) != 0 {
		t.Errorf("a profile the file does not hold changed it: %v", from)
	}
}

// FuzzRemoveKeys: whatever the file, the named profiles have no key left as the AWS
// SDK for Go reads the result, and every other profile keeps all it had.
func FuzzRemoveKeys(f *testing.F) {
	f.Add(removeKeysInput, "alice")
	f.Add("[a]\naws_access_key_id = x\n\taws_secret_access_key = y\n[b]\nk = v\n", "a")
	f.Add("[a]\ns3 =\n  aws_session_token = t\n", "a")
	f.Fuzz(func(t *testing.T, text, name string) {
		out, _ := RemoveKeys(text, []string{name})
		before, after := parseINI(text), parseINI(out)
		for _, s := range after.sections {
			if s.kind == "" && s.name == name {
				for k := range keyLines {
					if s.has(k) {
						t.Fatalf("%s is still set in [%s]:\n%q", k, name, out)
					}
				}
				continue
			}
			b := before.byHeader[s.header()]
			if b == nil || !maps.EqualFunc(b.keys, s.keys, func(x, y *value) bool { return x.str == y.str && maps.Equal(x.sub, y.sub) }) {
				t.Fatalf("[%s] changed:\n%q\n->\n%q", s.header(), text, out)
			}
		}
	})
}

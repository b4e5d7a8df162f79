package awsconfig

import (
	"slices"
	"strings"
	"testing"
)

// TestSplitCommand splits credential_process lines as the AWS CLI does (shlex, POSIX
// mode): quotes group, backslashes escape, nothing is expanded.
func TestSplitCommand(t *testing.T) {
	for in, want := range map[string][]string{
		`a b  c`:                     {"a", "b", "c"},
		`"/opt/aws tools/h" x`:       {"/opt/aws tools/h", "x"},
		`--k='/My Certs/a.pem'`:      {"--k=/My Certs/a.pem"},
		`a\ b "c\"d" 'e\f'`:          {"a b", `c"d`, `e\f`},
		`"$HOME/x" $HOME`:            {"$HOME/x", "$HOME"},
		`"a"'b'c`:                    {"abc"},
		`'' x`:                       {"", "x"},
		"\taws_signing_helper\tcp\n": {"aws_signing_helper", "cp"},
		`"C:\\Tools\\aws_signing_helper.exe" credential-process`: {`C:\Tools\aws_signing_helper.exe`, "credential-process"},
	} {
		got, err := splitCommand(in)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("splitCommand(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{`a "b`, `a 'b`} {
		if _, err := splitCommand(in); err == nil {
			t.Errorf("splitCommand(%q): no error for an unclosed quote", in)
		}
	}
}

// TestRolesAnywhereWindowsHelper: the helper's .exe under a Windows path is
// recognised too.
func TestRolesAnywhereWindowsHelper(t *testing.T) {
	res, err := Import(Input{ConfigPath: "c", Config: `[profile w]
credential_process = "C:\\Tools\\aws_signing_helper.exe" credential-process --certificate /c.pem --private-key /k.pem --trust-anchor-arn ta --profile-arn p --role-arn r
`})
	if err != nil {
		t.Fatal(err)
	}
	if s := string(res.HCL); !strings.Contains(s, `source = "roles_anywhere"`) {
		t.Errorf("HCL:\n%s", s)
	}
}

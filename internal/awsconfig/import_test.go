package awsconfig

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// corpus returns the config files of testdata/import, each with its credentials file
// ("" when it has none).
func corpus(t *testing.T) map[string]Input {
	t.Helper()
	files, err := filepath.Glob("testdata/import/*.ini")
	if err != nil || len(files) < 15 {
		t.Fatalf("corpus: %d files, %v", len(files), err)
	}
	out := map[string]Input{}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".ini")
		in := Input{ConfigPath: "config", Config: readFile(t, f), CredentialsPath: "credentials"}
		if c := strings.TrimSuffix(f, ".ini") + ".credentials"; fileExists(c) {
			in.Credentials = readFile(t, c)
		}
		out[name] = in
	}
	return out
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// TestImportCorpus imports every config file of the corpus and compares the HCL and
// the warnings with the golden file beside it (go test -update rewrites them). It also
// checks that no secret of the files reaches the output, and that every warning is a
// comment in the HCL too.
func TestImportCorpus(t *testing.T) {
	for name, in := range corpus(t) {
		t.Run(name, func(t *testing.T) {
			res, err := Import(in)
			if err != nil {
				t.Fatalf("Import: %v", err)
			}
			got := string(res.HCL) + "\n--- warnings\n" + strings.Join(res.Warnings, "\n") + "\n"
			golden := filepath.Join("testdata/import", name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if want := readFile(t, golden); got != want {
				t.Errorf("output differs from %s (go test -update rewrites it):\n%s", golden, got)
			}
			for _, s := range secrets(in) {
				if strings.Contains(got, s) {
					t.Errorf("the output holds the secret %q", s)
				}
			}
			for _, w := range res.Warnings {
				if _, msg, ok := strings.Cut(w, `": `); ok && strings.HasPrefix(w, "profile ") {
					w = msg // the comment is under the profile's heading
				}
				if !strings.Contains(strings.Join(strings.Fields(string(res.HCL)), " "), strings.Join(strings.Fields(w), " ")) {
					t.Errorf("warning %q is not a comment in the HCL", w)
				}
			}
		})
	}
}

// secrets returns the values of the secret keys of both files.
func secrets(in Input) []string {
	var out []string
	for _, text := range []string{in.Config, in.Credentials} {
		for _, s := range parseINI(text).sections {
			for _, k := range []string{"aws_secret_access_key", "aws_session_token"} {
				if v := s.get(k); v != "" {
					out = append(out, v)
				}
			}
		}
	}
	return out
}

// TestParseMatchesSDK reads every profile of the corpus with aws-sdk-go-v2's own
// loader and checks that this package's parser and merge see the same settings:
// comments, quotes, spacing, key case, duplicate sections, [default] and [profile
// default], and keys from the credentials file.
func TestParseMatchesSDK(t *testing.T) {
	dir := t.TempDir()
	checked := 0
	for name, in := range corpus(t) {
		cfgPath := filepath.Join(dir, name+".config")
		credPath := filepath.Join(dir, name+".credentials")
		if err := os.WriteFile(cfgPath, []byte(in.Config), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(credPath, []byte(in.Credentials), 0o600); err != nil {
			t.Fatal(err)
		}
		c := load("config", in.Config, "credentials", in.Credentials)
		for _, pname := range c.order {
			p := c.profiles[pname]
			sdk, err := awsconfig.LoadSharedConfigProfile(context.Background(), pname, func(o *awsconfig.LoadSharedConfigOptions) {
				o.ConfigFiles = []string{cfgPath}
				o.CredentialsFiles = []string{credPath}
			})
			var notExist awsconfig.SharedConfigProfileNotExistError
			if errors.As(err, &notExist) && notExist.Profile == pname {
				t.Errorf("%s: the SDK does not know profile %q", name, pname)
				continue
			}
			if err != nil {
				continue // a profile the SDK refuses as a whole (a cycle, a missing source)
			}
			checked++
			for _, f := range []struct{ key, sdk string }{
				{"role_arn", sdk.RoleARN}, {"source_profile", sdk.SourceProfileName}, {"region", sdk.Region},
				{"credential_process", sdk.CredentialProcess}, {"sso_account_id", sdk.SSOAccountID},
				{"sso_role_name", sdk.SSORoleName}, {"external_id", sdk.ExternalID}, {"mfa_serial", sdk.MFASerial},
				{"role_session_name", sdk.RoleSessionName}, {"credential_source", sdk.CredentialSource},
				{"web_identity_token_file", sdk.WebIdentityTokenFile}, {"endpoint_url", sdk.BaseEndpoint},
			} {
				if got := p.sec.get(f.key); got != f.sdk && !(f.key == "source_profile" && pname == f.sdk) {
					t.Errorf("%s: profile %q: %s = %q, the SDK reads %q", name, pname, f.key, got, f.sdk)
				}
			}
			// The SDK drops the keys of a profile with source_profile (they sign only
			// when it is another profile's source).
			if sdk.SourceProfileName == "" && p.hasKeys() != sdk.Credentials.HasKeys() || sdk.Credentials.HasKeys() && p.sec.get("aws_access_key_id") != sdk.Credentials.AccessKeyID {
				t.Errorf("%s: profile %q: keys %v %q, the SDK reads %v %q", name, pname, p.hasKeys(), p.sec.get("aws_access_key_id"), sdk.Credentials.HasKeys(), sdk.Credentials.AccessKeyID)
			}
		}
	}
	if checked < 40 {
		t.Errorf("only %d profiles compared with the SDK", checked)
	}
}

// TestImportProfileFilter imports one profile of a chain: the profiles it takes its
// credentials from come along, the others do not; an unknown name is an error that
// lists the profiles there are.
func TestImportProfileFilter(t *testing.T) {
	in := corpus(t)["01-chain"]
	in.Profiles = []string{"prod-admin"}
	res, err := Import(in)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(res.Roles, ","); got != "dev,prod-admin" {
		t.Errorf("roles %s, want dev,prod-admin", got)
	}
	if s := string(res.HCL); !strings.Contains(s, `AWS profile "jump"`) || strings.Contains(s, `"deploy"`) || strings.Contains(s, `AWS profile "default"`) {
		t.Errorf("HCL:\n%s", s)
	}
	in.Profiles = []string{"prod-admin", "nope"}
	_, err = Import(in)
	var unknown *UnknownProfileError
	if !errors.As(err, &unknown) || unknown.Profile != "nope" || !strings.Contains(err.Error(), "jump, dev, prod-admin, deploy") {
		t.Errorf("err = %v", err)
	}
}

// TestImportQuoting reads the HCL back and gets every value unchanged, however many
// HCL template and escape characters it holds.
func TestImportQuoting(t *testing.T) {
	cmd := `echo ${HOME} %{ if x } "q" \ $${x} 'a'` + "\t"
	res, err := Import(Input{ConfigPath: "c", Config: "[profile x]\ncredential_process = " + cmd + "x\n[profile My \"odd\" name]\ncredential_process = y\n"})
	if err != nil {
		t.Fatal(err)
	}
	f, diags := hclsyntax.ParseConfig(res.HCL, "out.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("%v\n%s", diags, res.HCL)
	}
	var got []string
	for _, blk := range f.Body.(*hclsyntax.Body).Blocks {
		for _, inner := range blk.Body.Blocks {
			v, d := inner.Body.Attributes["command"].Expr.Value(nil)
			if d.HasErrors() {
				t.Fatal(d)
			}
			got = append(got, blk.Labels[0]+"="+v.AsString())
		}
	}
	if want := []string{"x=" + cmd + "x", "My--odd--name=y"}; !slices.Equal(got, want) {
		t.Errorf("read back %q, want %q", got, want)
	}
}

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/brs-go/brs/internal/keyring"
	"github.com/brs-go/brs/internal/testutil/needtool"
)

const (
	bobTestID     = "AKIABOBSTAYSINFILE01"
	bobTestSecret = "bob/stays+in-the-credentials-file-0000001"
)

// botocoreReadCreds prints, for each profile named on its command line, what botocore
// (the library of the AWS CLI and boto3) finds in the credentials file: the access key
// ID and whether a secret key is there.
const botocoreReadCreds = `
import sys, botocore.session
for name in sys.argv[1:]:
    s = botocore.session.Session(profile=name)
    p = s.full_config["profiles"].get(name, {})
    print(name, p.get("aws_access_key_id", "-"), "secret" if p.get("aws_secret_access_key") else "no-secret", p.get("region", "-"))
`

// TestImportRemoveMovedKeys: `brs import --keys-to-keyring --remove-moved-keys` moves
// the signing profile's keys into the keyring and takes exactly their lines out of
// ~/.aws/credentials (a symbolic link here, as in a dotfiles repository), keeping every
// other byte, the mode and the link; botocore reads the result (bob's key still there,
// alice's gone); no file under HOME holds alice's secret. Without --keys-to-keyring the
// flag is refused; a file changed while brs worked is left alone.
func TestImportRemoveMovedKeys(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("AWS_CONFIG_FILE", "")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "")
	t.Setenv(keyring.EnvBackend, "file")
	t.Setenv(keyring.EnvPassphrase, keysTestPass)
	t.Setenv(keyring.EnvDir, "")
	awsDir, dotfiles := filepath.Join(home, ".aws"), filepath.Join(home, "dotfiles")
	for _, d := range []string{awsDir, dotfiles} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	config := "[profile admin]\nrole_arn = arn:aws:iam::111122223333:role/Admin\nsource_profile = alice\nmfa_serial = arn:aws:iam::111122223333:mfa/alice\n\n" +
		"[profile ro]\nrole_arn = arn:aws:iam::111122223333:role/ReadOnly\nsource_profile = alice\n"
	if err := os.WriteFile(filepath.Join(awsDir, "config"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	creds := "# written by hand\r\n[bob]\r\naws_access_key_id = " + bobTestID + "\r\naws_secret_access_key = " + bobTestSecret + "\r\n\r\n" +
		"[alice]   ; the IAM user\naws_access_key_id=" + keysTestID + "\n# rotated in May\naws_secret_access_key = " + keysTestSecret + "\nregion = eu-west-1\n"
	want := "# written by hand\r\n[bob]\r\naws_access_key_id = " + bobTestID + "\r\naws_secret_access_key = " + bobTestSecret + "\r\n\r\n" +
		"[alice]   ; the IAM user\n# rotated in May\nregion = eu-west-1\n"
	target := filepath.Join(dotfiles, "aws-credentials")
	if err := os.WriteFile(target, []byte(creds), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(target, 0o640); err != nil { // whatever the umask
		t.Fatal(err)
	}
	link := filepath.Join(awsDir, "credentials")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}

	// The flag alone is refused, and changes nothing.
	if r := runKeysCLI(t, "", "import", "--remove-moved-keys"); r.code == exitOK || !strings.Contains(r.stderr, "add --keys-to-keyring") {
		t.Errorf("--remove-moved-keys alone: exit %d, stderr %s", r.code, r.stderr)
	}
	// A file changed after brs read it (as by an editor) is not replaced.
	beforeReplace = func() {
		if err := os.WriteFile(target, []byte(creds+"[carol]\nregion = us-east-1\n"), 0o640); err != nil {
			t.Error(err)
		}
	}
	r := runKeysCLI(t, "", "import", "--keys-to-keyring", "--remove-moved-keys", "-o", filepath.Join(t.TempDir(), "brs.hcl"))
	beforeReplace = nil
	if r.code == exitOK || !strings.Contains(r.stderr, "changed since brs read it") || strings.Contains(r.stderr, keysTestSecret) {
		t.Errorf("a file changed meanwhile: exit %d, stderr %s", r.code, r.stderr)
	}
	if b, _ := os.ReadFile(target); string(b) != creds+"[carol]\nregion = us-east-1\n" {
		t.Errorf("the changed file was overwritten:\n%q", b)
	}
	if err := os.WriteFile(target, []byte(creds), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(target, 0o640); err != nil {
		t.Fatal(err)
	}

	out := filepath.Join(t.TempDir(), "brs.hcl")
	r = runKeysCLI(t, "", "import", "--keys-to-keyring", "--remove-moved-keys", "-o", out)
	if r.code != exitOK || !strings.Contains(r.stderr, `removed the keys of profile "alice" from ~/.aws/credentials`) || strings.Contains(r.stderr, keysTestSecret) {
		t.Fatalf("import: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	if b, err := os.ReadFile(target); err != nil || string(b) != want {
		t.Errorf("credentials file now:\n%q\nwant:\n%q (%v)", b, want, err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("~/.aws/credentials is no longer a symbolic link: %v, %v", fi, err)
	}
	if fi, err := os.Stat(target); err != nil || fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v (%v), want 0640", fi.Mode(), err)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dotfiles, ".aws-credentials.brs-*")); len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
	s, err := keyring.Open(keyring.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if k, err := s.Get("alice"); err != nil || k.SecretAccessKey != keysTestSecret {
		t.Errorf("keyring: %v, %v", k, err)
	}
	// No plaintext copy of alice's key anywhere under HOME (the keyring file is
	// encrypted, the HCL names the key).
	grepTree(t, home, keysTestSecret, keysTestPass)
	if b, _ := os.ReadFile(out); !strings.Contains(string(b), `keyring = "alice"`) {
		t.Errorf("imported HCL:\n%s", b)
	}

	// botocore reads the rewritten file: bob as before, alice without keys.
	py := needtool.Path(t, "python3", needtool.Boto3)
	cmd := exec.Command(py, "-c", botocoreReadCreds, "bob", "alice")
	cmd.Env = append(os.Environ(), "AWS_SHARED_CREDENTIALS_FILE="+link, "AWS_CONFIG_FILE="+filepath.Join(awsDir, "config"))
	got, err := cmd.Output()
	if err != nil {
		needtool.Missing(t, "python3 with botocore not working ("+err.Error()+")", needtool.Boto3)
	}
	if string(got) != "bob "+bobTestID+" secret -\nalice - no-secret eu-west-1\n" {
		t.Errorf("botocore read:\n%s", got)
	}
}

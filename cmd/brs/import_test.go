package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/testutil/miniotest"
	"github.com/brs-go/brs/internal/testutil/needtool"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
)

// importCorpus is the corpus of AWS config files of internal/awsconfig.
const importCorpus = "../../internal/awsconfig/testdata/import"

// builtinPlugins builds the named built-in plugins into one directory and returns it.
func builtinPlugins(t *testing.T, sources ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, s := range sources {
		copyExecutable(t, plugintestbin.Build(t, "github.com/brs-go/brs/cmd/brs-plugin-"+s), dir, "brs-plugin-"+s)
	}
	return dir
}

// isolateAWSFiles points the AWS variables brs import reads at files in a fresh
// directory, so that the machine's own ~/.aws is never read.
func isolateAWSFiles(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("AWS_CONFIG_FILE", "")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(home, "no-credentials"))
	return home
}

// TestImportCorpusValidates imports every file of the corpus with brs import -o and
// runs brs validate, with the real built-in plugins, on what it wrote: every generated
// file is valid, and every role of it is there.
func TestImportCorpusValidates(t *testing.T) {
	plugins := builtinPlugins(t, "sts", "sso", "process", "web_identity", "session", "login", "roles_anywhere")
	files, _ := filepath.Glob(filepath.Join(importCorpus, "*.ini"))
	if len(files) < 15 {
		t.Fatalf("%d files in the corpus, want at least 15", len(files))
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".ini")
		t.Run(name, func(t *testing.T) {
			home := isolateAWSFiles(t)
			if c := strings.TrimSuffix(f, ".ini") + ".credentials"; fileExists(c) {
				t.Setenv("AWS_SHARED_CREDENTIALS_FILE", c)
			}
			out := filepath.Join(home, "brs.hcl")
			r := runBRS(t, "import", "-o", out, f)
			if r.code != exitOK || r.stdout != "" {
				t.Fatalf("import: exit %d, stdout %q, stderr:\n%s", r.code, r.stdout, r.stderr)
			}
			fi, err := os.Stat(out)
			if err != nil || fi.Mode().Perm() != 0o600 {
				t.Fatalf("written file: %v, %v; want mode 0600", fi, err)
			}
			v := runBRS(t, "--plugin-dir", plugins, "-c", out, "validate")
			if v.code != exitOK || !strings.HasPrefix(v.stdout, "ok: ") {
				b, _ := os.ReadFile(out)
				t.Fatalf("validate: exit %d\nstdout: %s\nstderr:\n%s\nfile:\n%s", v.code, v.stdout, v.stderr, b)
			}
			// "wrote N roles (a, b)" and "ok: N roles (a, b)" name the same roles.
			wrote := r.stderr[strings.LastIndex(r.stderr, "brs: wrote "):]
			roles := wrote[strings.Index(wrote, "("):strings.Index(wrote, ")")]
			if !strings.Contains(v.stdout, roles+")") {
				t.Errorf("import said %q, validate %q", wrote, v.stdout)
			}
		})
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// TestImportFlags checks stdout output, -o without and with --force, --profile, and
// the errors for a missing file, an unknown profile and a file with nothing to import.
func TestImportFlags(t *testing.T) {
	home := isolateAWSFiles(t)
	awsDir := filepath.Join(home, ".aws")
	writeHCL(t, awsDir, "config", "[profile base]\n\n[profile dev]\nrole_arn = arn:aws:iam::111122223333:role/dev\nsource_profile = base\n\n[profile other]\ncredential_process = /bin/creds\n")
	writeHCL(t, awsDir, "credentials", "[base]\naws_access_key_id = AKIAFLAGSEXAMPLE0001\naws_secret_access_key = flags-secret\n")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "")

	// The default file is ~/.aws/config, and the credentials ~/.aws/credentials.
	r := runBRS(t, "import")
	if r.code != exitOK || !strings.Contains(r.stdout, `profile = "base"`) || !strings.Contains(r.stdout, "imported from ~/.aws/config") || r.stderr != "" {
		t.Fatalf("import: exit %d, stdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(r.stdout, "flags-secret") {
		t.Fatal("the secret key is in the output")
	}

	out := filepath.Join(home, "brs.hcl")
	writeHCL(t, home, "brs.hcl", "keep me\n")
	r = runBRS(t, "import", "-o", out, "--profile", "dev")
	if b, _ := os.ReadFile(out); r.code != exitError || string(b) != "keep me\n" || !strings.Contains(r.stderr, "--force") {
		t.Fatalf("existing file: exit %d, file %q, stderr:\n%s", r.code, b, r.stderr)
	}
	r = runBRS(t, "import", "-o", out, "--force", "--profile", "dev")
	b, _ := os.ReadFile(out)
	if r.code != exitOK || !strings.Contains(string(b), `role "dev"`) || strings.Contains(string(b), `role "other"`) ||
		!strings.Contains(r.stderr, "wrote 1 role (dev)") {
		t.Fatalf("--force --profile dev: exit %d, stderr:\n%s\nfile:\n%s", r.code, r.stderr, b)
	}
	if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v after --force, want 0600", fi.Mode().Perm())
	}

	r = runBRS(t, "import", "--profile", "nope")
	if r.code != exitError || r.stdout != "" || !strings.Contains(r.stderr, `no AWS profile "nope"`) || !strings.Contains(r.stderr, "base, dev, other") {
		t.Errorf("unknown profile: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	// The same file named explicitly: no warning. Another file whose signing profiles
	// the SDKs would not find: a warning that says how to point them at it.
	r = runBRS(t, "import", filepath.Join(awsDir, "config"))
	if r.code != exitOK || r.stderr != "" {
		t.Errorf("explicit default file: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	other := writeHCL(t, home, "other-config", "[profile base]\n[profile dev]\nrole_arn = arn:aws:iam::111122223333:role/dev\nsource_profile = base\n")
	r = runBRS(t, "import", other)
	if r.code != exitOK || !strings.Contains(r.stderr, "run brs with AWS_CONFIG_FILE="+other) {
		t.Errorf("other file: exit %d, stderr:\n%s", r.code, r.stderr)
	}

	r = runBRS(t, "import", filepath.Join(home, "missing"))
	if r.code != exitError || !strings.Contains(r.stderr, "no AWS config file at") {
		t.Errorf("missing file: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	r = runBRS(t, "import", "--profile", "base")
	if r.code != exitError || r.stdout != "" || !strings.Contains(r.stderr, `profile "base": holds keys only`) || !strings.Contains(r.stderr, "nothing written") {
		t.Errorf("nothing to import: exit %d, stdout %q, stderr:\n%s", r.code, r.stdout, r.stderr)
	}
}

// TestImportEndToEndMinIO imports an AWS config whose base profile holds MinIO's keys
// in the credentials file and whose role profile assumes a role with them at MinIO.
// Then the real brs binary serves the imported role to the real AWS CLI through
// credential_process, and the AWS CLI creates and lists a bucket with it. No
// AWS_PROFILE and no keys are in the environment: the sts plugin reads the keys of the
// profile the imported role names.
func TestImportEndToEndMinIO(t *testing.T) {
	awsCLI := needtool.Path(t, "aws", needtool.AWSCLI)
	srv := miniotest.Start(t)
	bin := t.TempDir()
	brs := copyExecutable(t, plugintestbin.Build(t, "github.com/brs-go/brs/cmd/brs"), bin, "brs")
	copyExecutable(t, plugintestbin.Build(t, "github.com/brs-go/brs/cmd/brs-plugin-sts"), bin, "brs-plugin-sts")

	home := t.TempDir()
	writeHCL(t, home, ".aws/config", `[profile minio-keys]
region = us-east-1

[profile analytics]
role_arn = arn:aws:iam::123456789012:role/analytics
source_profile = minio-keys
duration_seconds = 900
region = us-east-1
endpoint_url = `+srv.Endpoint+`
`)
	writeHCL(t, home, ".aws/credentials", "[minio-keys]\naws_access_key_id = "+miniotest.RootUser+"\naws_secret_access_key = "+miniotest.RootPassword+"\n")
	env := []string{
		"HOME=" + home,
		"PATH=" + os.Getenv("PATH"),
		"AWS_EC2_METADATA_DISABLED=true",
		// Each brs runs on its own: the agent has tests of its own, and one started
		// here would outlive the test.
		"BRS_AGENT=off",
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	run := func(extraEnv []string, name string, args ...string) (string, string) {
		t.Helper()
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Env = append(env, extraEnv...)
		cmd.Dir = home
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s %s: %v\nstderr:\n%s", filepath.Base(name), strings.Join(args, " "), err, stderr.String())
		}
		return stdout.String(), stderr.String()
	}

	hcl := filepath.Join(home, "brs.hcl")
	_, stderr := run(nil, brs, "import", "-o", hcl)
	b, _ := os.ReadFile(hcl)
	if !strings.Contains(string(b), `profile = "minio-keys"`) || strings.Contains(string(b), miniotest.RootPassword) {
		t.Fatalf("imported file:\n%s\nstderr:\n%s", b, stderr)
	}

	if out, _ := run(nil, brs, "-c", hcl, "validate"); !strings.HasPrefix(out, "ok: 1 role (analytics)") {
		t.Errorf("brs validate of the imported file: %q", out)
	}

	out, stderr := run(nil, brs, "-c", hcl, "credential-process", "analytics")
	var doc struct {
		AccessKeyID  string `json:"AccessKeyId"`
		SessionToken string
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || doc.AccessKeyID == "" || doc.AccessKeyID == miniotest.RootUser || doc.SessionToken == "" {
		t.Fatalf("credential-process printed no temporary credentials (%v); stderr:\n%s", err, stderr)
	}

	// The AWS CLI, through a profile added to the same ~/.aws/config that sends it to
	// brs. brs then runs with AWS_PROFILE=via-brs: the role still signs with the
	// profile it names, and does not call itself.
	f, err := os.OpenFile(filepath.Join(home, ".aws", "config"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("\n[profile via-brs]\nregion = us-east-1\ncredential_process = " + brs + " -c " + hcl + " credential-process analytics\n"); err != nil {
		t.Fatal(err)
	}
	f.Close()
	cliEnv := []string{"AWS_PROFILE=via-brs"}
	run(cliEnv, awsCLI, "--endpoint-url", srv.Endpoint, "s3api", "create-bucket", "--bucket", "imported")
	out, _ = run(cliEnv, awsCLI, "--endpoint-url", srv.Endpoint, "s3api", "list-buckets", "--query", "Buckets[].Name", "--output", "text")
	if strings.TrimSpace(out) != "imported" {
		t.Errorf("aws s3api list-buckets = %q, want the bucket it created", out)
	}
}

// TestImportCreatesConfigDir runs README's own first command on a fresh home, where
// ~/.config does not exist: brs import -o ~/.config/brs/brs.hcl creates the
// directories (0700) and the file (0600), and the written file is the one brs finds.
func TestImportCreatesConfigDir(t *testing.T) {
	home := isolateAWSFiles(t)
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("BRS_CONFIG", "")
	t.Chdir(t.TempDir())
	writeHCL(t, filepath.Join(home, ".aws"), "config", "[profile dev]\nrole_arn = arn:aws:iam::111122223333:role/dev\ncredential_source = Environment\n")
	out := filepath.Join(home, ".config", "brs", "brs.hcl")
	r := runBRS(t, "import", "-o", out)
	if r.code != exitOK || !strings.Contains(r.stderr, "wrote 1 role (dev)") {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	for path, want := range map[string]os.FileMode{
		filepath.Join(home, ".config"): 0o700 | os.ModeDir, filepath.Dir(out): 0o700 | os.ModeDir, out: 0o600,
	} {
		if fi, err := os.Stat(path); err != nil || fi.Mode() != want {
			t.Errorf("%s: %v, want mode %v (%v)", path, fi.Mode(), want, err)
		}
	}
	if got, err := (&cli{lookupEnv: os.LookupEnv}).configPath(); err != nil || got != out {
		t.Errorf("brs finds %q (%v), want %q", got, err, out)
	}
}

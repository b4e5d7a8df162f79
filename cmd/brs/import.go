package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/brs-go/brs/internal/awsconfig"
)

// maxAWSFile caps how much of an AWS config or credentials file brs import reads; real
// ones hold a few hundred profiles in well under a megabyte.
const maxAWSFile = 8 << 20

// setupImport registers the flags of `brs import [FILE]`.
func setupImport(fs *flag.FlagSet) runFunc {
	out := fs.String("o", "", "write the brs config to FILE (mode 0600, its directory created with mode 0700) instead of stdout")
	force := fs.Bool("force", false, "with -o, replace FILE if it exists")
	var profiles stringList
	fs.Var(&profiles, "profile", "import only this AWS profile and those it takes credentials from (repeatable)")
	toKeyring := fs.Bool("keys-to-keyring", false, "copy the long-term keys the roles sign with into the OS keyring, and name them there (keyring = NAME)")
	removeMoved := fs.Bool("remove-moved-keys", false, "with --keys-to-keyring, then remove those keys from the AWS credentials file (the rest of it is kept as it is)")
	return func(ctx context.Context, c *cli, args []string) int {
		if *removeMoved && !*toKeyring {
			return c.usageError("import: --remove-moved-keys removes the keys --keys-to-keyring moved: add --keys-to-keyring")
		}
		return runImport(c, args, *out, *force, profiles, *toKeyring, *removeMoved)
	}
}

// runImport is `brs import [FILE]`.
func runImport(c *cli, args []string, out string, force bool, profiles []string, toKeyring, removeMoved bool) int {
	home, _ := c.lookupEnv("HOME")
	// The file the AWS SDKs, and so brs's plugins, read.
	defaultPath := filepath.Join(home, ".aws", "config")
	if p, _ := c.lookupEnv("AWS_CONFIG_FILE"); p != "" {
		defaultPath = p
	}
	configPath := defaultPath
	if len(args) > 0 {
		configPath = args[0]
	}
	credsPath := filepath.Join(home, ".aws", "credentials")
	if p, _ := c.lookupEnv("AWS_SHARED_CREDENTIALS_FILE"); p != "" {
		credsPath = p
	}
	configText, err := readAWSFile(configPath)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return c.errorf("import: no AWS config file at %s: name it (brs import FILE) or set AWS_CONFIG_FILE", configPath)
		}
		return c.errorf("import: %v", err)
	}
	credsText, err := readAWSFile(credsPath)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return c.errorf("import: %v", err)
	}
	in := awsconfig.Input{
		ConfigPath: tildePath(configPath, home), Config: configText,
		CredentialsPath: tildePath(credsPath, home), Credentials: credsText,
		Profiles: profiles, KeysToKeyring: toKeyring,
	}
	res, err := awsconfig.Import(in)
	if err != nil {
		return c.errorf("import: %v", err)
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(c.stderr, "brs: import: %s\n", w)
	}
	if len(res.SigningProfiles) > 0 && !sameFile(configPath, defaultPath) {
		fmt.Fprintf(c.stderr, "brs: import: the roles sign with AWS profiles of %s (%s), which the AWS SDKs read from %s: run brs with AWS_CONFIG_FILE=%s, or merge the file into %s\n",
			configPath, strings.Join(res.SigningProfiles, ", "), defaultPath, configPath, defaultPath)
	}
	if len(res.Roles) == 0 {
		return c.errorf("import: no profile of %s could be imported (see above); nothing written", configPath)
	}
	var moved []string
	if toKeyring {
		var code int
		if moved, code = c.importKeysToKeyring(in, res); code != exitOK {
			return code
		}
		if len(moved) > 0 && !removeMoved {
			fmt.Fprintf(c.stderr, "brs: import: %s is left as it is: once brs works, remove the keys from it, or run brs import again with --remove-moved-keys\n", in.CredentialsPath)
		}
	}
	// The keys leave the credentials file last, once the config that names them in
	// the keyring is written.
	removeKeys := func() int {
		if !removeMoved || len(moved) == 0 {
			return exitOK
		}
		return c.removeMovedKeys(credsPath, credsText, in, moved)
	}
	if out == "" {
		if _, err := c.stdout.Write(res.HCL); err != nil {
			return c.errorf("writing to stdout: %v", err)
		}
		return removeKeys()
	}
	if err := writeNewFile(out, res.HCL, force); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return c.errorf("import: %s exists: choose another file, or add --force to replace it", out)
		}
		return c.errorf("import: %v", err)
	}
	noun := "roles"
	if len(res.Roles) == 1 {
		noun = "role"
	}
	fmt.Fprintf(c.stderr, "brs: wrote %d %s (%s) to %s; check them with: brs -c %s validate\n",
		len(res.Roles), noun, strings.Join(res.Roles, ", "), out, out)
	return removeKeys()
}

// sameFile reports whether a and b name the same file; a file that does not exist is
// compared by its cleaned absolute path.
func sameFile(a, b string) bool {
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(fa, fb)
	}
	absA, _ := filepath.Abs(a)
	absB, _ := filepath.Abs(b)
	return absA == absB
}

// readAWSFile reads an AWS config or credentials file, at most maxAWSFile bytes.
func readAWSFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxAWSFile+1))
	if err != nil {
		return "", err
	}
	if len(b) > maxAWSFile {
		return "", fmt.Errorf("%s is larger than %d MiB: not an AWS config file", path, maxAWSFile>>20)
	}
	return string(b), nil
}

// tildePath writes a path under home as ~/…, for comments that stay true on another
// machine.
func tildePath(path, home string) string {
	if home == "" || home == "/" {
		return path
	}
	if rel, err := filepath.Rel(home, path); err == nil && filepath.IsAbs(path) && !strings.HasPrefix(rel, "..") {
		return "~/" + filepath.ToSlash(rel)
	}
	return path
}

// writeNewFile writes b to path with mode 0600, creating the directories it is in with
// mode 0700 when they do not exist (~/.config/brs on a fresh machine). Without force it
// fails with an error wrapping fs.ErrExist when path exists; with force it replaces
// path atomically.
func writeNewFile(path string, b []byte, force bool) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	if !force {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return err
		}
		if _, err := f.Write(b); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename, there is nothing left to remove
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

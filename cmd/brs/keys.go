package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/brs-go/brs/internal/awsconfig"
	"github.com/brs-go/brs/internal/keyring"
)

// keysCommand is `brs keys add|list|remove`: long-term AWS keys in the OS keyring.
func keysCommand() *command {
	return &command{
		name:    "keys",
		args:    "add|list|remove [NAME]",
		summary: "Keep AWS access keys in the OS keyring",
		help: `Keeps IAM users' long-term access keys in the OS keyring instead of a plaintext
~/.aws/credentials, for roles that name them with keyring = "NAME" (sources
session and sts):

  brs keys add alice        asks for the access key ID and the secret access key
                            (the secret without echo), or reads them from stdin,
                            one per line, when stdin is not a terminal
  brs keys list             prints the names of the stored keys
  brs keys remove alice     deletes the key

A key is never taken from the command line, where other users could read it.

The keyring is the desktop's (Secret Service, macOS Keychain, Windows Credential
Manager) when one answers, else an encrypted file under
$XDG_DATA_HOME/brs/keyring (~/.local/share/brs/keyring). BRS_KEYRING_BACKEND
chooses one of secret-service, keychain, wincred, keyctl (the kernel's user
keyring: gone at reboot), pass or file. The file's passphrase comes from
BRS_KEYRING_PASSPHRASE, else a prompt on the terminal; plugins, which have no
terminal, need BRS_KEYRING_PASSPHRASE (or a desktop keyring). BRS_KEYRING_DIR
moves the file keyring.`,
		minArgs: 1, maxArgs: -1, // checked by runKeys, which never echoes an argument that may be a key
		setup: noFlags(runKeys),
	}
}

// maxKeyInput bounds what `brs keys add` reads from stdin: two short lines.
const maxKeyInput = 4 << 10

func runKeys(_ context.Context, c *cli, args []string) int {
	sub, rest := args[0], args[1:]
	want := map[string]int{"add": 1, "remove": 1, "list": 0}
	n, ok := want[sub]
	if !ok {
		return c.commandUsageError(lookupCommand("keys"), "unknown keys command: use add, list or remove")
	}
	if len(rest) != n {
		if sub == "add" && len(rest) > 1 {
			return c.commandUsageError(lookupCommand("keys"), "brs keys add takes only a NAME: the key is read from stdin or a prompt, never from the command line")
		}
		return c.commandUsageError(lookupCommand("keys"), "brs keys %s takes %d argument(s)", sub, n)
	}
	if n == 1 {
		if err := keyring.CheckName(rest[0]); err != nil {
			return c.errorf("%v", err)
		}
	}
	store, err := keyring.Open(keyring.Options{Getenv: c.getenv, Prompt: c.passphrasePrompt()})
	if err != nil {
		return c.errorf("%v", err)
	}
	switch sub {
	case "list":
		names, err := store.List()
		if err != nil {
			return c.errorf("%v", err)
		}
		for _, n := range names {
			fmt.Fprintln(c.stdout, n)
		}
	case "remove":
		if err := store.Remove(rest[0]); err != nil {
			return c.errorf("%v", err)
		}
		fmt.Fprintf(c.stderr, "removed key %q from the %s keyring\n", rest[0], store.Backend())
	case "add":
		k, err := c.readKey()
		if err != nil {
			return c.errorf("%v", err)
		}
		if err := store.Set(rest[0], k); err != nil {
			return c.errorf("%v", err)
		}
		fmt.Fprintf(c.stderr, "stored key %q (%s) in the %s keyring; use it with keyring = %q\n", rest[0], k.AccessKeyID, store.Backend(), rest[0])
	}
	return exitOK
}

// getenv reads the CLI's environment.
func (c *cli) getenv(k string) string {
	v, _ := c.lookupEnv(k)
	return v
}

// stdinTerminal returns stdin when it is a terminal.
func (c *cli) stdinTerminal() (*os.File, bool) {
	f, ok := c.stdin.(*os.File)
	return f, ok && term.IsTerminal(int(f.Fd()))
}

// passphrasePrompt asks for the file keyring's passphrase without echo, when stdin is
// a terminal; else nil (BRS_KEYRING_PASSPHRASE is needed).
func (c *cli) passphrasePrompt() func(string) (string, error) {
	f, ok := c.stdinTerminal()
	if !ok {
		return nil
	}
	return func(msg string) (string, error) {
		fmt.Fprintf(c.stderr, "%s: ", msg)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(c.stderr)
		return string(b), err
	}
}

// readKey reads an access key: prompted on a terminal (the secret without echo), else
// two lines of stdin.
func (c *cli) readKey() (keyring.Key, error) {
	var k keyring.Key
	if f, ok := c.stdinTerminal(); ok {
		fmt.Fprint(c.stderr, "Access key ID: ")
		line, err := bufio.NewReader(io.LimitReader(f, 256)).ReadString('\n')
		if err != nil {
			return k, fmt.Errorf("reading the access key ID: %v", err)
		}
		k.AccessKeyID = strings.TrimSpace(line)
		fmt.Fprint(c.stderr, "Secret access key: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(c.stderr)
		if err != nil {
			return k, fmt.Errorf("reading the secret access key: %v", err)
		}
		k.SecretAccessKey = strings.TrimSpace(string(b))
	} else {
		if c.stdin == nil {
			return k, errors.New("no key given: run on a terminal, or give the access key ID and the secret access key on stdin, one per line")
		}
		b, err := io.ReadAll(io.LimitReader(c.stdin, maxKeyInput+1))
		if err != nil {
			return k, fmt.Errorf("reading stdin: %v", err)
		}
		if len(b) > maxKeyInput {
			return k, fmt.Errorf("stdin holds more than %d bytes: give the access key ID and the secret access key, one per line", maxKeyInput)
		}
		lines := strings.Fields(string(b))
		if len(lines) != 2 {
			return k, errors.New("stdin must hold two lines: the access key ID, then the secret access key")
		}
		k.AccessKeyID, k.SecretAccessKey = lines[0], lines[1]
	}
	if err := k.Check(); err != nil {
		return keyring.Key{}, err
	}
	return k, nil
}

// importKeysToKeyring stores the long-term keys of the profiles an import signs with in
// the OS keyring, under the profiles' names, for `brs import --keys-to-keyring`, and
// returns the profiles whose keys it stored and read back. The AWS files are not
// changed.
func (c *cli) importKeysToKeyring(in awsconfig.Input, res *awsconfig.Result) ([]string, int) {
	names := awsconfig.KeyringProfiles(res)
	if len(names) == 0 {
		fmt.Fprintln(c.stderr, "brs: import: --keys-to-keyring: no role signs with a profile's long-term keys; nothing to store")
		return nil, exitOK
	}
	store, err := keyring.Open(keyring.Options{Getenv: c.getenv, Prompt: c.passphrasePrompt()})
	if err != nil {
		return nil, c.errorf("import: --keys-to-keyring: %v; nothing written", err)
	}
	for _, n := range names {
		k, ok := awsconfig.ProfileKeys(in, n)
		if !ok {
			return nil, c.errorf("import: --keys-to-keyring: profile %q has no complete key; nothing written", n)
		}
		if err := store.Set(n, k); err != nil {
			return nil, c.errorf("import: --keys-to-keyring: %v; nothing written", err)
		}
		// Read back, so that a key is never removed from a file (--remove-moved-keys)
		// that the keyring does not hold.
		if got, err := store.Get(n); err != nil || got != k {
			return nil, c.errorf("import: --keys-to-keyring: the key %q read back from the %s keyring is not the one stored (%v); nothing written", n, store.Backend(), err)
		}
		fmt.Fprintf(c.stderr, "brs: import: stored the keys of profile %q (%s) in the %s keyring as %q\n", n, k.AccessKeyID, store.Backend(), n)
	}
	return names, exitOK
}

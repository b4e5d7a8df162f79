package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/brs-go/brs/internal/awsconfig"
)

// removeMovedKeys is `brs import --remove-moved-keys`: it rewrites the credentials file
// at path, which read as text, without the key settings of the profiles moved to the
// keyring. Every other line is kept byte for byte; the file is replaced atomically (a
// temporary file in its directory, of its mode, renamed over it, through a symbolic
// link to where it points), and not at all if it changed since it was read.
func (c *cli) removeMovedKeys(path, text string, in awsconfig.Input, moved []string) int {
	newText, removedFrom := awsconfig.RemoveKeys(text, moved)
	after := in
	after.Credentials = newText
	for _, n := range moved {
		if _, still := awsconfig.ProfileKeys(after, n); still {
			fmt.Fprintf(c.stderr, "brs: import: --remove-moved-keys: the keys of profile %q are (also) in %s, which brs import does not change: remove them there yourself\n", n, in.ConfigPath)
		}
	}
	if len(removedFrom) == 0 {
		return exitOK
	}
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return c.errorf("import: --remove-moved-keys: %v; %s not changed", err, path)
	}
	if err := replaceIfUnchanged(target, text, newText); err != nil {
		return c.errorf("import: --remove-moved-keys: %v; %s not changed (the keys are in the keyring: remove them from the file yourself, or run brs import again)", err, path)
	}
	fmt.Fprintf(c.stderr, "brs: import: removed the keys of profile %s from %s; the rest of it is as it was\n",
		strings.Join(quoteAll(removedFrom), ", "), in.CredentialsPath)
	return exitOK
}

// beforeReplace, when set (by a test only), runs just before replaceIfUnchanged checks
// the file: where another program's edit would fall.
var beforeReplace func()

// replaceIfUnchanged replaces the file at path, which must still hold old, with replacement,
// atomically and with the same mode.
func replaceIfUnchanged(path, old, replacement string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".brs-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename, there is nothing left to remove
	if err := tmp.Chmod(fi.Mode().Perm()); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.WriteString(replacement); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if beforeReplace != nil {
		beforeReplace()
	}
	// Checked last, just before the rename: an edit made since brs read the file
	// (by hand, by aws configure) is not overwritten.
	now, err := readAWSFile(path)
	if err != nil {
		return err
	}
	if now != old {
		return fmt.Errorf("%s changed since brs read it", path)
	}
	return os.Rename(tmp.Name(), path)
}

// quoteAll quotes each of names.
func quoteAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = fmt.Sprintf("%q", n)
	}
	return out
}

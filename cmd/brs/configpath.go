package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// defaultConfigName is the config file looked for in $XDG_CONFIG_HOME/brs.
const defaultConfigName = "brs.hcl"

// configPath returns the config file to use: -c FILE, else $BRS_CONFIG, else
// $XDG_CONFIG_HOME/brs/brs.hcl. A file named by -c or $BRS_CONFIG must exist; the
// last is used only when it does. Whichever it is, loading it checks that no other
// user could have written it (internal/filetrust).
//
// The working directory is not searched: brs runs for whatever program asks for
// credentials, from wherever it was started, and a ./brs.hcl there may be another
// user's (cd /tmp) or come with a cloned repository, which the owner check cannot tell
// from the user's own. See the README's security section.
func (c *cli) configPath() (string, error) {
	if c.configFile != "" {
		return explicitConfig(c.configFile, "-c")
	}
	if v, _ := c.lookupEnv("BRS_CONFIG"); v != "" {
		return explicitConfig(v, "$BRS_CONFIG")
	}
	xdg, xdgNote := c.xdgConfig()
	if xdg != "" && isFile(xdg) {
		return xdg, nil
	}

	if xdg != "" {
		xdgNote = xdg + ": not found"
	}
	var b strings.Builder
	b.WriteString("no config file found. brs looks for one in this order:\n")
	fmt.Fprintf(&b, "  1. -c FILE                       (not given)\n")
	fmt.Fprintf(&b, "  2. $BRS_CONFIG                   (not set)\n")
	fmt.Fprintf(&b, "  3. $XDG_CONFIG_HOME/brs/%s  (%s)\n", defaultConfigName, xdgNote)
	if isFile(defaultConfigName) {
		fmt.Fprintf(&b, "./%s is not read from the working directory (another user's or a cloned repository's could run commands as you); pass -c ./%s if it is yours.\n",
			defaultConfigName, defaultConfigName)
	}
	b.WriteString("Create one of them, or pass -c FILE; \"brs help\" shows an example.")
	return "", errors.New(b.String())
}

// xdgConfig returns $XDG_CONFIG_HOME/brs/brs.hcl, with $XDG_CONFIG_HOME defaulting to
// ~/.config as the XDG base directory specification says (which also says to ignore a
// relative value). Without a home directory it returns "" and why.
func (c *cli) xdgConfig() (string, string) {
	if dir, _ := c.lookupEnv("XDG_CONFIG_HOME"); filepath.IsAbs(dir) {
		return filepath.Join(dir, "brs", defaultConfigName), ""
	}
	if home, _ := c.lookupEnv("HOME"); home != "" {
		return filepath.Join(home, ".config", "brs", defaultConfigName), ""
	}
	return "", "neither $XDG_CONFIG_HOME nor $HOME is set"
}

// explicitConfig checks a config file that the user named, with -c or $BRS_CONFIG.
func explicitConfig(path, how string) (string, error) {
	fi, err := os.Stat(path)
	switch {
	case err != nil && os.IsNotExist(err):
		return "", fmt.Errorf("config file %s (from %s) does not exist; check the path, or create it", path, how)
	case err != nil:
		return "", fmt.Errorf("config file %s (from %s): %v", path, how, err)
	case fi.IsDir():
		return "", fmt.Errorf("config file %s (from %s) is a directory; name the .hcl file in it", path, how)
	}
	return path, nil
}

// isFile reports whether path exists and is not a directory.
func isFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir()
}

//go:build !unix

package main

import (
	"errors"
	"os"
	"os/exec"
)

// runBRS runs brs with args on this process's standard streams and exits with its
// status (there is no exec that replaces a process here). It returns only if brs
// cannot be started.
func runBRS(brs string, args []string) error {
	cmd := exec.Command(brs, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		os.Exit(ee.ExitCode())
	}
	if err != nil {
		return err
	}
	os.Exit(0)
	return nil
}

package proctest

import "os/exec"

// Unprivileged leaves cmd as it is on Windows: it runs as the current user. The tests
// that need a second user are Unix ones (they read /proc).
func Unprivileged(*exec.Cmd) {}

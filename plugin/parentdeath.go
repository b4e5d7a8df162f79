package plugin

import (
	"os"
	"runtime"
	"syscall"

	"github.com/brs-go/brs/internal/proc"
)

// A brs host starts its plugins with SIGKILL as their parent-death signal (Linux), so
// that a plugin that ignores SIGTERM and does not watch its stdin still dies with the
// host. A plugin of this SDK that watches its host exits cleanly at SIGTERM, killing
// the commands it runs and removing its socket first (see watchHost), so it asks for
// SIGTERM instead. The setting that counts is the main thread's, so a process the host
// pipes to keeps its main goroutine there, from init (which runs on the main thread)
// until Serve has changed it.
func init() {
	if os.Getenv(envHostPipe) == "stdin" {
		runtime.LockOSThread()
	}
}

// askForSIGTERM makes SIGTERM the parent-death signal, if Serve runs on the main
// thread; otherwise the host's SIGKILL stays, and the plugin dies with the host all
// the same, without removing its socket.
func askForSIGTERM() {
	_ = proc.SetOwnParentDeathSignal(syscall.SIGTERM)
}

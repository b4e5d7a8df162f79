package proc

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/brs-go/brs/internal/testutil/proctest"
)

// TestGroupDiesWithParent: a helper process (this test binary again) starts a command
// with StartGroup and is SIGKILLed; the command's leader gets the parent-death signal
// and is gone, not reparented to init.
func TestGroupDiesWithParent(t *testing.T) {
	if fifo := os.Getenv("PROC_TEST_GROUP_FIFO"); fifo != "" {
		// The helper: start the command, which writes its pid to the fifo, and wait
		// to be killed.
		g, err := StartGroup(exec.Command("sh", "-c", "echo $$ > "+fifo+"; sleep 600; :"))
		if err != nil {
			os.Exit(3)
		}
		_ = g.Wait()
		os.Exit(0)
	}
	fifo := filepath.Join(t.TempDir(), "sh.pid")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	helper := exec.Command(os.Args[0], "-test.run=^TestGroupDiesWithParent$")
	helper.Env = append(os.Environ(), "PROC_TEST_GROUP_FIFO="+fifo)
	if err := helper.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = helper.Process.Kill(); _ = helper.Wait() })
	sh := proctest.ReadPID(t, fifo) // blocks until the command has written it
	if err := helper.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	proctest.WaitGone(t, sh)
}

package proc

import (
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestParentDeathSignalOutlivesStartingThread: a child started with a parent-death
// signal from a goroutine that locked its thread and returned without unlocking it
// (so that the runtime ends the thread) keeps running: Linux sends the signal when
// the thread that forked the child exits, and Start forks from a thread that never
// does.
func TestParentDeathSignalOutlivesStartingThread(t *testing.T) {
	cmd := exec.Command("sleep", "60")
	SetParentDeathSignal(cmd, syscall.SIGKILL)
	type started struct {
		tid int
		err error
	}
	ch := make(chan started)
	var s started
	for s.tid == 0 {
		go func() {
			runtime.LockOSThread() // not unlocked: the thread ends with the goroutine
			if unix.Gettid() == os.Getpid() {
				// The main thread never exits; try again on another one.
				runtime.UnlockOSThread()
				ch <- started{}
				return
			}
			ch <- started{unix.Gettid(), Start(cmd)}
		}()
		s = <-ch
	}
	if s.err != nil {
		t.Fatal(s.err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	// The thread is gone from /proc once it has exited, and by then the kernel has sent
	// its children their parent-death signals.
	task := "/proc/self/task/" + strconv.Itoa(s.tid)
	deadline := time.After(10 * time.Second)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		if _, err := os.Stat(task); os.IsNotExist(err) {
			break
		}
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("thread %d did not exit", s.tid)
		}
	}
	// A SIGKILL that was sent lands within milliseconds; give it a second.
	select {
	case err := <-exited:
		t.Fatalf("the child died when the thread that started it exited: %v", err)
	case <-time.After(time.Second):
	}
}

// TestDisableDumping: a process is dumpable, and is not after DisableDumping. It runs
// in a fresh copy of the test binary, which it leaves non-dumpable.
func TestDisableDumping(t *testing.T) {
	if os.Getenv("PROC_TEST_DISABLE_DUMPING") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestDisableDumping$")
		cmd.Env = append(os.Environ(), "PROC_TEST_DISABLE_DUMPING=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		return
	}
	if d, err := Dumpable(); err != nil || !d {
		t.Fatalf("Dumpable before = %v, %v; want true", d, err)
	}
	if err := DisableDumping(); err != nil {
		t.Fatal(err)
	}
	if d, err := Dumpable(); err != nil || d {
		t.Fatalf("Dumpable after = %v, %v; want false", d, err)
	}
}

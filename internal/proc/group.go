package proc

import (
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// Group is a running command that leads a process group of its own: everything it
// starts, unless that leaves the group, is signalled and killed with it. A Group is
// started by StartGroup and is safe for concurrent use.
type Group struct {
	cmd  *exec.Cmd
	pid  int
	done chan struct{}
	err  error // cmd.Wait's, once done is closed

	mu     sync.Mutex
	exited bool // the leader has exited: its group ID may soon be reused
}

// groups holds the Groups that have not been reaped yet, for KillAll.
var groups struct {
	mu sync.Mutex
	m  map[*Group]struct{}
}

// StartGroup starts cmd as the leader of a new process group, with a parent-death
// signal of SIGKILL where the platform has one (see Start), and reaps it in the
// background. When the leader exits, what is left of its group is killed: a command's
// processes never outlive it. Until it is reaped, KillAll kills the group too.
func StartGroup(cmd *exec.Cmd) (*Group, error) {
	OwnGroup(cmd)
	SetParentDeathSignal(cmd, syscall.SIGKILL)
	if err := Start(cmd); err != nil {
		return nil, err
	}
	g := &Group{cmd: cmd, pid: cmd.Process.Pid, done: make(chan struct{})}
	groups.mu.Lock()
	if groups.m == nil {
		groups.m = make(map[*Group]struct{})
	}
	groups.m[g] = struct{}{}
	groups.mu.Unlock()
	go g.wait()
	return g, nil
}

// wait reaps the leader and kills the rest of its group. Where the leader's exit can
// be awaited without reaping it (Linux), the group is killed while the leader is a
// zombie, so its ID cannot have been reused; elsewhere right after the leader is
// reaped, while any member left keeps the group ID from being reused.
func (g *Group) wait() {
	if CanWaitExited {
		WaitExited(g.pid)
		g.exit()
		g.err = g.cmd.Wait()
	} else {
		g.err = g.cmd.Wait()
		g.exit()
	}
	groups.mu.Lock()
	delete(groups.m, g)
	groups.mu.Unlock()
	close(g.done)
}

// exit kills what is left of the group of a leader that has exited.
func (g *Group) exit() {
	g.mu.Lock()
	defer g.mu.Unlock()
	_ = SignalGroup(g.pid, syscall.SIGKILL)
	g.exited = true
}

// PID returns the leader's process ID, which is also the group's ID.
func (g *Group) PID() int { return g.pid }

// Done is closed once the leader has exited, the rest of its group has been killed and
// the leader has been reaped.
func (g *Group) Done() <-chan struct{} { return g.done }

// Wait waits for Done and returns what exec.Cmd.Wait returned.
func (g *Group) Wait() error {
	<-g.done
	return g.err
}

// Signal sends sig to the group, unless its leader has exited (then the group has been
// killed already).
func (g *Group) Signal(sig syscall.Signal) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.exited {
		return nil
	}
	return SignalGroup(g.pid, sig)
}

// Stop asks the group to end with SIGTERM, and kills it with SIGKILL if its leader has
// not exited after grace. It returns once the leader has been reaped.
func (g *Group) Stop(grace time.Duration) error {
	_ = g.Signal(syscall.SIGTERM)
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case <-g.done:
	case <-t.C:
		_ = g.Signal(syscall.SIGKILL)
	}
	return g.Wait()
}

// KillAll kills every Group of this process that has not been reaped yet. A plugin
// calls it as it exits: the parent-death signal reaches a command's leader only, and
// the processes the leader started would outlive the plugin.
func KillAll() {
	groups.mu.Lock()
	defer groups.mu.Unlock()
	for g := range groups.m {
		_ = g.Signal(syscall.SIGKILL)
	}
}

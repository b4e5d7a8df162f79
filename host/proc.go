package host

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin/runner"

	"github.com/brs-go/brs/internal/proc"
)

// pipeDrainGrace is how long the plugin's stdout and stderr are still read after its
// process has exited (and its process group been killed). Output its own processes
// wrote is read in microseconds; only a descendant that left the process group can
// hold a pipe open past it, and it must not hold the host up.
const pipeDrainGrace = 200 * time.Millisecond

// process is a plugin process as go-plugin's runner: brs starts it itself so that it
// can run the binary it checked (the open file, not a path that may have changed
// since), in a process group of its own that is killed whole, with a parent-death
// signal and a stdin pipe that tell it when the host dies, and with pipes that cannot
// hold a deadline up after the process has gone.
type process struct {
	path   string
	cmd    *exec.Cmd
	stdout *pipeReader
	stderr *pipeReader
	stdin  *os.File // the host's end of the plugin's stdin; only the host holds it
	// cleanup removes what was prepared to run the binary, after start.
	cleanup func()

	mu     sync.Mutex
	pid    int
	exited bool // the process has exited: its group ID may soon be reused

	done    chan struct{}
	waitErr error
}

var _ runner.Runner = (*process)(nil)

// newProcess prepares bin to run with args in environ, the host's environment, but
// for go-plugin's launch variables (PLUGIN_*: one that go-plugin does not set, such
// as PLUGIN_UNIX_SOCKET_GROUP, would change how the plugin serves), plus the
// variables go-plugin set in spec (which holds none of this process's: the client is
// configured with SkipHostEnv), plus env. It takes ownership of bin.
func newProcess(bin *binary, args, environ, env []string, spec *exec.Cmd) (*process, error) {
	cmd := &exec.Cmd{Args: append([]string{bin.path}, args...)}
	base := slices.DeleteFunc(slices.Clone(environ), func(kv string) bool {
		return strings.HasPrefix(strings.ToUpper(kv), "PLUGIN_")
	})
	cmd.Env = slices.Concat(base, spec.Env, env, []string{proc.EnvHostPipe + "=stdin"})
	cleanup, err := bin.prepare(cmd)
	if err != nil {
		return nil, err
	}
	proc.OwnGroup(cmd)
	// SIGKILL, so that a plugin that ignores SIGTERM and does not watch stdin dies
	// with the host too. A plugin of brs's SDK, which exits cleanly at SIGTERM and
	// removes its socket first, replaces it with SIGTERM as it starts to serve (see
	// plugin/parentdeath.go).
	proc.SetParentDeathSignal(cmd, syscall.SIGKILL)
	return &process{path: bin.path, cmd: cmd, cleanup: cleanup, done: make(chan struct{})}, nil
}

// Start starts the process.
func (p *process) Start(context.Context) error {
	defer p.cleanup()
	var files []*os.File // the child's ends, closed here once it has them
	defer func() {
		for _, f := range files {
			_ = f.Close()
		}
	}()
	inR, inW, err := os.Pipe()
	if err != nil {
		return err
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		_ = inR.Close()
		_ = inW.Close()
		return err
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		for _, f := range []*os.File{inR, inW, outR, outW} {
			_ = f.Close()
		}
		return err
	}
	files = append(files, inR, outW, errW)
	p.cmd.Stdin, p.cmd.Stdout, p.cmd.Stderr = inR, outW, errW
	if err := proc.Start(p.cmd); err != nil {
		for _, f := range []*os.File{inW, outR, errR} {
			_ = f.Close()
		}
		return err
	}
	p.mu.Lock()
	p.pid = p.cmd.Process.Pid
	p.mu.Unlock()
	p.stdin = inW
	p.stdout = &pipeReader{f: outR, keep: 120}
	p.stderr = &pipeReader{f: errR}
	go p.wait()
	return nil
}

// wait waits for the process to exit, kills what is left of its process group, and
// lets the readers of its pipes finish soon after.
func (p *process) wait() {
	if proc.CanWaitExited {
		proc.WaitExited(p.cmd.Process.Pid)
		// The process is a zombie until Wait reaps it, so its group ID is still its own.
		p.killLeft()
		p.waitErr = p.cmd.Wait()
	} else {
		// Without a wait that does not reap (outside Linux), the group is killed just
		// after: a member left keeps its ID from being reused.
		p.waitErr = p.cmd.Wait()
		p.killLeft()
	}
	deadline := time.Now().Add(pipeDrainGrace)
	_ = p.stdout.f.SetReadDeadline(deadline)
	_ = p.stderr.f.SetReadDeadline(deadline)
	_ = p.stdin.Close()
	close(p.done)
}

// killLeft kills what is left of the process group of a process that has exited.
func (p *process) killLeft() {
	p.mu.Lock()
	defer p.mu.Unlock()
	_ = proc.KillGroup(p.pid)
	p.exited = true
}

// Wait waits for the process to exit. go-plugin calls it once it has read the pipes
// to their end.
func (p *process) Wait(context.Context) error {
	<-p.done
	_ = p.stdout.f.Close()
	_ = p.stderr.f.Close()
	return p.waitErr
}

// exitError returns why the process, which was asked to exit, did not exit cleanly,
// or nil. It does not wait: a process still running is reported as such.
func (p *process) exitError(what string, pid int) error {
	select {
	case <-p.done:
	default:
		return fmt.Errorf("brs: %s (pid %d) did not stop", what, pid)
	}
	if p.waitErr != nil {
		return fmt.Errorf("brs: %s (pid %d) did not exit cleanly when asked to stop: %w", what, pid, p.waitErr)
	}
	return nil
}

// Kill kills the process and its process group.
func (p *process) Kill(context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pid == 0 || p.exited {
		return nil
	}
	return proc.KillGroup(p.pid)
}

// PID returns the process ID, 0 before it started.
func (p *process) PID() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.pid
}

// Stdout returns the plugin's stdout, which carries the handshake.
func (p *process) Stdout() io.ReadCloser { return p.stdout }

// Stderr returns the plugin's stderr.
func (p *process) Stderr() io.ReadCloser { return p.stderr }

// Name is the plugin binary's path.
func (p *process) Name() string { return p.path }

// ID is the process ID.
func (p *process) ID() string {
	pid := p.PID()
	if pid == 0 {
		return ""
	}
	return strconv.Itoa(pid)
}

// Diagnose adds nothing: startError explains failures.
func (p *process) Diagnose(context.Context) string { return "" }

// PluginToHost returns the address as it is: the plugin runs on this host.
func (p *process) PluginToHost(network, addr string) (string, string, error) {
	return network, addr, nil
}

// HostToPlugin returns the address as it is: the plugin runs on this host.
func (p *process) HostToPlugin(network, addr string) (string, string, error) {
	return network, addr, nil
}

// stdoutStart returns the first bytes the plugin wrote to stdout.
func (p *process) stdoutStart() string {
	if p == nil || p.stdout == nil {
		return ""
	}
	return p.stdout.start()
}

// pipeReader reads the host's end of a plugin's pipe. The read deadline set when the
// process has exited ends a read as end-of-file, whoever else still holds the pipe.
type pipeReader struct {
	f    *os.File
	keep int // how many of the first bytes to keep for diagnostics

	mu   sync.Mutex
	head []byte
}

func (r *pipeReader) Read(b []byte) (int, error) {
	n, err := r.f.Read(b)
	if r.keep > 0 && n > 0 {
		r.mu.Lock()
		if room := r.keep - len(r.head); room > 0 {
			r.head = append(r.head, b[:min(n, room)]...)
		}
		r.mu.Unlock()
	}
	if errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, os.ErrClosed) {
		err = io.EOF
	}
	return n, err
}

func (r *pipeReader) Close() error { return r.f.Close() }

// start returns the first line of what was read, or as much of it as was kept.
func (r *pipeReader) start() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	line, _, _ := bytes.Cut(r.head, []byte{'\n'})
	return string(line)
}

// runnerFunc returns go-plugin's RunnerFunc for bin: it hands over the process it
// prepares, so that the caller can reach it.
func runnerFunc(bin *binary, args, environ, env []string, got **process) func(hclog.Logger, *exec.Cmd, string) (runner.Runner, error) {
	return func(_ hclog.Logger, spec *exec.Cmd, _ string) (runner.Runner, error) {
		p, err := newProcess(bin, args, environ, env, spec)
		if err != nil {
			return nil, err
		}
		*got = p
		return p, nil
	}
}

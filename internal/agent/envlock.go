package agent

import (
	"context"
	"os"
	"sync"
)

// envLock is a readers-writer lock whose waits end with a context: a load stuck in a
// plugin that does not answer holds it until its own deadline at most, and others
// give up at theirs.
type envLock struct {
	mu      sync.Mutex
	readers int
	writer  bool
	changed chan struct{} // closed and replaced at every unlock
}

// lock takes l, exclusively or shared, and reports whether it did before ctx ended.
func (l *envLock) lock(ctx context.Context, exclusive bool) bool {
	for {
		l.mu.Lock()
		if !l.writer && (!exclusive || l.readers == 0) {
			if exclusive {
				l.writer = true
			} else {
				l.readers++
			}
			l.mu.Unlock()
			return true
		}
		ch := l.changed
		l.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return false
		}
	}
}

func (l *envLock) unlock(exclusive bool) {
	l.mu.Lock()
	if exclusive {
		l.writer = false
	} else {
		l.readers--
	}
	close(l.changed)
	l.changed = make(chan struct{})
	l.mu.Unlock()
}

// withEnviron runs load, which reads this process's environment (env() in the config
// file, plugin discovery), as if environ were that environment: when environ differs
// from the agent's in a variable that is not a client's or a shell's, the process's
// environment is replaced by environ for the time of load, and no other load runs
// meanwhile; loads in the agent's own environment run side by side. It reports false,
// without running load, when ctx ends before the others let it run.
func (s *Server) withEnviron(ctx context.Context, environ []string, load func()) bool {
	exclusive := !sameLoad(environ, s.cfg.Environ)
	if !s.env.lock(ctx, exclusive) {
		return false
	}
	defer s.env.unlock(exclusive)
	if exclusive {
		saved := os.Environ()
		setEnviron(environ)
		defer setEnviron(saved)
	}
	load()
	return true
}

package host

import (
	"fmt"
	"io"
	"log"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/go-hclog"
)

const redacted = "[REDACTED]"

// redactor removes known secrets from text: the secret keys and session tokens the
// host has handed out, and the values of sensitive config attributes.
type redactor struct {
	mu      sync.Mutex
	byOwner map[string][]string // owner (role, or role+"/config") → its current secrets
	r       atomic.Pointer[strings.Replacer]
}

func newRedactor() *redactor {
	rd := &redactor{byOwner: map[string][]string{}}
	rd.r.Store(strings.NewReplacer())
	return rd
}

// set replaces owner's secrets. Secrets shorter than 8 characters are not redacted:
// replacing "a" everywhere would make logs unreadable without protecting anything.
func (rd *redactor) set(owner string, secrets ...string) {
	var keep []string
	for _, s := range secrets {
		if len(s) >= 8 {
			keep = append(keep, s)
		}
	}
	rd.mu.Lock()
	defer rd.mu.Unlock()
	rd.byOwner[owner] = keep
	var all []string
	for _, ss := range rd.byOwner {
		all = append(all, ss...)
	}
	// Longest first, so a secret that contains another is replaced whole.
	sort.Slice(all, func(i, j int) bool { return len(all[i]) > len(all[j]) })
	pairs := make([]string, 0, 2*len(all))
	for _, s := range all {
		pairs = append(pairs, s, redacted)
	}
	rd.r.Store(strings.NewReplacer(pairs...))
}

// add appends secrets to owner's, keeping at most the newest keepLast.
func (rd *redactor) add(owner string, keepLast int, secrets ...string) {
	rd.mu.Lock()
	cur := append(append([]string(nil), rd.byOwner[owner]...), secrets...)
	rd.mu.Unlock()
	if len(cur) > keepLast {
		cur = cur[len(cur)-keepLast:]
	}
	rd.set(owner, cur...)
}

func (rd *redactor) String(s string) string { return rd.r.Load().Replace(s) }

// sensitiveKey matches log keys whose values are secret whatever they hold.
var sensitiveKey = regexp.MustCompile(`(?i)(secret|token|password|passphrase|private)`)

func (rd *redactor) args(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		if i%2 == 1 {
			if k, ok := args[i-1].(string); ok && sensitiveKey.MatchString(k) {
				out[i] = redacted
				continue
			}
		}
		out[i] = rd.value(a)
	}
	return out
}

func (rd *redactor) value(a any) any {
	switch v := a.(type) {
	case nil, bool, int, int64, uint64, float64:
		return v
	case string:
		return rd.String(v)
	case error:
		return rd.String(v.Error())
	case fmt.Stringer:
		return rd.String(v.String())
	default:
		return rd.String(fmt.Sprint(v))
	}
}

// redactingLogger is an hclog.Logger that redacts secrets from every message and
// argument before they reach the wrapped logger. go-plugin re-logs each plugin's stderr
// through it too.
//
// A plugin may log a secret before the host has seen the response that carries it. So
// the plugin's loggers have a gate: while a call to the plugin is in flight their lines
// wait, and they are redacted and written when the call has returned and its secrets
// are known.
type redactingLogger struct {
	hclog.Logger
	rd   *redactor
	gate *gate // nil for the host's own logger
}

func (l *redactingLogger) wrap(in hclog.Logger) hclog.Logger {
	return &redactingLogger{Logger: in, rd: l.rd, gate: l.gate}
}

// withGate returns a logger whose lines wait while g is held.
func (l *redactingLogger) withGate(g *gate) *redactingLogger {
	return &redactingLogger{Logger: l.Logger, rd: l.rd, gate: g}
}

func (l *redactingLogger) emit(level hclog.Level, msg string, args []any) {
	write := func() { l.Logger.Log(level, l.rd.String(msg), l.rd.args(args)...) }
	if l.gate != nil && l.gate.delay(write) {
		return
	}
	write()
}

func (l *redactingLogger) Log(level hclog.Level, msg string, args ...any) { l.emit(level, msg, args) }
func (l *redactingLogger) Trace(msg string, args ...any)                  { l.emit(hclog.Trace, msg, args) }
func (l *redactingLogger) Debug(msg string, args ...any)                  { l.emit(hclog.Debug, msg, args) }
func (l *redactingLogger) Info(msg string, args ...any)                   { l.emit(hclog.Info, msg, args) }
func (l *redactingLogger) Warn(msg string, args ...any)                   { l.emit(hclog.Warn, msg, args) }
func (l *redactingLogger) Error(msg string, args ...any)                  { l.emit(hclog.Error, msg, args) }
func (l *redactingLogger) With(args ...any) hclog.Logger {
	return l.wrap(l.Logger.With(l.rd.args(args)...))
}
func (l *redactingLogger) Named(name string) hclog.Logger { return l.wrap(l.Logger.Named(name)) }
func (l *redactingLogger) ResetNamed(name string) hclog.Logger {
	return l.wrap(l.Logger.ResetNamed(name))
}
func (l *redactingLogger) ImpliedArgs() []any { return l.rd.args(l.Logger.ImpliedArgs()) }
func (l *redactingLogger) StandardWriter(opts *hclog.StandardLoggerOptions) io.Writer {
	return &redactingWriter{w: l.Logger.StandardWriter(opts), rd: l.rd}
}
func (l *redactingLogger) StandardLogger(opts *hclog.StandardLoggerOptions) *log.Logger {
	return log.New(l.StandardWriter(opts), "", 0)
}

// gate holds log lines back while calls are in flight.
type gate struct {
	mu    sync.Mutex
	holds int
	queue []func()
}

// maxQueued bounds the lines a gate holds; past it they are written at once (still
// redacted of every secret known by then), so a chatty plugin under constant load
// cannot grow memory without bound.
const maxQueued = 1000

func (g *gate) hold() {
	g.mu.Lock()
	g.holds++
	g.mu.Unlock()
}

func (g *gate) release() {
	g.mu.Lock()
	g.holds--
	var q []func()
	if g.holds == 0 {
		q, g.queue = g.queue, nil
	}
	g.mu.Unlock()
	for _, f := range q {
		f()
	}
}

// delay queues write if the gate is held and reports whether it did.
func (g *gate) delay(write func()) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.holds == 0 || len(g.queue) >= maxQueued {
		return false
	}
	g.queue = append(g.queue, write)
	return true
}

type redactingWriter struct {
	w  io.Writer
	rd *redactor
}

func (w *redactingWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(w.w, w.rd.String(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

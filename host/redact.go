package host

import (
	"fmt"
	"io"
	"log"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/hashicorp/go-hclog"
)

const redacted = "[REDACTED]"

// minSecret is the length below which a secret is not redacted: replacing "a"
// everywhere would make logs unreadable without protecting anything.
const minSecret = 8

// redactor removes known secrets from text: the secret keys and session tokens the
// host has handed out, and the values of sensitive config attributes and of env() and
// file() calls.
//
// Its cost is linear in the number of secrets it knows and, per string redacted, in
// the length of the string: a change touches only the secrets that change, and
// redacting looks up each 8-byte window of the text in a counting filter of the
// secrets' first 8 bytes; only where that hits (where a secret, or one sharing its
// first 8 bytes, starts) does it look up the text's prefixes of the lengths of the
// secrets that start so. (A strings.Replacer rebuilt from every secret at each change
// made loading 100,000 roles quadratic.) Session tokens share their first bytes, so
// the secrets are grouped by prefix and length, never listed per prefix.
type redactor struct {
	mu      sync.RWMutex
	byOwner map[string][]string // owner (role, or role+"/config") → its current secrets
	refs    map[string]int      // secret → how many owner entries hold it
	// byPrefix holds, per first 8 bytes, the lengths of the secrets that start so.
	byPrefix map[uint64]*lengths
	// filter counts the secrets per hash of their first 8 bytes, so that most
	// windows of the text need no map lookup.
	filter [1 << filterBits]uint32
}

// lengths counts secrets by length, and lists the lengths longest first.
type lengths struct {
	count  map[int]int
	sorted []int
}

const filterBits = 16

func newRedactor() *redactor {
	return &redactor{byOwner: map[string][]string{}, refs: map[string]int{}, byPrefix: map[uint64]*lengths{}}
}

// prefixKey is the index key of the 8 bytes at the start of s, which must have them.
func prefixKey(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

func filterSlot(key uint64) uint64 { return (key * 0x9E3779B97F4A7C15) >> (64 - filterBits) }

// ref and unref count one more or one less holder of s; rd.mu is held for writing.
func (rd *redactor) ref(s string) {
	rd.refs[s]++
	if rd.refs[s] > 1 {
		return
	}
	k := prefixKey(s)
	ls := rd.byPrefix[k]
	if ls == nil {
		ls = &lengths{count: map[int]int{}}
		rd.byPrefix[k] = ls
	}
	if ls.count[len(s)]++; ls.count[len(s)] == 1 {
		i, _ := slices.BinarySearchFunc(ls.sorted, len(s), func(a, b int) int { return b - a })
		ls.sorted = slices.Insert(ls.sorted, i, len(s))
	}
	rd.filter[filterSlot(k)]++
}

func (rd *redactor) unref(s string) {
	rd.refs[s]--
	if rd.refs[s] > 0 {
		return
	}
	delete(rd.refs, s)
	k := prefixKey(s)
	ls := rd.byPrefix[k]
	if ls.count[len(s)]--; ls.count[len(s)] == 0 {
		delete(ls.count, len(s))
		ls.sorted = slices.DeleteFunc(ls.sorted, func(n int) bool { return n == len(s) })
	}
	if len(ls.count) == 0 {
		delete(rd.byPrefix, k)
	}
	rd.filter[filterSlot(k)]--
}

// keepable returns the secrets long enough to redact.
func keepable(secrets []string) []string {
	var keep []string
	for _, s := range secrets {
		if len(s) >= minSecret {
			keep = append(keep, s)
		}
	}
	return keep
}

// set replaces owner's secrets. Secrets shorter than minSecret are not redacted.
func (rd *redactor) set(owner string, secrets ...string) {
	keep := keepable(secrets)
	rd.mu.Lock()
	defer rd.mu.Unlock()
	for _, s := range keep {
		rd.ref(s)
	}
	for _, s := range rd.byOwner[owner] {
		rd.unref(s)
	}
	if len(keep) == 0 {
		delete(rd.byOwner, owner)
	} else {
		rd.byOwner[owner] = keep
	}
}

// add appends secrets to owner's, keeping at most the newest keepLast.
func (rd *redactor) add(owner string, keepLast int, secrets ...string) {
	keep := keepable(secrets)
	rd.mu.Lock()
	defer rd.mu.Unlock()
	for _, s := range keep {
		rd.ref(s)
	}
	cur := append(rd.byOwner[owner], keep...)
	if drop := len(cur) - keepLast; drop > 0 {
		for _, s := range cur[:drop] {
			rd.unref(s)
		}
		cur = append([]string(nil), cur[drop:]...)
	}
	rd.byOwner[owner] = cur
}

// String returns s with every known secret in it replaced by [REDACTED].
func (rd *redactor) String(s string) string {
	if len(s) < minSecret {
		return s
	}
	rd.mu.RLock()
	defer rd.mu.RUnlock()
	if len(rd.refs) == 0 {
		return s
	}
	var b strings.Builder
	done := 0 // s[:done] is in b, or nothing is when b is empty
	for i := 0; i+minSecret <= len(s); {
		k := prefixKey(s[i:])
		if rd.filter[filterSlot(k)] == 0 {
			i++
			continue
		}
		n := 0
		if ls := rd.byPrefix[k]; ls != nil {
			for _, l := range ls.sorted { // longest first: a secret that extends another is replaced whole
				if i+l <= len(s) && rd.refs[s[i:i+l]] > 0 {
					n = l
					break
				}
			}
		}
		if n == 0 {
			i++
			continue
		}
		b.WriteString(s[done:i])
		b.WriteString(redacted)
		i += n
		done = i
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

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
// are known. Lines past what the gate holds are dropped and counted, never written
// before the call returns.
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
	if l.gate != nil && l.gate.delay(write, lineSize(msg, args)) {
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
//
// It holds at most maxQueued lines of at most maxQueuedBytes in all; past that it drops
// lines rather than write them: a line that arrives while a call is in flight may hold
// a secret of that call's response, not yet known to the redactor. When the last call
// returns it writes the held lines, redacted, then one line saying how many it dropped.
type gate struct {
	mu      sync.Mutex
	holds   int
	queue   []func()
	bytes   int
	dropped int
	// onDrop writes the notice of n dropped lines; nil drops them silently.
	onDrop func(n int)
}

// maxQueued and maxQueuedBytes bound what a gate holds, so that a chatty plugin under
// constant load cannot grow memory without bound.
const (
	maxQueued      = 1000
	maxQueuedBytes = 1 << 20
)

func (g *gate) hold() {
	g.mu.Lock()
	g.holds++
	g.mu.Unlock()
}

func (g *gate) release() {
	g.mu.Lock()
	g.holds--
	var q []func()
	dropped := 0
	if g.holds == 0 {
		q, g.queue, g.bytes = g.queue, nil, 0
		dropped, g.dropped = g.dropped, 0
	}
	onDrop := g.onDrop
	g.mu.Unlock()
	for _, f := range q {
		f()
	}
	if dropped > 0 && onDrop != nil {
		onDrop(dropped)
	}
}

// delay queues write, a line of about size bytes, if the gate is held, or drops it if
// the gate is full; it reports whether it did either. The line is written at once only
// when no call is in flight.
func (g *gate) delay(write func(), size int) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.holds == 0 {
		return false
	}
	if len(g.queue) >= maxQueued || g.bytes+size > maxQueuedBytes {
		g.dropped++
		return true
	}
	g.queue = append(g.queue, write)
	g.bytes += size
	return true
}

// lineSize estimates the bytes that a log line of msg and args holds.
func lineSize(msg string, args []any) int {
	n := len(msg)
	for _, a := range args {
		switch v := a.(type) {
		case string:
			n += len(v)
		case error:
			n += len(v.Error())
		default:
			n += 16
		}
	}
	return n
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

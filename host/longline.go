package host

import (
	"sync"

	"github.com/hashicorp/go-hclog"
)

// pluginLogBufferSize is the longest line of a plugin's log stream that go-plugin
// hands over whole; it splits a longer one into pieces of this size and a rest.
const pluginLogBufferSize = 64 << 10

// longLineFilter is the logger go-plugin writes a plugin's log stream to. go-plugin
// logs each piece of an over-long line as a message of its own, and a piece can end
// inside a secret whose other half starts the next piece: redaction, which sees one
// message at a time, would match neither. So the pieces of a long line are dropped,
// and one note says how long the line was. Everything else passes through.
type longLineFilter struct {
	hclog.Logger

	mu      sync.Mutex
	inLine  bool // the last message was a piece of a line that goes on
	dropped int  // bytes of the current long line dropped so far
}

func newLongLineFilter(l hclog.Logger) *longLineFilter { return &longLineFilter{Logger: l} }

// Debug is where go-plugin logs the pieces of a long line.
func (f *longLineFilter) Debug(msg string, args ...any) {
	f.mu.Lock()
	switch {
	case len(msg) == pluginLogBufferSize && len(args) == 0: // a piece, and the line goes on
		f.inLine = true
		f.dropped += len(msg)
		f.mu.Unlock()
		return
	case f.inLine && len(args) == 0: // the line's last piece
		n := f.dropped + len(msg)
		f.inLine, f.dropped = false, 0
		f.mu.Unlock()
		f.Logger.Warn("plugin log line dropped: longer than brs logs in one piece", "bytes", n, "limit", pluginLogBufferSize)
		return
	}
	f.mu.Unlock()
	f.Logger.Debug(msg, args...)
}

// Named returns a filter of its own: go-plugin names the logger it reads the log
// stream with after the plugin binary.
func (f *longLineFilter) Named(name string) hclog.Logger {
	return newLongLineFilter(f.Logger.Named(name))
}

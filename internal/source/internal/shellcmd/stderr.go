package shellcmd

import (
	"bytes"
	"fmt"
	"io"
	"sync"
)

// The bounds on a command's standard error. It reaches the host's log, which redacts
// the secrets it knows from each line; a line it receives in pieces could carry a
// secret cut in two that neither piece shows whole. So a line is passed on whole or
// not at all, and the host, which splits lines longer than 64 KiB, never gets one.
const (
	// MaxStderrLine is the longest line of standard error passed on; a longer one is
	// replaced by a note of its length.
	MaxStderrLine = 16 << 10
	// MaxStderr is how much standard error one run passes on; past it the rest is
	// dropped, with a note.
	MaxStderr = 256 << 10
)

// stderrWriter passes a command's standard error on to w line by line, within the
// bounds above. With hold set, it keeps what it would pass on until finish, which
// runs it through redact first.
type stderrWriter struct {
	mu       sync.Mutex
	w        io.Writer
	hold     bool
	held     bytes.Buffer
	line     []byte // the current line, without its newline
	long     int    // bytes of the current line when it is over MaxStderrLine, else 0
	passed   int    // bytes passed on (or held) so far
	full     bool   // MaxStderr was reached
	finished bool
}

func (s *stderrWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		chunk := p
		if i >= 0 {
			chunk = p[:i]
		}
		switch {
		case s.long > 0:
			s.long += len(chunk)
		case len(s.line)+len(chunk) > MaxStderrLine:
			s.long = len(s.line) + len(chunk)
			s.line = s.line[:0]
		default:
			s.line = append(s.line, chunk...)
		}
		if i < 0 {
			break
		}
		s.endLine()
		p = p[i+1:]
	}
	return n, nil
}

// endLine passes on the current line, or the note that replaces it.
func (s *stderrWriter) endLine() {
	if s.long > 0 {
		s.emit([]byte(fmt.Sprintf("[brs: a line of %d bytes of standard error was dropped: longer than %d KiB]\n", s.long, MaxStderrLine>>10)))
	} else {
		s.emit(append(s.line, '\n'))
	}
	s.line, s.long = s.line[:0], 0
}

func (s *stderrWriter) emit(line []byte) {
	if s.full || s.finished {
		return
	}
	if s.passed+len(line) > MaxStderr {
		s.full = true
		line = []byte(fmt.Sprintf("[brs: the rest of standard error was dropped: more than %d KiB]\n", MaxStderr>>10))
	}
	s.passed += len(line)
	if s.hold {
		s.held.Write(line)
		return
	}
	_, _ = s.w.Write(line)
}

// finish passes on a last line without a newline and, when holding, what was held,
// through redact. Later writes are dropped.
func (s *stderrWriter) finish(redact func([]byte) []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.line) > 0 || s.long > 0 {
		s.endLine()
	}
	s.finished = true
	if s.hold && s.held.Len() > 0 {
		_, _ = s.w.Write(redact(s.held.Bytes()))
	}
}

package safetext

import (
	"bytes"
	"fmt"
	"io"
	"sync"
	"unicode/utf8"
)

// Writer is the funnel for everything a program prints for people: it writes what it
// is given to its underlying writer with every character that Escape escapes written
// escaped, except newline and tab (so lines and tables keep their shape) and the exact
// sequences it was told to keep (the colour codes of diagnostics the program itself
// writes). Text from a plugin, a file or another process can then neither act on the
// terminal nor, line by line, forge anything but its own line's content.
type Writer struct {
	w    io.Writer
	keep [][]byte

	mu sync.Mutex
	// carry is the start of a character that the last write ended in, held for the
	// next write to complete (at most utf8.UTFMax-1 bytes).
	carry []byte
}

// NewWriter returns a Writer that writes to w and keeps the sequences in keep as they
// are (an empty keep escapes every ESC).
func NewWriter(w io.Writer, keep ...string) *Writer {
	sw := &Writer{w: w}
	for _, k := range keep {
		sw.keep = append(sw.keep, []byte(k))
	}
	return sw
}

// Underlying returns the writer that w writes to, for output that is not text brs
// prints (the standard streams of a command brs runs).
func (w *Writer) Underlying() io.Writer { return w.w }

// Write writes p escaped. It reports len(p) on success, as io.Writer requires, though
// more bytes may have reached the underlying writer. A character split between two
// writes is held back until the second completes it. Writes may come from several
// goroutines.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := len(p)
	if len(w.carry) > 0 {
		p = append(w.carry, p...)
		w.carry = nil
	}
	if !needsEscapeWriter(p) {
		if k := incompleteTail(p); k > 0 {
			w.carry = append([]byte(nil), p[len(p)-k:]...)
			p = p[:len(p)-k]
		}
		return w.write(p, n)
	}
	var b bytes.Buffer
	b.Grow(len(p) + 16)
outer:
	for i := 0; i < len(p); {
		c := p[i]
		if c == 0x1b {
			for _, k := range w.keep {
				if bytes.HasPrefix(p[i:], k) {
					b.Write(k)
					i += len(k)
					continue outer
				}
			}
		}
		if c < utf8.RuneSelf {
			switch {
			case c == '\n' || c == '\t':
				b.WriteByte(c)
			case c < 0x20 || c == 0x7f:
				b.WriteString(Escape(string(c)))
			default:
				b.WriteByte(c)
			}
			i++
			continue
		}
		if !utf8.FullRune(p[i:]) {
			w.carry = append([]byte(nil), p[i:]...) // the next write may complete it
			break
		}
		r, size := utf8.DecodeRune(p[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, c)
		case unsafe(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.Write(p[i : i+size])
		}
		i += size
	}
	return w.write(b.Bytes(), n)
}

// incompleteTail returns how many bytes at the end of p start a character that p does
// not complete.
func incompleteTail(p []byte) int {
	for k := 1; k < utf8.UTFMax && k <= len(p); k++ {
		if c := p[len(p)-k]; utf8.RuneStart(c) {
			if c >= utf8.RuneSelf && !utf8.FullRune(p[len(p)-k:]) {
				return k
			}
			return 0
		}
	}
	return 0
}

func (w *Writer) write(b []byte, n int) (int, error) {
	if len(b) == 0 {
		return n, nil
	}
	if _, err := w.w.Write(b); err != nil {
		return 0, err
	}
	return n, nil
}

// needsEscapeWriter reports whether Write would change p.
func needsEscapeWriter(p []byte) bool {
	for i := 0; i < len(p); {
		c := p[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f {
				return true
			}
			i++
			continue
		}
		if !utf8.FullRune(p[i:]) {
			return false
		}
		r, size := utf8.DecodeRune(p[i:])
		if (r == utf8.RuneError && size <= 1) || unsafe(r) {
			return true
		}
		i += size
	}
	return false
}

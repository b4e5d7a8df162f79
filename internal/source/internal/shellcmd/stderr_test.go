package shellcmd

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// writes records each Write call separately.
type writes struct {
	mu    sync.Mutex
	calls []string
}

func (w *writes) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.calls = append(w.calls, string(p))
	return len(p), nil
}

func (w *writes) all() string { return strings.Join(w.calls, "") }

// TestStderrWholeLines: a line the command writes in pieces is passed on in one write,
// so the host's log sees it whole, and a last line without a newline gets one.
func TestStderrWholeLines(t *testing.T) {
	w := &writes{}
	if _, err := run(t, Command{Line: "printf 'par' >&2; printf 'ts\\nlast' >&2", Stderr: w}); err != nil {
		t.Fatal(err)
	}
	if len(w.calls) != 2 || w.calls[0] != "parts\n" || w.calls[1] != "last\n" {
		t.Errorf("writes %q, want \"parts\\n\" then \"last\\n\"", w.calls)
	}
}

// TestStderrLongLineDropped: a line longer than MaxStderrLine never leaves, not even
// in part (the host would log it in 64 KiB pieces, and a secret cut at a piece's end
// would not be redacted); a note of its length does, and the next line is kept.
func TestStderrLongLineDropped(t *testing.T) {
	w := &writes{}
	const secret = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY"
	line := "printf 'short\\n' >&2; for i in $(seq 3000); do printf '%s' " + secret + "; done >&2; printf '\\nafter\\n' >&2"
	if _, err := run(t, Command{Line: line, Stderr: w}); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("short\n[brs: a line of %d bytes of standard error was dropped: longer than 16 KiB]\nafter\n", 3000*len(secret))
	if got := w.all(); got != want {
		t.Errorf("stderr %.200q, want %q", got, want)
	}
	for _, c := range w.calls {
		if strings.Contains(c, secret[:8]) {
			t.Errorf("a piece of the long line was passed on: %.80q", c)
		}
	}
}

// TestStderrTotalCap: past MaxStderr the rest is dropped, with one note.
func TestStderrTotalCap(t *testing.T) {
	w := &writes{}
	if _, err := run(t, Command{Line: "i=0; while [ $i -lt 40000 ]; do echo line-of-stderr-output; i=$((i+1)); done >&2", Stderr: w}); err != nil {
		t.Fatal(err)
	}
	got := w.all()
	note := "[brs: the rest of standard error was dropped: more than 256 KiB]\n"
	if len(got) > MaxStderr+len(note) || len(got) < MaxStderr-100 || !strings.HasSuffix(got, note) || strings.Count(got, note) != 1 {
		t.Errorf("%d bytes passed on, ending %q", len(got), got[max(0, len(got)-80):])
	}
}

// TestStderrRedact: with Redact set, standard error is held until the command ends
// and passed on once, as Redact rewrote it with the command's standard output.
func TestStderrRedact(t *testing.T) {
	w := &writes{}
	var gotStdout []byte
	out, err := run(t, Command{
		Line:   "echo 'fetched tok-123456789' >&2; echo tok-123456789; echo done >&2",
		Stderr: w,
		Redact: func(stderr, stdout []byte) []byte {
			gotStdout = append([]byte(nil), stdout...)
			return bytes.ReplaceAll(stderr, bytes.TrimSpace(stdout), []byte("[REDACTED]"))
		},
	})
	if err != nil || string(out) != "tok-123456789\n" || string(gotStdout) != "tok-123456789\n" {
		t.Fatalf("out %q, Redact saw %q, %v", out, gotStdout, err)
	}
	if len(w.calls) != 1 || w.calls[0] != "fetched [REDACTED]\ndone\n" {
		t.Errorf("writes %q", w.calls)
	}
}

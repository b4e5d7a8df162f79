package config

import (
	"bytes"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
)

// minSensitive is the length below which a value of env() or file() is not redacted:
// replacing every "a" in a message would make it unreadable without protecting
// anything. The host's log redactor uses the same bound.
const minSensitive = 8

// redactedText replaces a sensitive value in a diagnostic.
const redactedText = "[REDACTED]"

// seen collects the values that env() and file() return while a file is read, so
// that no diagnostic quotes them and the host can keep them out of its logs. Every
// value in a brs file is a literal, a template or a call of env or file, so a value
// built from a secret holds the secret verbatim.
type seen struct {
	mu   sync.Mutex
	vals []string
	set  map[string]bool
}

func (s *seen) record(v string) {
	if s == nil || len(v) < minSensitive {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.set == nil {
		s.set = map[string]bool{}
	}
	for _, f := range sensitiveForms(v) {
		if !s.set[f] {
			s.set[f] = true
			s.vals = append(s.vals, f)
		}
	}
}

// forms returns every recorded value in every form that a message may quote it in.
func (s *seen) forms() []string {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.vals...)
}

// redact replaces the recorded values in the summaries and details of diags.
func (s *seen) redact(diags hcl.Diagnostics) hcl.Diagnostics {
	forms := s.forms()
	if len(forms) == 0 {
		return diags
	}
	sort.SliceStable(forms, func(i, j int) bool { return len(forms[i]) > len(forms[j]) })
	pairs := make([]string, 0, 2*len(forms))
	for _, f := range forms {
		pairs = append(pairs, f, redactedText)
	}
	r := strings.NewReplacer(pairs...)
	for _, d := range diags {
		d.Summary = r.Replace(d.Summary)
		d.Detail = r.Replace(d.Detail)
	}
	return diags
}

// sensitiveForms returns v as a message may quote it: whole, trimmed of surrounding
// white space, line by line, and escaped as by %q or JSON; each at least
// minSensitive bytes long.
func sensitiveForms(v string) []string {
	var out []string
	add := func(s string) {
		if len(s) >= minSensitive {
			out = append(out, s)
		}
	}
	quoted := func(s string) {
		q := strconv.Quote(s)
		add(q[1 : len(q)-1])
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if enc.Encode(s) == nil {
			j := strings.TrimSuffix(b.String(), "\n")
			add(j[1 : len(j)-1])
		}
		if j, err := json.Marshal(s); err == nil {
			add(string(j[1 : len(j)-1]))
		}
	}
	add(v)
	quoted(v)
	if t := strings.TrimSpace(v); t != v {
		add(t)
		quoted(t)
	}
	if strings.ContainsAny(v, "\n\r\x00") {
		for _, line := range strings.FieldsFunc(v, func(r rune) bool { return r == '\n' || r == '\r' || r == 0 }) {
			add(strings.TrimSpace(line))
		}
	}
	return out
}

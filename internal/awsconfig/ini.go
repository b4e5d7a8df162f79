package awsconfig

import (
	"fmt"
	"strings"
)

// section is one [header] of an INI file, with every occurrence of it merged: a key
// set again later wins, as in the AWS SDKs.
type section struct {
	// kind is the first word of a two-word header ("profile", "sso-session",
	// "services"), empty for a one-word header such as [default].
	kind string
	// name is the rest of the header.
	name string
	// lines are the line numbers (1-based) of each occurrence of the header.
	lines []int
	// keys holds the values by lower-case key; order is the keys in the order they
	// first appear.
	keys  map[string]*value
	order []string
	// dupKeys are the keys set more than once, as "KEY (line N)" of the later setting.
	dupKeys []string
	// quirks are what botocore (the AWS CLI, boto3) reads differently from the AWS SDK
	// for Go, as "WHAT (line N), WHAT BOTOCORE DOES": an inline comment or quotes it
	// keeps in a value, a header it does not take for one (checked against botocore
	// 1.43 by TestQuirksAgainstBotocore).
	quirks []string
}

// value is one key's value: a string, or a nested sub-section (`s3 =` followed by
// indented `key = value` lines).
type value struct {
	str  string
	sub  map[string]string
	line int
}

// header is the section's header as written in the file, without brackets.
func (s *section) header() string {
	if s.kind == "" {
		return s.name
	}
	return s.kind + " " + s.name
}

// get returns the string value of key, "" when unset.
func (s *section) get(key string) string {
	if v := s.keys[key]; v != nil {
		return v.str
	}
	return ""
}

// has reports whether key is set, even to "".
func (s *section) has(key string) bool { return s.keys[key] != nil }

// parsed sets key as read from the file, noting a key set twice.
func (s *section) parsed(key string, v *value) {
	if s.keys[key] != nil {
		s.dupKeys = append(s.dupKeys, fmt.Sprintf("%s (line %d)", key, v.line))
	}
	s.set(key, v)
}

// set sets key, keeping its first position in the order.
func (s *section) set(key string, v *value) {
	if _, ok := s.keys[key]; !ok {
		s.order = append(s.order, key)
	}
	s.keys[key] = v
}

// iniFile is a parsed AWS shared config or credentials file: its sections in the order
// they first appear.
type iniFile struct {
	sections []*section
	byHeader map[string]*section
}

// parseINI parses the INI dialect of the AWS shared files the way aws-sdk-go-v2 does
// (config/internal/ini): comments are lines starting with # or ; and, after a value,
// " #", " ;", "\t#" or "\t;"; keys are case-insensitive and split from their value at
// the first "=" (or ":" if it comes first); values lose surrounding quotes; an
// indented "key = value" line after a key with an empty value belongs to that key's
// sub-section, and any other indented line continues the previous value. Duplicate
// sections are merged, later keys winning. Keys before the first section are ignored.
func parseINI(text string) *iniFile {
	f := &iniFile{byHeader: map[string]*section{}}
	var cur *section
	var curKey string
	for i, line := range strings.Split(text, "\n") {
		n := i + 1
		line = strings.TrimSuffix(line, "\r")
		trimmed := strings.TrimLeft(line, " \t")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(trimmed, "#") || strings.HasPrefix(trimmed, ";") {
			continue
		}
		if h, ok := asHeader(line); ok {
			kind, name := splitHeader(h)
			key := h
			if kind != "" {
				key = kind + " " + name
			}
			cur = f.byHeader[key]
			if cur == nil {
				cur = &section{kind: kind, name: name, keys: map[string]*value{}}
				f.byHeader[key] = cur
				f.sections = append(f.sections, cur)
			}
			cur.lines = append(cur.lines, n)
			// Checked against botocore 1.43: it finds "[profile  dev ]" and
			// "[profile\tdev]" as profile dev, but no profile in "[ profile dev]" or
			// "[profile my dev]", and takes an indented header for more of the value
			// above it.
			raw := strings.TrimSpace(trimValueComment(line))
			switch {
			case line[0] == ' ' || line[0] == '\t':
				cur.quirks = append(cur.quirks, fmt.Sprintf("the indented header %s (line %d), which botocore reads as more of the value above it, finding no profile", raw, n))
			case strings.HasPrefix(raw, "[ ") || strings.HasPrefix(raw, "[\t"):
				cur.quirks = append(cur.quirks, fmt.Sprintf("the space after [ in the header %s (line %d), where botocore finds no profile", raw, n))
			case kind != "" && strings.ContainsAny(name, " \t"):
				cur.quirks = append(cur.quirks, fmt.Sprintf("the space in the name of the header %s (line %d), where botocore finds no profile", raw, n))
			}
			curKey = ""
			continue
		}
		indented := line[0] == ' ' || line[0] == '\t'
		if !indented {
			k, v, ok := splitProperty(strings.TrimRight(trimValueComment(line), " \t"))
			if !ok || cur == nil {
				continue
			}
			curKey = strings.ToLower(k)
			if trimValueComment(line) != line {
				cur.quirks = append(cur.quirks, fmt.Sprintf("the comment after %s (line %d), which botocore keeps in the value", curKey, n))
			}
			if unquote(v) != v {
				cur.quirks = append(cur.quirks, fmt.Sprintf("the quotes around %s (line %d), which botocore keeps in the value", curKey, n))
			}
			cur.parsed(curKey, &value{str: unquote(v), line: n})
			continue
		}
		if cur == nil {
			continue
		}
		if k, v, ok := splitProperty(trimmed); ok {
			k = strings.ToLower(k)
			prev := cur.keys[curKey]
			if curKey == "" || prev == nil || prev.str != "" {
				// An orphaned sub-property is taken as a property, as the SDK does.
				curKey = k
				cur.parsed(k, &value{str: unquote(strings.TrimSpace(trimValueComment(v))), line: n})
				continue
			}
			if prev.sub == nil {
				prev.sub = map[string]string{}
			}
			prev.sub[k] = unquote(v)
			continue
		}
		// A continuation line.
		if prev := cur.keys[curKey]; curKey != "" && prev != nil && prev.str != "" && prev.sub == nil {
			prev.str += "\n" + trimmed
		}
	}
	return f
}

// asHeader returns the inside of a [header] line, trimmed.
func asHeader(line string) (string, bool) {
	s, _, _ := strings.Cut(line, "#")
	s, _, _ = strings.Cut(s, ";")
	s = strings.TrimSpace(s)
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' {
		return "", false
	}
	return strings.TrimSpace(s[1 : len(s)-1]), true
}

// splitHeader splits "profile  dev" into its kind and name; a header without a space
// is a name alone.
func splitHeader(h string) (kind, name string) {
	i := strings.IndexAny(h, " \t")
	if i < 0 {
		return "", h
	}
	return h[:i], strings.TrimLeft(h[i:], " \t")
}

// trimValueComment removes a comment that follows a value.
func trimValueComment(s string) string {
	for _, c := range []string{" #", " ;", "\t#", "\t;"} {
		s, _, _ = strings.Cut(s, c)
	}
	return s
}

// splitProperty splits "key = value" at the first "=", or at the first ":" when it
// comes before any "=".
func splitProperty(s string) (string, string, bool) {
	sep := "="
	eq, colon := strings.Index(s, "="), strings.Index(s, ":")
	if eq < 0 || colon >= 0 && colon < eq {
		sep = ":"
	}
	k, v, ok := strings.Cut(s, sep)
	if !ok {
		return "", "", false
	}
	return strings.TrimSpace(k), strings.TrimSpace(v), true
}

// unquote removes one pair of surrounding single or double quotes.
func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'') {
		return s[1 : len(s)-1]
	}
	return s
}

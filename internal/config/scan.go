package config

import (
	"bytes"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// scanner yields the tokens of an HCL file one at a time, as hclsyntax.LexConfig
// would, without building them: it is a hand-written copy of HCL's scanner
// (hclsyntax/scan_tokens.rl in HCL v2.25.0) that allocates nothing per token, so that
// checkLimits can refuse a file before HCL's lexer holds ~100 bytes per token of it
// (an 8 MiB list of numbers was 8 million tokens: ~3 GB and 19 s to lex). Only the
// token types and byte offsets are produced; TestScannerMatchesHCL and
// FuzzScannerMatchesHCL compare them with HCL's.
type scanner struct {
	src []byte
	p   int
	// modes is the stack of the scanner's machines: the file starts in modeMain,
	// a quote or heredoc pushes its template, an interpolation or directive pushes
	// modeMain until its closing brace.
	modes []scanMode
	// braces counts the open braces; retBraces holds the count at which each open
	// interpolation or directive ends.
	braces    int
	retBraces []int
	heredocs  []heredocState
	// stopped is set once the scanner met a byte it cannot match: HCL then emits
	// the rest of the file as one invalid token.
	stopped bool
	done    bool
}

type scanMode uint8

const (
	modeMain scanMode = iota
	modeString
	modeHeredoc
)

type heredocState struct {
	marker      []byte
	startOfLine bool
}

func newScanner(src []byte) *scanner {
	s := &scanner{src: src, modes: []scanMode{modeMain}}
	if bytes.HasPrefix(src, []byte("\xef\xbb\xbf")) {
		s.p = 3 // HCL skips a UTF-8 byte order mark
	}
	return s
}

// next returns the next token's type and byte range; ok is false after the last
// token (HCL's TokenEOF, which next returns too).
func (s *scanner) next() (typ hclsyntax.TokenType, start, end int, ok bool) {
	for {
		if s.done {
			return 0, len(s.src), len(s.src), false
		}
		if s.stopped && s.p < len(s.src) {
			start := s.p
			s.p = len(s.src)
			return hclsyntax.TokenInvalid, start, len(s.src), true
		}
		if s.p >= len(s.src) {
			s.done = true
			return hclsyntax.TokenEOF, len(s.src), len(s.src), true
		}
		start = s.p
		switch s.modes[len(s.modes)-1] {
		case modeString:
			typ = s.stringToken()
		case modeHeredoc:
			typ = s.heredocToken()
		default:
			typ = s.mainToken()
		}
		if typ == tokenSkip {
			continue
		}
		if s.stopped {
			// The token could not be matched: the rest of the file is invalid.
			s.p = start
			continue
		}
		return typ, start, s.p, true
	}
}

// tokenSkip is what mainToken returns for white space, which is no token.
const tokenSkip hclsyntax.TokenType = -1

func (s *scanner) push(m scanMode) { s.modes = append(s.modes, m) }

func (s *scanner) pop() {
	if len(s.modes) > 1 {
		s.modes = s.modes[:len(s.modes)-1]
	}
}

// at reports whether the source continues with lit at the scanner's position.
func (s *scanner) at(lit string) bool {
	return bytes.HasPrefix(s.src[s.p:], []byte(lit))
}

// templateSeq scans "${" or "%{", with an optional "~", and enters an expression.
func (s *scanner) templateSeq(typ hclsyntax.TokenType) hclsyntax.TokenType {
	s.p += 2
	if s.p < len(s.src) && s.src[s.p] == '~' {
		s.p++
	}
	s.braces++
	s.retBraces = append(s.retBraces, s.braces)
	if n := len(s.heredocs); n > 0 {
		s.heredocs[n-1].startOfLine = false
	}
	s.push(modeMain)
	return typ
}

// escapedSeq scans "$" or "%" followed by one more character that is not "{", or by
// a whole "${"/"%{" sequence ($${ and %%{ are escapes): HCL's TemplateNotInterp and
// TemplateNotControl. The character after a lone "$" is not part of the token. It
// returns false when there is no character after the "$" (the scanner cannot match
// then).
func (s *scanner) escapedSeq() bool {
	c := s.src[s.p]
	rest := s.src[s.p+1:]
	switch {
	case len(rest) == 0:
		return false
	case len(rest) >= 2 && rest[0] == c && rest[1] == '{':
		s.p += 3
		if s.p < len(s.src) && s.src[s.p] == '~' {
			s.p++
		}
	default:
		// "$" and one character that is not "{": the ragel machine holds that
		// character back, so the token is the "$" alone.
		s.p++
	}
	return true
}

// heredocEscape scans a "$" or "%" in a heredoc that does not start an
// interpolation or directive: "$${" and "%%{" are escapes; otherwise HCL's scanner
// takes the next byte with it only when a line break follows that byte. It reports
// whether it scanned an escape.
func (s *scanner) heredocEscape() bool {
	c, rest := s.src[s.p], s.src[s.p+1:]
	switch {
	case len(rest) >= 2 && rest[0] == c && rest[1] == '{':
		s.p += 3
		if s.p < len(s.src) && s.src[s.p] == '~' {
			s.p++
		}
		return true
	case len(rest) >= 2 && (rest[1] == '\n' || rest[1] == '\r'):
		s.p += 2
	default:
		s.p++
	}
	return false
}

// stopQuoted and stopHeredoc are the bytes that end a literal in a quoted string and
// in a heredoc.
var stopQuoted, stopHeredoc = byteSet("\n\r$%\""), byteSet("\n\r$%")

func byteSet(chars string) (set [256]bool) {
	for i := range len(chars) {
		set[chars[i]] = true
	}
	return set
}

// literalRun scans characters that are neither a newline nor in stop, nor broken
// UTF-8, with backslash escapes when escapes is set; it returns how many bytes it
// consumed.
func (s *scanner) literalRun(stop *[256]bool, escapes bool) int {
	begin := s.p
	for s.p < len(s.src) {
		c := s.src[s.p]
		if stop[c] {
			break
		}
		if c < utf8.RuneSelf && c != '\\' {
			s.p++
			continue
		}
		if escapes && c == '\\' {
			// A backslash and the character it escapes (not a newline).
			if s.p+1 >= len(s.src) {
				break
			}
			n := s.p + 1
			if d := s.src[n]; d == '\n' || d == '\r' {
				break
			}
			size := validCharSize(s.src[n:])
			if size == 0 {
				break
			}
			s.p = n + size
			continue
		}
		size := validCharSize(s.src[s.p:])
		if size == 0 {
			break
		}
		s.p += size
	}
	return s.p - begin
}

// validCharSize returns the length of the UTF-8 sequence at the start of b as HCL's
// scanner reads one (any lead byte with the right number of continuation bytes), or 0
// when b starts with broken UTF-8.
func validCharSize(b []byte) int {
	c := b[0]
	var n int
	switch {
	case c < 0x80:
		return 1
	case c >= 0xC0 && c <= 0xDF:
		n = 2
	case c >= 0xE0 && c <= 0xEF:
		n = 3
	case c >= 0xF0 && c <= 0xF7:
		n = 4
	default:
		return 0
	}
	if len(b) < n {
		return 0
	}
	for _, cc := range b[1:n] {
		if cc < 0x80 || cc > 0xBF {
			return 0
		}
	}
	return n
}

func (s *scanner) stringToken() hclsyntax.TokenType {
	switch c := s.src[s.p]; {
	case s.at("${"):
		return s.templateSeq(hclsyntax.TokenTemplateInterp)
	case s.at("%{"):
		return s.templateSeq(hclsyntax.TokenTemplateControl)
	case c == '"':
		s.p++
		s.pop()
		return hclsyntax.TokenCQuote
	case c == '$' || c == '%':
		if !s.escapedSeq() {
			s.p++ // at the end of the file
			return hclsyntax.TokenInvalid
		}
		return hclsyntax.TokenQuotedLit
	case c == '\n' || c == '\r':
		for s.p < len(s.src) && (s.src[s.p] == '\n' || s.src[s.p] == '\r') {
			s.p++
		}
		return hclsyntax.TokenQuotedNewline
	}
	if s.literalRun(&stopQuoted, true) > 0 {
		return hclsyntax.TokenQuotedLit
	}
	if size := validCharSize(s.src[s.p:]); size > 0 {
		s.p += size // a backslash before a newline or at the end
		return hclsyntax.TokenInvalid
	}
	s.p++
	return hclsyntax.TokenBadUTF8
}

func (s *scanner) heredocToken() hclsyntax.TokenType {
	doc := &s.heredocs[len(s.heredocs)-1]
	switch {
	case s.at("${"):
		return s.templateSeq(hclsyntax.TokenTemplateInterp)
	case s.at("%{"):
		return s.templateSeq(hclsyntax.TokenTemplateControl)
	}
	begin := s.p
	if c := s.src[s.p]; (c == '$' || c == '%') && s.p+1 == len(s.src) {
		s.p++
		return hclsyntax.TokenInvalid
	} else if c == '$' || c == '%' {
		// "$" or "%" and what follows it; only the escapes $${ and %%{ take the
		// end of the line with them.
		if !s.heredocEscape() {
			doc.startOfLine = false
			return hclsyntax.TokenStringLit
		}
	} else {
		s.literalRun(&stopHeredoc, false)
	}
	// The literal, and the end of its line if it follows.
	switch {
	case s.at("\n"):
		s.p++
	case s.at("\r\n"):
		s.p += 2
	default:
		if s.p == begin {
			if s.p < len(s.src) && s.src[s.p] != '\r' {
				s.p++
				return hclsyntax.TokenBadUTF8
			}
			s.stopped = true // a lone carriage return: HCL's scanner stops
			return hclsyntax.TokenStringLit
		}
		doc.startOfLine = false
		return hclsyntax.TokenStringLit
	}
	if doc.startOfLine && bytes.Equal(bytes.TrimSpace(s.src[begin:s.p]), doc.marker) {
		// The closing marker; its newline is the next token, in the mode below.
		if s.src[s.p-2] == '\r' {
			s.p -= 2
		} else {
			s.p--
		}
		s.heredocs = s.heredocs[:len(s.heredocs)-1]
		s.pop()
		return hclsyntax.TokenCHeredoc
	}
	doc.startOfLine = true
	return hclsyntax.TokenStringLit
}

// twoChar are the operators of two or three characters, by their text.
var twoChar = map[string]hclsyntax.TokenType{
	"==": hclsyntax.TokenEqualOp, "!=": hclsyntax.TokenNotEqual, ">=": hclsyntax.TokenGreaterThanEq,
	"<=": hclsyntax.TokenLessThanEq, "&&": hclsyntax.TokenAnd, "||": hclsyntax.TokenOr,
	"::": hclsyntax.TokenDoubleColon, "=>": hclsyntax.TokenFatArrow,
}

// selfTokens are the characters that are a token of their own, whose type is the
// character.
const selfTokens = "[]().,*/%+-=<>!?:\n&|~^;`'"

func (s *scanner) mainToken() hclsyntax.TokenType {
	src := s.src
	c := src[s.p]
	switch {
	case c == ' ' || c == '\t':
		for s.p < len(src) && (src[s.p] == ' ' || src[s.p] == '\t') {
			s.p++
		}
		return tokenSkip
	case c >= '0' && c <= '9':
		s.number()
		return hclsyntax.TokenNumberLit
	case c == '#' || s.at("//"):
		for s.p < len(src) && src[s.p] != '\n' {
			s.p++
		}
		if s.p < len(src) {
			s.p++
		}
		return hclsyntax.TokenComment
	case s.at("/*"):
		if i := bytes.Index(src[s.p+2:], []byte("*/")); i >= 0 {
			s.p += 2 + i + 2
			return hclsyntax.TokenComment
		}
		s.p++
		return hclsyntax.TokenSlash
	case c == '\n':
		s.p++
		return hclsyntax.TokenNewline
	case s.at("\r\n"):
		s.p += 2
		return hclsyntax.TokenNewline
	case s.at("..."):
		s.p += 3
		return hclsyntax.TokenEllipsis
	case s.at("~}"):
		s.p += 2
		s.closeBrace()
		return hclsyntax.TokenTemplateSeqEnd
	case c == '{':
		s.p++
		s.braces++
		return hclsyntax.TokenOBrace
	case c == '}':
		s.p++
		if s.closeBrace() {
			return hclsyntax.TokenTemplateSeqEnd
		}
		return hclsyntax.TokenCBrace
	case c == '"':
		s.p++
		s.push(modeString)
		return hclsyntax.TokenOQuote
	case c == '<' && s.heredocStart():
		return hclsyntax.TokenOHeredoc
	}
	if s.p+1 < len(src) {
		if typ, ok := twoChar[string(src[s.p:s.p+2])]; ok {
			s.p += 2
			return typ
		}
	}
	if c < utf8.RuneSelf && bytes.IndexByte([]byte(selfTokens), c) >= 0 {
		s.p++
		return hclsyntax.TokenType(c)
	}
	size := validCharSize(src[s.p:])
	if size == 0 {
		s.p++
		return hclsyntax.TokenBadUTF8
	}
	if r, _ := utf8.DecodeRune(src[s.p:]); r == '_' || idStart(r) {
		s.p += size
		for s.p < len(src) {
			r, n := utf8.DecodeRune(src[s.p:])
			if validCharSize(src[s.p:]) == 0 || !(r == '-' || idContinue(r)) {
				break
			}
			s.p += n
		}
		return hclsyntax.TokenIdent
	}
	s.p += size
	return hclsyntax.TokenInvalid
}

// closeBrace counts a closing brace and reports whether it ends an interpolation or
// directive, which returns the scanner to the template. A "~}" that does not is
// still the end of a sequence to HCL's scanner, but does not return.
func (s *scanner) closeBrace() bool {
	n := len(s.retBraces)
	if n > 0 && s.retBraces[n-1] == s.braces {
		s.braces--
		s.retBraces = s.retBraces[:n-1]
		s.pop()
		return true
	}
	s.braces--
	return false
}

// number scans a number literal: a digit, then digits, dots and exponents, not
// ending with a dot.
func (s *scanner) number() {
	src := s.src
	s.p++
	last := s.p // the end of the longest literal that does not end with a dot
	for s.p < len(src) {
		c := src[s.p]
		switch {
		case c >= '0' && c <= '9':
			s.p++
			last = s.p
		case c == '.':
			s.p++
		case c == 'e' || c == 'E':
			n := s.p + 1
			if n < len(src) && (src[n] == '+' || src[n] == '-') {
				n++
			}
			if n < len(src) && src[n] >= '0' && src[n] <= '9' {
				s.p = n + 1
				last = s.p
				continue
			}
			s.p = last
			return
		default:
			s.p = last
			return
		}
	}
	s.p = last
}

// heredocStart scans "<<EOT" or "<<-EOT" and the newline after it, entering the
// heredoc; it returns false, consuming nothing, when the source does not continue so.
func (s *scanner) heredocStart() bool {
	src := s.src
	i := s.p
	if !s.at("<<") {
		return false
	}
	i += 2
	if i < len(src) && src[i] == '-' {
		i++
	}
	markerStart := i
	r, n := utf8.DecodeRune(src[i:])
	if n == 0 || validCharSize(src[i:]) == 0 || !(r == '_' || idStart(r)) {
		return false
	}
	i += n
	for i < len(src) {
		r, n := utf8.DecodeRune(src[i:])
		if validCharSize(src[i:]) == 0 || !(r == '-' || idContinue(r)) {
			break
		}
		i += n
	}
	marker := src[markerStart:i]
	switch {
	case i < len(src) && src[i] == '\n':
		i++
	case i+1 < len(src) && src[i] == '\r' && src[i+1] == '\n':
		i += 2
	default:
		return false
	}
	s.p = i
	s.heredocs = append(s.heredocs, heredocState{marker: marker, startOfLine: true})
	s.push(modeHeredoc)
	return true
}

// idStart and idContinue approximate Unicode's ID_Start and ID_Continue, which HCL's
// identifiers are made of.
func idStart(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
	}
	return unicode.IsLetter(r) || unicode.Is(unicode.Nl, r) || unicode.Is(unicode.Other_ID_Start, r)
}

func idContinue(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_'
	}
	return idStart(r) || unicode.In(r, unicode.Mn, unicode.Mc, unicode.Nd, unicode.Pc, unicode.Other_ID_Continue)
}

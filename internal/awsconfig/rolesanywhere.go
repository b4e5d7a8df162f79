package awsconfig

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// signingHelperFlags are aws_signing_helper credential-process's flags (v1.4.0) that
// map onto a roles_anywhere role: flag → config attribute ("" for a role setting or
// one brs does not need).
var signingHelperFlags = map[string]string{
	"certificate": "certificate", "private-key": "private_key", "intermediates": "certificate_chain",
	"trust-anchor-arn": "trust_anchor_arn", "profile-arn": "profile_arn", "role-arn": "role_arn",
	"session-duration": "duration", "role-session-name": "session_name",
	"endpoint": "", "region": "",
}

// signingHelperUnsupported are its flags for keys brs cannot use yet (certificate
// stores, PKCS #11, TPM) or checks it will not turn off.
var signingHelperUnsupported = map[string]string{
	"cert-selector":       "it picks the certificate from an OS certificate store (--cert-selector)",
	"system-store-name":   "it picks the certificate from an OS certificate store (--system-store-name)",
	"pkcs11-lib":          "its key is on a PKCS #11 device (--pkcs11-lib)",
	"reuse-pin":           "its key is on a PKCS #11 device (--reuse-pin)",
	"tpm-key-password":    "its key is in a TPM (--tpm-key-password)",
	"no-tpm-key-password": "its key is in a TPM (--no-tpm-key-password)",
	"no-verify-ssl":       "it turns off the endpoint's certificate check (--no-verify-ssl), which brs does not do",
}

// signingHelperBools are its flags that take no value.
var signingHelperBools = map[string]bool{"debug": true, "with-proxy": true, "no-verify-ssl": true, "reuse-pin": true, "no-tpm-key-password": true}

// rolesAnywhere makes r a roles_anywhere role when cmd runs AWS's
// `aws_signing_helper credential-process` with a certificate and a private key in
// files: brs then signs CreateSession itself and refreshes in the background. It
// returns false when cmd is another command, or a signing helper command brs cannot
// replace (a note on r says why); the caller then imports it as a process role.
func (t *translator) rolesAnywhere(pl *plan, r *role, cmd string) bool {
	words, err := splitCommand(cmd)
	if err != nil || len(words) < 2 || words[1] != "credential-process" {
		return false
	}
	if b := path.Base(strings.ReplaceAll(words[0], "\\", "/")); b != "aws_signing_helper" && b != "aws_signing_helper.exe" {
		return false
	}
	keep := func(why string) bool {
		r.notes = append(r.notes, "runs aws_signing_helper, which the roles_anywhere source replaces, but "+why+": imported as a process role that runs it")
		return false
	}
	flags := map[string]string{}
	for i := 2; i < len(words); i++ {
		w := words[i]
		name, value, hasValue := strings.Cut(strings.TrimPrefix(w, "--"), "=")
		if !strings.HasPrefix(w, "--") || name == "" {
			return keep(fmt.Sprintf("its argument %q is not a --flag", oneLine(w)))
		}
		if why, ok := signingHelperUnsupported[name]; ok {
			return keep(why)
		}
		_, known := signingHelperFlags[name]
		switch {
		case signingHelperBools[name]:
			continue // --debug, --with-proxy: brs logs on its own and always honours HTTPS_PROXY
		case !known:
			return keep(fmt.Sprintf("brs does not know its flag --%s", oneLine(name)))
		case !hasValue:
			if i+1 >= len(words) {
				return keep(fmt.Sprintf("its flag --%s has no value", name))
			}
			i++
			value = words[i]
		}
		flags[name] = value
	}
	for _, f := range []string{"certificate", "private-key", "trust-anchor-arn", "profile-arn", "role-arn"} {
		if flags[f] == "" {
			return keep(fmt.Sprintf("it has no --%s (a PKCS #12 file, a certificate store and the defaults are not imported)", f))
		}
	}
	for _, f := range []string{"certificate", "private-key", "intermediates"} {
		v := flags[f]
		switch {
		case v == "":
		case strings.HasPrefix(v, "pkcs11:") || strings.HasPrefix(v, "handle:"):
			return keep(fmt.Sprintf("its --%s is a PKCS #11 or TPM key", f))
		case !filepath.IsAbs(v) && !path.IsAbs(v):
			return keep(fmt.Sprintf("its --%s %q is not an absolute path, and brs does not run in the caller's directory", f, oneLine(v)))
		}
	}
	var duration string
	if v := flags["session-duration"]; v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 900 || n > 43200 {
			return keep(fmt.Sprintf("its --session-duration %q is not a number of seconds between 900 and 43200", oneLine(v)))
		}
		duration = secondsDuration(n)
	}
	if ep := flags["endpoint"]; ep != "" {
		if err := checkEndpoint(ep); err != nil {
			return keep(fmt.Sprintf("its --endpoint %q %v", oneLine(ep), err))
		}
		r.endpoint = ep
	}

	r.source = "roles_anywhere"
	r.region = pl.p.sec.get("region")
	for _, f := range []string{"certificate", "private-key", "intermediates", "trust-anchor-arn", "profile-arn", "role-arn"} {
		if v := flags[f]; v != "" {
			r.attrs = append(r.attrs, attr{name: signingHelperFlags[f], value: v})
		}
	}
	if duration != "" {
		r.attrs = append(r.attrs, attr{name: "duration", value: duration})
	}
	if v := flags["role-session-name"]; v != "" {
		r.attrs = append(r.attrs, attr{name: "session_name", value: v})
	}
	r.notes = append(r.notes, "imported from aws_signing_helper credential-process: brs signs CreateSession with the certificate's key itself and refreshes in the background")
	if v := flags["region"]; v != "" {
		r.notes = append(r.notes, fmt.Sprintf("--region %s is left out: CreateSession goes to the trust anchor's region", oneLine(v)))
	}
	return true
}

// checkEndpoint checks an --endpoint as the roles_anywhere source will: https, or
// http to a loopback address.
func checkEndpoint(ep string) error {
	u, err := url.Parse(ep)
	switch {
	case err != nil || u.Host == "":
		return errors.New("is not an http(s) URL")
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http":
		if ip := net.ParseIP(u.Hostname()); ip != nil && ip.IsLoopback() || u.Hostname() == "localhost" {
			return nil
		}
		return errors.New("is plain http to a host that is not a loopback address, which brs refuses (the answer holds the credentials)")
	}
	return errors.New("is not an https URL")
}

// secondsDuration writes a number of seconds as a Go duration, in the largest whole
// unit.
func secondsDuration(n int) string {
	switch {
	case n%3600 == 0:
		return fmt.Sprintf("%dh", n/3600)
	case n%60 == 0:
		return fmt.Sprintf("%dm", n/60)
	}
	return fmt.Sprintf("%ds", n)
}

// splitCommand splits a credential_process command line into words as the AWS CLI
// does (Python's shlex.split in POSIX mode, with no shell): whitespace separates
// words, 'single quotes' keep everything, "double quotes" keep everything but \" \\
// \$ \` and a backslash-newline, and a backslash outside quotes keeps the next
// character. Nothing is expanded.
func splitCommand(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case c == '\\':
			inWord = true
			if i+1 < len(s) {
				i++
				cur.WriteByte(s[i])
			}
		case c == '\'':
			inWord = true
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				return nil, errors.New("unclosed single quote")
			}
			cur.WriteString(s[i+1 : i+1+end])
			i += end + 1
		case c == '"':
			inWord = true
			closed := false
			for i++; i < len(s); i++ {
				if s[i] == '"' {
					closed = true
					break
				}
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("\"\\$`\n", s[i+1]) >= 0 {
					i++
				}
				cur.WriteByte(s[i])
			}
			if !closed {
				return nil, errors.New("unclosed double quote")
			}
		default:
			inWord = true
			cur.WriteByte(c)
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

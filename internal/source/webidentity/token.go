package webidentity

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io/fs"
	"regexp"
	"strings"
	"time"

	"github.com/brs-go/brs/internal/boundedfile"
	"github.com/brs-go/brs/internal/source/internal/shellcmd"
	"github.com/brs-go/brs/shared"
)

// maxTokenSize bounds what is read of a token: AWS accepts tokens of up to 20,000
// characters, and a token_file that names a log file by mistake must not be read whole.
const maxTokenSize = 64 << 10

// tokenCommandTimeout bounds token_command: ample for a helper that asks an identity
// provider for a token over the network, short enough that a hung one is noticed. A
// variable only so that a test can shorten it.
var tokenCommandTimeout = time.Minute

// token returns the web identity token for this refresh and a description of where it
// came from, for messages.
func (r *Refresher) token(ctx context.Context, s settings) (token, from string, err error) {
	if s.TokenFile != "" {
		from = "the token file " + s.TokenFile
		token, err = readTokenFile(s.TokenFile)
		return token, from, err
	}
	token, err = r.runTokenCommand(ctx, s)
	return token, "token_command", err
}

// readTokenFile reads the token in path, trimmed of surrounding whitespace. It is read
// afresh every time: the kubelet replaces a projected service account token well
// before it expires. A missing, unreadable or empty file is retryable: in a pod that
// has just started, the token may appear a moment later.
func readTokenFile(path string) (string, error) {
	b, err := boundedfile.ReadFile(path, maxTokenSize)
	switch {
	case errors.Is(err, boundedfile.ErrNotRegular):
		var fe *boundedfile.Error
		errors.As(err, &fe)
		return "", shared.Retryable("TokenFileUnreadable",
			"the web identity token file %s: %s; check token_file (brs tries again meanwhile)", path, fe.Reason)
	case errors.Is(err, boundedfile.ErrTooLarge):
		return "", shared.Permanent("InvalidToken",
			"the web identity token file %s is larger than %d KiB, so it does not hold a token; check token_file", path, maxTokenSize>>10)
	case err != nil:
		return "", tokenFileError(path, err)
	}
	token := strings.TrimSpace(string(b))
	if token == "" {
		return "", shared.Retryable("TokenFileEmpty",
			"the web identity token file %s is empty; the program that writes it may not have written it yet, so brs tries again", path)
	}
	return token, nil
}

// tokenFileError explains a failure to open or read the token file. The error's text
// names the path and the cause; no content has been read.
func tokenFileError(path string, err error) *shared.Error {
	cause := err
	var pe *fs.PathError
	if errors.As(err, &pe) {
		cause = pe.Err
	}
	if errors.Is(err, fs.ErrNotExist) {
		return shared.Retryable("TokenFileMissing",
			"the web identity token file %s does not exist; a projected service account token appears shortly after the pod starts, "+
				"so brs tries again; if this persists, check token_file and the volume that should provide it", path)
	}
	return shared.Retryable("TokenFileUnreadable",
		"cannot read the web identity token file %s: %v; brs tries again; if this persists, check the file's permissions "+
			"and the user brs runs as (in Kubernetes, the pod's securityContext.fsGroup)", path, cause)
}

// jwtLike matches a JSON Web Token: three base64url parts, the first a JSON object
// ("eyJ" is how `{"` begins in base64). OIDC ID tokens, which AssumeRoleWithWebIdentity
// takes, are JWTs.
var jwtLike = regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`)

// redactToken is how token_command's standard error is cleaned before it reaches the
// log: the host cannot redact the token, which it never sees. It is held until the
// command ends, then the token the command printed (stdout) and anything shaped like a
// JWT (a token printed by a command that then failed, or by a debug trace) are
// replaced.
func redactToken(stderr, stdout []byte) []byte {
	if token := bytes.TrimSpace(stdout); len(token) >= 8 {
		stderr = bytes.ReplaceAll(stderr, token, []byte("[REDACTED]"))
	}
	return jwtLike.ReplaceAll(stderr, []byte("[REDACTED]"))
}

// runTokenCommand runs token_command and returns what it prints, trimmed. Its failures
// are permanent, as those of the process source are: the host asks again after a
// while rather than re-running a failing command in a loop. The command's environment
// is the minimal one, the variables named in inherit_env and env's (see
// shellcmd.Environ).
func (r *Refresher) runTokenCommand(ctx context.Context, s settings) (string, error) {
	out, err := shellcmd.Run(ctx, shellcmd.Command{
		Line:      s.TokenCommand,
		Inherit:   s.InheritEnv,
		Env:       shellcmd.EnvPairs(s.Env),
		Timeout:   tokenCommandTimeout,
		MaxOutput: maxTokenSize,
		Stderr:    r.stderr,
		Redact:    redactToken,
	})
	var timeout *shellcmd.TimeoutError
	var exit *shellcmd.ExitError
	switch {
	case err == nil:
	case ctx.Err() != nil:
		return "", shared.Retryable("Canceled", "the refresh was cancelled while token_command ran, and token_command was killed")
	case errors.As(err, &timeout):
		return "", shared.Permanent("TokenCommandTimeout",
			"token_command %v, with everything it started; see its standard error in the brs log", timeout)
	case errors.As(err, &exit):
		return "", shared.Permanent("TokenCommandFailed", "token_command %v; its standard error is in the brs log", exit)
	case errors.Is(err, shellcmd.ErrOutputTooLarge):
		return "", shared.Permanent("InvalidToken",
			"token_command printed more than %d KiB, which is not a token; it must print only the token on standard output", maxTokenSize>>10)
	default:
		return "", shared.Permanent("TokenCommandFailed", "token_command %v", err)
	}
	token := strings.TrimSpace(string(out))
	if token == "" {
		return "", shared.Permanent("TokenCommandFailed", "token_command printed nothing on standard output; it must print the token")
	}
	return token, nil
}

// checkExpiry refuses a token that has the shape of a JWT and whose exp claim is not
// after now, before STS is called: the message can then say what happened, whichever
// STS-compatible server is behind the endpoint (MinIO, for one, reports an expired
// token as an InvalidParameterValue). It is retryable: the token is read again at every
// attempt, and an expired token is exactly what the next one fixes. A token that is
// not a JWT is left to STS to judge.
func checkExpiry(token, from string, now time.Time) error {
	exp, ok := jwtExpiry(token)
	if !ok || exp.After(now) {
		return nil
	}
	next := "the program that writes it (the kubelet, for a projected service account token) should replace it before then; brs reads it again at the next attempt"
	if from == "token_command" {
		next = "brs runs token_command again at the next attempt"
	}
	return shared.Retryable("TokenExpired", "the web identity token from %s expired at %s, %v ago; %s",
		from, exp.UTC().Format(time.RFC3339), now.Sub(exp).Round(time.Second), next)
}

// jwtExpiry returns the exp claim of a token that has the shape of a JWT
// (HEADER.PAYLOAD.SIGNATURE in base64url), without verifying the signature: only STS
// can judge that.
func jwtExpiry(token string) (time.Time, bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return time.Time{}, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return time.Time{}, false
	}
	var claims struct {
		Exp *json.Number `json:"exp"`
	}
	if err := json.Unmarshal(payload, &claims); err != nil || claims.Exp == nil {
		return time.Time{}, false
	}
	secs, err := claims.Exp.Float64()
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(int64(secs), 0), true
}

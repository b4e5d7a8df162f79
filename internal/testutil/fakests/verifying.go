package fakests

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// VerifyingOptions says what a Verifying fake knows: the IAM users' long-term keys, the
// MFA device, and the roles whose trust policy requires MFA.
type VerifyingOptions struct {
	// Users maps the access key IDs of IAM users to their secret access keys.
	Users map[string]string
	// MFASerial is the serial of the one MFA device; MFAStart is its first code (see
	// Verifying).
	MFASerial string
	MFAStart  int
	// MFARoles are the role ARNs whose trust policy requires aws:MultiFactorAuthPresent.
	MFARoles []string
	// Lifetime, if set, replaces the lifetime of issued credentials (the requested
	// DurationSeconds is still checked): a test makes a session last seconds, not
	// hours, without a fake clock in the processes under test.
	Lifetime func(action string, requested time.Duration) time.Duration
}

// Verifying is a fake of AWS STS, for what no real server here does: MinIO has no
// GetSessionToken and refuses AssumeRole signed by temporary credentials, and moto
// checks neither signatures nor MFA codes. It is a fake: a loopback HTTP server that
// answers GetSessionToken and AssumeRole. It checks what AWS STS checks for them:
//
//   - the SigV4 signature of every request (service sts, any region) with the secret of
//     the signing key, which is an IAM user's long-term key or credentials it issued;
//     X-Amz-Date within 15 minutes; X-Amz-Security-Token that of the issued credentials;
//     issued credentials not expired;
//   - GetSessionToken only with long-term keys, DurationSeconds 900 to 129,600
//     (default 43,200);
//   - AssumeRole DurationSeconds 900 to 3,600 (the roles' MaxSessionDuration, and the
//     cap AWS puts on a role assumed with temporary credentials);
//   - MFA: SerialNumber must name the device and TokenCode be its current code. The
//     device is counter based (as an HOTP token): its codes are MFAStart, MFAStart+1, …
//     as six digits, each accepted once and in order, so a reused or wrong code is
//     refused as AWS refuses it; a role in MFARoles is assumed only with a code or with
//     credentials from a GetSessionToken that had one.
//
// It does not check IAM policies beyond that: any user may assume any role.
type Verifying struct {
	*httptest.Server

	mu      sync.Mutex
	vopts   VerifyingOptions
	issued  map[string]issued // by access key ID
	mfaNext int
	calls   map[string]int // by action
	forms   []url.Values
}

// issued is a set of temporary credentials the fake handed out.
type issued struct {
	secret, token string
	expires       time.Time
	mfa           bool
}

// StartVerifying starts a Verifying fake, stopped when t ends.
func StartVerifying(t testing.TB, o VerifyingOptions) *Verifying {
	t.Helper()
	f := &Verifying{vopts: o, issued: map[string]issued{}, mfaNext: o.MFAStart, calls: map[string]int{}}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

// Calls returns how many successful calls of action the fake answered.
func (f *Verifying) Calls(action string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[action]
}

// Requests returns the forms of every request received, answered or refused.
func (f *Verifying) Requests() []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.forms)
}

// MFACommand returns a shell command that prints the device's codes in order, as an
// HOTP token would, appending a line to runs at each run so a test can count them.
func MFACommand(counter, runs string, start int) string {
	return fmt.Sprintf(`n=$(cat %[1]q 2>/dev/null || echo %[3]d); echo $((n+1)) > %[1]q; echo run >> %[2]q; printf '%%06d\n' "$n"`, counter, runs, start)
}

// stsError is an AWS error answer.
type stsError struct {
	status        int
	code, message string
}

func (f *Verifying) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.forms = append(f.forms, form)
	answer, e := f.handle(r, body, form)
	if e == nil {
		f.calls[form.Get("Action")]++
	}
	f.mu.Unlock()

	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("X-Amzn-Requestid", RequestID)
	if e != nil {
		w.WriteHeader(e.status)
		fmt.Fprintf(w, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error>
  <RequestId>%s</RequestId>
</ErrorResponse>`, e.code, e.message, RequestID)
		return
	}
	io.WriteString(w, answer)
}

// handle checks one request and returns the XML answer; f.mu is held.
func (f *Verifying) handle(r *http.Request, body []byte, form url.Values) (string, *stsError) {
	if r.Method != http.MethodPost {
		return "", &stsError{400, "InvalidAction", "only POST is served"}
	}
	akid, signedWith, e := f.verifySignature(r, body)
	if e != nil {
		return "", e
	}
	action := form.Get("Action")
	dur, e := durationOf(form, action)
	if e != nil {
		return "", e
	}
	mfa, e := f.checkMFA(form)
	if e != nil {
		return "", e
	}
	var arn, head string
	switch action {
	case "GetSessionToken":
		if signedWith != nil {
			return "", &stsError{403, "AccessDenied", "Cannot call GetSessionToken with session credentials"}
		}
		arn = ""
	case "AssumeRole":
		roleARN := form.Get("RoleArn")
		name := form.Get("RoleSessionName")
		if roleARN == "" || name == "" {
			return "", &stsError{400, "ValidationError", "RoleArn and RoleSessionName are required"}
		}
		if signedWith != nil && signedWith.mfa {
			mfa = true
		}
		if slices.Contains(f.vopts.MFARoles, roleARN) && !mfa {
			return "", &stsError{403, "AccessDenied", fmt.Sprintf("User: %s is not authorized to perform: sts:AssumeRole on resource: %s", akid, roleARN)}
		}
		parts := strings.Split(roleARN, ":")
		role := strings.TrimPrefix(parts[len(parts)-1], "role/")
		arn = fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/%s", parts[4], role, name)
		head = fmt.Sprintf("\n    <AssumedRoleUser><Arn>%s</Arn><AssumedRoleId>AROAFAKE:%s</AssumedRoleId></AssumedRoleUser>", arn, name)
	default:
		return "", &stsError{400, "InvalidAction", "Could not find operation " + action}
	}
	life := dur
	if f.vopts.Lifetime != nil {
		life = f.vopts.Lifetime(action, dur)
	}
	creds := issued{secret: randomHex(20), token: "FQoG" + randomHex(40), expires: time.Now().Add(life).UTC().Truncate(time.Second), mfa: mfa}
	newID := "ASIA" + strings.ToUpper(randomHex(8))
	f.issued[newID] = creds
	return fmt.Sprintf(`<%[1]sResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <%[1]sResult>%[2]s
    <Credentials>
      <AccessKeyId>%[3]s</AccessKeyId><SecretAccessKey>%[4]s</SecretAccessKey>
      <SessionToken>%[5]s</SessionToken><Expiration>%[6]s</Expiration>
    </Credentials>
  </%[1]sResult>
  <ResponseMetadata><RequestId>%[7]s</RequestId></ResponseMetadata>
</%[1]sResponse>`, action, head, newID, creds.secret, creds.token, creds.expires.Format(time.RFC3339), RequestID), nil
}

// durationOf checks DurationSeconds against the action's bounds.
func durationOf(form url.Values, action string) (time.Duration, *stsError) {
	lo, def, hi := 900, 3600, 3600
	if action == "GetSessionToken" {
		def, hi = 43200, 129600
	}
	s := form.Get("DurationSeconds")
	if s == "" {
		return time.Duration(def) * time.Second, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, &stsError{400, "ValidationError", fmt.Sprintf("1 validation error detected: Value '%s' at 'durationSeconds' failed to satisfy constraint: Member must have value between %d and %d", s, lo, hi)}
	}
	return time.Duration(n) * time.Second, nil
}

// checkMFA checks SerialNumber and TokenCode when given and reports whether they were.
func (f *Verifying) checkMFA(form url.Values) (bool, *stsError) {
	serial, code := form.Get("SerialNumber"), form.Get("TokenCode")
	if serial == "" && code == "" {
		return false, nil
	}
	if serial == "" || code == "" {
		return false, &stsError{400, "ValidationError", "SerialNumber and TokenCode go together"}
	}
	if len(code) != 6 || strings.Trim(code, "0123456789") != "" {
		return false, &stsError{400, "ValidationError", "1 validation error detected: Value at 'tokenCode' failed to satisfy constraint: Member must have length less than or equal to 6"}
	}
	if serial != f.vopts.MFASerial || code != fmt.Sprintf("%06d", f.mfaNext) {
		return false, &stsError{403, "AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code. "}
	}
	f.mfaNext++
	return true, nil
}

// verifySignature checks the request's SigV4 signature and returns the signing access
// key ID, and the issued credentials it names (nil for a user's long-term key).
func (f *Verifying) verifySignature(r *http.Request, body []byte) (string, *issued, *stsError) {
	auth := r.Header.Get("Authorization")
	const algo = "AWS4-HMAC-SHA256 "
	if !strings.HasPrefix(auth, algo) {
		return "", nil, &stsError{400, "MissingAuthenticationToken", "Request is missing Authentication Token"}
	}
	fields := map[string]string{}
	for _, p := range strings.Split(strings.TrimPrefix(auth, algo), ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		fields[k] = v
	}
	scope := strings.Split(fields["Credential"], "/")
	if len(scope) != 5 || scope[3] != "sts" || scope[4] != "aws4_request" {
		return "", nil, &stsError{400, "IncompleteSignature", "Credential is malformed"}
	}
	akid := scope[0]
	amzDate := r.Header.Get("X-Amz-Date")
	t, err := time.Parse("20060102T150405Z", amzDate)
	if err != nil || !strings.HasPrefix(amzDate, scope[1]) {
		return "", nil, &stsError{400, "IncompleteSignature", "X-Amz-Date is malformed or does not match the credential scope"}
	}
	if d := time.Since(t); d > 15*time.Minute || d < -15*time.Minute {
		return "", nil, &stsError{403, "SignatureDoesNotMatch", "Signature expired"}
	}
	secret, known := f.vopts.Users[akid]
	var cred *issued
	if !known {
		c, ok := f.issued[akid]
		if !ok {
			return "", nil, &stsError{403, "InvalidClientTokenId", "The security token included in the request is invalid."}
		}
		if r.Header.Get("X-Amz-Security-Token") != c.token {
			return "", nil, &stsError{403, "InvalidClientTokenId", "The security token included in the request is invalid."}
		}
		if time.Now().After(c.expires) {
			return "", nil, &stsError{403, "ExpiredToken", "The security token included in the request is expired"}
		}
		secret, cred = c.secret, &c
	}
	signed := strings.Split(fields["SignedHeaders"], ";")
	if !slices.Contains(signed, "host") || !slices.Contains(signed, "x-amz-date") {
		return "", nil, &stsError{403, "SignatureDoesNotMatch", "host and x-amz-date must be signed"}
	}
	var canon strings.Builder
	path := r.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	fmt.Fprintf(&canon, "%s\n%s\n%s\n", r.Method, path, r.URL.RawQuery)
	for _, h := range signed {
		v := r.Header.Values(h)
		if h == "host" {
			v = []string{r.Host}
		}
		if h == "content-length" {
			v = []string{strconv.Itoa(len(body))}
		}
		for i := range v {
			v[i] = strings.Join(strings.Fields(v[i]), " ")
		}
		fmt.Fprintf(&canon, "%s:%s\n", h, strings.Join(v, ","))
	}
	sum := sha256.Sum256(body)
	fmt.Fprintf(&canon, "\n%s\n%s", fields["SignedHeaders"], hex.EncodeToString(sum[:]))
	creq := sha256.Sum256([]byte(canon.String()))
	toSign := "AWS4-HMAC-SHA256\n" + amzDate + "\n" + strings.Join(scope[1:], "/") + "\n" + hex.EncodeToString(creq[:])
	key := []byte("AWS4" + secret)
	for _, s := range append(scope[1:], toSign) {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(s))
		key = m.Sum(nil)
	}
	if !hmac.Equal([]byte(hex.EncodeToString(key)), []byte(fields["Signature"])) {
		return "", nil, &stsError{403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method."}
	}
	return akid, cred, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

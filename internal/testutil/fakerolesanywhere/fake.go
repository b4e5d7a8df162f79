package fakerolesanywhere

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// Config describes the trust anchor, profile and roles of a fake.
type Config struct {
	// Anchor is the trust anchor's CA; required.
	Anchor *CA
	// Region defaults to us-east-1.
	Region string
	// Roles are the role ARNs the profile lists; one default role if empty.
	Roles []string
	// ProfileDuration caps the credentials' lifetime (the profile's
	// durationSeconds); 12h if zero.
	ProfileDuration time.Duration
	// AcceptRoleSessionName is the profile's acceptRoleSessionName.
	AcceptRoleSessionName bool
	// Now is the fake's clock; time.Now if nil.
	Now func() time.Time
}

// Fixed identifiers of the fake's resources.
const (
	Account     = "111122223333"
	anchorID    = "0fd4a1a4-6c3e-4f2b-9c6e-0123456789ab"
	profileID   = "a6294488-81c4-4b6c-8e0a-fedcba987654"
	DefaultRole = "arn:aws:iam::111122223333:role/brs-roles-anywhere"
	maxBody     = 64 << 10
	maxSkew     = 5 * time.Minute
	maxChain    = 5
)

// Call is what the fake saw of one accepted request.
type Call struct {
	Serial          string
	Algorithm       string
	SignedHeaders   string
	Chain           int
	DurationSeconds int64
	RoleSessionName string
	RoleARN         string
	AccessKeyID     string
}

// Server is a running fake.
type Server struct {
	cfg Config
	srv *httptest.Server
	// URL is the endpoint, http://127.0.0.1:PORT.
	URL string
	// TrustAnchorARN and ProfileARN name the fake's resources.
	TrustAnchorARN, ProfileARN string

	mu       sync.Mutex
	calls    []Call
	refusals []string
	n        int
}

// Start starts a fake, closed when the test ends.
func Start(t testing.TB, cfg Config) *Server {
	t.Helper()
	if cfg.Anchor == nil {
		t.Fatal("fakerolesanywhere: Config.Anchor is required")
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if len(cfg.Roles) == 0 {
		cfg.Roles = []string{DefaultRole}
	}
	if cfg.ProfileDuration == 0 {
		cfg.ProfileDuration = 12 * time.Hour
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{
		cfg:            cfg,
		TrustAnchorARN: "arn:aws:rolesanywhere:" + cfg.Region + ":" + Account + ":trust-anchor/" + anchorID,
		ProfileARN:     "arn:aws:rolesanywhere:" + cfg.Region + ":" + Account + ":profile/" + profileID,
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.handle))
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	return s
}

// Calls returns the requests the fake accepted, in order.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// Refusals returns the messages of the requests the fake refused, in order.
func (s *Server) Refusals() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.refusals...)
}

// refusal is an error answer.
type refusal struct {
	status int
	kind   string
	msg    string
}

func refuse(status int, kind, format string, args ...any) *refusal {
	return &refusal{status, kind, fmt.Sprintf(format, args...)}
}

func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	call, rf := s.check(r)
	if rf != nil {
		s.mu.Lock()
		s.refusals = append(s.refusals, rf.msg)
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("x-amzn-ErrorType", rf.kind)
		w.WriteHeader(rf.status)
		_ = json.NewEncoder(w).Encode(map[string]string{"message": rf.msg})
		return
	}
	now := s.cfg.Now()
	life := min(time.Duration(call.DurationSeconds)*time.Second, s.cfg.ProfileDuration)
	s.mu.Lock()
	s.n++
	call.AccessKeyID = fmt.Sprintf("ASIAFAKERA%010d", s.n)
	s.calls = append(s.calls, call)
	s.mu.Unlock()

	session := call.RoleSessionName
	if session == "" {
		session = call.Serial
	}
	secret := make([]byte, 30)
	_, _ = rand.Read(secret)
	token := make([]byte, 96)
	_, _ = rand.Read(token)
	roleName := call.RoleARN[strings.LastIndex(call.RoleARN, "/")+1:]
	doc := map[string]any{
		"credentialSet": []any{map[string]any{
			"assumedRoleUser": map[string]any{
				"arn":           "arn:aws:sts::" + Account + ":assumed-role/" + roleName + "/" + session,
				"assumedRoleId": "AROAFAKEROLESANYWHERE:" + session,
			},
			"credentials": map[string]any{
				"accessKeyId":     call.AccessKeyID,
				"secretAccessKey": base64.StdEncoding.EncodeToString(secret),
				"sessionToken":    base64.StdEncoding.EncodeToString(token),
				"expiration":      now.Add(life).UTC().Format(time.RFC3339),
			},
			"packedPolicySize": 0,
			"roleArn":          call.RoleARN,
			"sourceIdentity":   "CN=workload",
		}},
		"subjectArn": "arn:aws:rolesanywhere:" + s.cfg.Region + ":" + Account + ":subject/" + anchorID,
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(doc)
}

// authHeader matches the Authorization header of a Roles Anywhere request.
var authHeader = regexp.MustCompile(`^(AWS4-X509-RSA-SHA256|AWS4-X509-ECDSA-SHA256) Credential=([0-9]+)/([0-9]{8})/([a-z0-9-]+)/([a-z]+)/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]+)$`)

// check verifies r and returns what it asks for, or why it is refused.
func (s *Server) check(r *http.Request) (Call, *refusal) {
	if r.Method != http.MethodPost || r.URL.Path != "/sessions" {
		return Call{}, refuse(http.StatusNotFound, "UnknownOperationException", "no operation %s %s", r.Method, r.URL.Path)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil || len(body) > maxBody {
		return Call{}, refuse(http.StatusBadRequest, "ValidationException", "request body unreadable or too large")
	}
	var in struct {
		DurationSeconds *int64 `json:"durationSeconds"`
		RoleSessionName string `json:"roleSessionName"`
		ProfileArn      string `json:"profileArn"`
		RoleArn         string `json:"roleArn"`
		TrustAnchorArn  string `json:"trustAnchorArn"`
	}
	if len(body) > 0 {
		if err := json.Unmarshal(body, &in); err != nil {
			return Call{}, refuse(http.StatusBadRequest, "ValidationException", "request body is not JSON")
		}
	}

	// Authentication first, as the real service does: nothing about the
	// resources is told to an unauthenticated caller.
	call, rf := s.authenticate(r, body)
	if rf != nil {
		return Call{}, rf
	}

	q := r.URL.Query()
	param := func(name, fromBody string) string {
		if v := q.Get(name); v != "" {
			return v
		}
		return fromBody
	}
	anchor, profile, role := param("trustAnchorArn", in.TrustAnchorArn), param("profileArn", in.ProfileArn), param("roleArn", in.RoleArn)
	switch {
	case anchor == "" || profile == "" || role == "":
		return Call{}, refuse(http.StatusBadRequest, "ValidationException", "profileArn, roleArn and trustAnchorArn are required")
	case anchor != s.TrustAnchorARN:
		return Call{}, refuse(http.StatusNotFound, "ResourceNotFoundException", "Trust anchor not found")
	case profile != s.ProfileARN:
		return Call{}, refuse(http.StatusNotFound, "ResourceNotFoundException", "Profile not found")
	}
	listed := false
	for _, rl := range s.cfg.Roles {
		listed = listed || rl == role
	}
	if !listed {
		return Call{}, refuse(http.StatusForbidden, "AccessDeniedException", "Unable to assume role for the given profile")
	}
	call.RoleARN = role
	call.DurationSeconds = 3600
	if in.DurationSeconds != nil {
		call.DurationSeconds = *in.DurationSeconds
	}
	if call.DurationSeconds < 900 || call.DurationSeconds > 43200 {
		return Call{}, refuse(http.StatusBadRequest, "ValidationException", "durationSeconds must be between 900 and 43200")
	}
	if in.RoleSessionName != "" {
		if !s.cfg.AcceptRoleSessionName {
			return Call{}, refuse(http.StatusBadRequest, "ValidationException", "Profile does not accept a role session name")
		}
		call.RoleSessionName = in.RoleSessionName
	}
	return call, nil
}

// authenticate verifies the signature, the time and the certificate chain.
func (s *Server) authenticate(r *http.Request, body []byte) (Call, *refusal) {
	deny := func(format string, args ...any) (Call, *refusal) {
		return Call{}, refuse(http.StatusForbidden, "AccessDeniedException", format, args...)
	}
	m := authHeader.FindStringSubmatch(r.Header.Get("Authorization"))
	if m == nil {
		return deny("Authorization header missing or not AWS4-X509-*-SHA256")
	}
	alg, serialStr, day, region, svc, signedHeaders, sigHex := m[1], m[2], m[3], m[4], m[5], m[6], m[7]

	date, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil {
		return deny("X-Amz-Date missing or not in ISO 8601 basic format")
	}
	now := s.cfg.Now()
	switch {
	case date.Before(now.Add(-maxSkew)):
		return deny("Signature expired: %s is now earlier than %s", date.Format("20060102T150405Z"), now.Add(-maxSkew).UTC().Format("20060102T150405Z"))
	case date.After(now.Add(maxSkew)):
		return deny("Signature not yet current: %s is still later than %s", date.Format("20060102T150405Z"), now.Add(maxSkew).UTC().Format("20060102T150405Z"))
	case day != date.Format("20060102"):
		return deny("Credential scope date %s is not the day of X-Amz-Date", day)
	case region != s.cfg.Region:
		return deny("Credential should be scoped to a valid region, not %q", region)
	case svc != "rolesanywhere":
		return deny("Credential should be scoped to correct service: 'rolesanywhere'")
	}

	leaf, err := parseDERHeader(r.Header.Get("X-Amz-X509"))
	if err != nil {
		return deny("X-Amz-X509 is not a base64 DER certificate")
	}
	var chain []*x509.Certificate
	if v := r.Header.Get("X-Amz-X509-Chain"); v != "" {
		for _, part := range strings.Split(v, ",") {
			c, err := parseDERHeader(part)
			if err != nil {
				return deny("X-Amz-X509-Chain holds something that is not a base64 DER certificate")
			}
			chain = append(chain, c)
		}
		if len(chain) > maxChain {
			return deny("X-Amz-X509-Chain holds more than %d certificates", maxChain)
		}
	}
	if serialStr != leaf.SerialNumber.String() {
		return deny("Credential serial number %s is not the certificate's", serialStr)
	}

	names := strings.Split(signedHeaders, ";")
	if !sort.StringsAreSorted(names) {
		return deny("SignedHeaders are not sorted")
	}
	need := []string{"host", "x-amz-date", "x-amz-x509"}
	if len(chain) > 0 {
		need = append(need, "x-amz-x509-chain")
	}
	for _, n := range need {
		if !contains(names, n) {
			return deny("SignedHeaders must include %s", n)
		}
	}
	var lines []string
	for _, n := range names {
		v := strings.Join(r.Header.Values(n), ",")
		if n == "host" {
			v = r.Host
		}
		lines = append(lines, n+":"+strings.Join(strings.Fields(v), " "))
	}
	bodySum := sha256.Sum256(body)
	canonical := r.Method + "\n" + sigv4Path(r.URL) + "\n" + sigv4Query(r.URL.Query()) + "\n" +
		strings.Join(lines, "\n") + "\n\n" + signedHeaders + "\n" + hex.EncodeToString(bodySum[:])
	crSum := sha256.Sum256([]byte(canonical))
	stringToSign := alg + "\n" + r.Header.Get("X-Amz-Date") + "\n" + day + "/" + region + "/" + svc + "/aws4_request\n" + hex.EncodeToString(crSum[:])
	digest := sha256.Sum256([]byte(stringToSign))
	sig, err := hex.DecodeString(sigHex)
	if err != nil {
		return deny("Signature is not hex")
	}
	switch pub := leaf.PublicKey.(type) {
	case *rsa.PublicKey:
		if alg != "AWS4-X509-RSA-SHA256" {
			return deny("Signing algorithm %s does not match the certificate's RSA key", alg)
		}
		if rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig) != nil {
			return deny("Signature validation failed")
		}
	case *ecdsa.PublicKey:
		if alg != "AWS4-X509-ECDSA-SHA256" {
			return deny("Signing algorithm %s does not match the certificate's EC key", alg)
		}
		if !ecdsa.VerifyASN1(pub, digest[:], sig) {
			return deny("Signature validation failed")
		}
	default:
		return deny("Unsupported certificate key type")
	}

	if leaf.IsCA || leaf.KeyUsage&x509.KeyUsageDigitalSignature == 0 {
		return deny("Untrusted signing certificate: not an end entity with digitalSignature")
	}
	roots := x509.NewCertPool()
	roots.AddCert(s.cfg.Anchor.Cert)
	inter := x509.NewCertPool()
	for _, c := range chain {
		inter.AddCert(c)
	}
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: now,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
		var ie x509.CertificateInvalidError
		if errors.As(err, &ie) && ie.Reason == x509.Expired {
			return deny("Untrusted signing certificate: expired or not yet valid")
		}
		return deny("Untrusted signing certificate")
	}
	return Call{Serial: serialStr, Algorithm: alg, SignedHeaders: signedHeaders, Chain: len(chain)}, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func parseDERHeader(v string) (*x509.Certificate, error) {
	der, err := base64.StdEncoding.DecodeString(strings.TrimSpace(v))
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

// sigv4Escape is SigV4's URI encoding: every byte but A-Z a-z 0-9 - _ . ~ as %XY.
func sigv4Escape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// sigv4Path is the canonical URI: each segment encoded.
func sigv4Path(u *url.URL) string {
	if u.Path == "" {
		return "/"
	}
	segs := strings.Split(u.Path, "/")
	for i, s := range segs {
		segs[i] = sigv4Escape(s)
	}
	return strings.Join(segs, "/")
}

// sigv4Query is the canonical query string: encoded pairs sorted by name, then value.
func sigv4Query(q url.Values) string {
	type pair struct{ k, v string }
	var pairs []pair
	for k, vs := range q {
		for _, v := range vs {
			pairs = append(pairs, pair{sigv4Escape(k), sigv4Escape(v)})
		}
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].k != pairs[j].k {
			return pairs[i].k < pairs[j].k
		}
		return pairs[i].v < pairs[j].v
	})
	out := make([]string, len(pairs))
	for i, p := range pairs {
		out[i] = p.k + "=" + p.v
	}
	return strings.Join(out, "&")
}

package fakesignin

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"strings"
	"time"
)

// maxBody bounds a request body; a token request is a few hundred bytes.
const maxBody = 64 << 10

// token serves CreateOAuth2Token.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	hook := s.onToken
	s.mu.Unlock()
	if hook != nil {
		hook()
	}
	var call Call
	s.mu.Lock()
	defer s.mu.Unlock()
	defer func() { s.calls = append(s.calls, call) }()
	refuse := func(code, errorCode, reason string) {
		call.Status, call.Code, call.Reason = http.StatusBadRequest, code, reason
		writeJSON(w, http.StatusBadRequest, map[string]string{"__type": code, "error": errorCode, "message": reason}, code)
	}
	if s.fail != nil {
		call.Status, call.Code, call.Reason = s.fail.status, s.fail.code, "told to fail"
		writeJSON(w, s.fail.status, map[string]string{"__type": s.fail.code, "error": s.fail.error, "message": "the fake was told to fail"}, s.fail.code)
		return
	}
	if r.Method != http.MethodPost {
		refuse("ValidationException", "INVALID_REQUEST", "method "+r.Method+" is not POST")
		return
	}
	now := s.opts.Clock.Now()
	proof, err := s.verifyProof(r, now)
	if proof != nil {
		call.JTI = proof.JTI
	}
	if err != nil {
		refuse("ValidationException", "INVALID_REQUEST", "invalid DPoP proof: "+err.Error())
		return
	}
	var body struct {
		ClientID     string `json:"clientId"`
		GrantType    string `json:"grantType"`
		RefreshToken string `json:"refreshToken"`
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil || len(b) > maxBody || json.Unmarshal(b, &body) != nil {
		refuse("ValidationException", "INVALID_REQUEST", "the body is not a JSON token request")
		return
	}
	call.RefreshToken = body.RefreshToken
	st := s.refresh[body.RefreshToken]
	switch {
	case body.GrantType != "refresh_token":
		refuse("ValidationException", "unsupported_grant_type", fmt.Sprintf("grantType %q is not refresh_token", body.GrantType))
		return
	case s.spent[body.RefreshToken]:
		refuse("InvalidGrantException", "invalid_grant", "the refresh token was already used")
		return
	case st == nil:
		refuse("InvalidGrantException", "invalid_grant", "unknown refresh token")
		return
	case body.ClientID != st.clientID:
		refuse("InvalidGrantException", "invalid_grant", "the refresh token was issued to another client")
		return
	case !st.key.Equal(proof.key):
		refuse("InvalidGrantException", "invalid_grant", "the DPoP proof is signed with a key the session is not bound to")
		return
	case !now.Before(st.expires):
		refuse("AccessDeniedException", "TOKEN_EXPIRED", "the login session has expired")
		return
	}
	delete(s.refresh, body.RefreshToken)
	s.spent[body.RefreshToken] = true
	s.seq++
	next := fmt.Sprintf("fake-signin-refresh-token-%d-%s", s.seq, rand.Text())
	s.refresh[next] = st
	call.Status = http.StatusOK
	call.AccessKeyID = fmt.Sprintf("ASIAFAKESIGNIN%06d", s.seq)
	writeJSON(w, http.StatusOK, map[string]any{
		"accessToken": map[string]string{
			"accessKeyId":     call.AccessKeyID,
			"secretAccessKey": fmt.Sprintf("fake-signin-secret-access-key-%d-%s", s.seq, rand.Text()),
			"sessionToken":    fmt.Sprintf("fake-signin-session-token-%d-%s", s.seq, rand.Text()),
		},
		"expiresIn":    int(s.opts.CredentialLifetime / time.Second),
		"refreshToken": next,
		"tokenType":    "aws_sigv4",
	}, "")
}

// proof is a verified DPoP proof.
type proof struct {
	JTI string
	key *ecdsa.PublicKey
}

// verifyProof checks the request's DPoP proof (RFC 9449 section 4.3) and records its
// jti. It returns the proof as far as it was parsed, with an error saying what is
// wrong.
func (s *Server) verifyProof(r *http.Request, now time.Time) (*proof, error) {
	values := r.Header.Values("DPoP")
	if len(values) != 1 {
		return nil, fmt.Errorf("%d DPoP headers, want 1", len(values))
	}
	parts := strings.Split(values[0], ".")
	if len(parts) != 3 {
		return nil, errors.New("not a compact JWS")
	}
	var header struct {
		Typ string          `json:"typ"`
		Alg string          `json:"alg"`
		JWK json.RawMessage `json:"jwk"`
	}
	if err := decodePart(parts[0], &header); err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	if header.Typ != "dpop+jwt" || header.Alg != "ES256" {
		return nil, fmt.Errorf("typ %q alg %q, want dpop+jwt and ES256", header.Typ, header.Alg)
	}
	key, err := parseJWK(header.JWK)
	if err != nil {
		return nil, fmt.Errorf("jwk: %w", err)
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || len(sig) != 64 {
		return nil, errors.New("the signature is not 64 bytes of base64url")
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if !ecdsa.Verify(key, digest[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
		return nil, errors.New("the signature does not verify with the jwk")
	}
	var claims struct {
		JTI string `json:"jti"`
		HTM string `json:"htm"`
		HTU string `json:"htu"`
		IAT *int64 `json:"iat"`
	}
	if err := decodePart(parts[1], &claims); err != nil {
		return nil, fmt.Errorf("claims: %w", err)
	}
	p := &proof{JTI: claims.JTI, key: key}
	want := s.URL + r.URL.Path
	switch {
	case claims.JTI == "" || len(claims.JTI) > 256:
		return p, errors.New("no jti, or one longer than 256 bytes")
	case claims.HTM != r.Method:
		return p, fmt.Errorf("htm %q is not the request's method %s", claims.HTM, r.Method)
	case claims.HTU != want:
		return p, fmt.Errorf("htu %q is not the request's URL %s", claims.HTU, want)
	case claims.IAT == nil:
		return p, errors.New("no iat")
	}
	iat := time.Unix(*claims.IAT, 0)
	if iat.Before(now.Add(-s.opts.Window)) || iat.After(now.Add(s.opts.Window)) {
		return p, fmt.Errorf("iat %s is more than %v from the server's time %s", iat.UTC().Format(time.RFC3339), s.opts.Window, now.UTC().Format(time.RFC3339))
	}
	for j, exp := range s.jtis {
		if now.After(exp) {
			delete(s.jtis, j)
		}
	}
	if _, seen := s.jtis[claims.JTI]; seen {
		return p, fmt.Errorf("jti %q was used before", claims.JTI)
	}
	s.jtis[claims.JTI] = iat.Add(2 * s.opts.Window)
	return p, nil
}

// parseJWK parses a public EC P-256 JWK. Coordinates shorter than 32 bytes are
// accepted (aws-sdk-go-v2's logincreds drops their leading zeros).
func parseJWK(raw json.RawMessage) (*ecdsa.PublicKey, error) {
	var jwk map[string]any
	if err := json.Unmarshal(raw, &jwk); err != nil || jwk == nil {
		return nil, errors.New("not a JSON object")
	}
	if _, ok := jwk["d"]; ok {
		return nil, errors.New("it holds a private key")
	}
	if jwk["kty"] != "EC" || jwk["crv"] != "P-256" {
		return nil, fmt.Errorf("kty %v crv %v, want EC and P-256", jwk["kty"], jwk["crv"])
	}
	coord := func(name string) ([]byte, error) {
		s, _ := jwk[name].(string)
		b, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil || len(b) == 0 || len(b) > 32 {
			return nil, fmt.Errorf("%s is not a P-256 coordinate", name)
		}
		return append(make([]byte, 32-len(b)), b...), nil
	}
	x, err := coord("x")
	if err != nil {
		return nil, err
	}
	y, err := coord("y")
	if err != nil {
		return nil, err
	}
	key, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, x...), y...))
	if err != nil {
		return nil, errors.New("the point is not on P-256")
	}
	return key, nil
}

// decodePart decodes one base64url JSON part of a JWS.
func decodePart(part string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(part)
	if err != nil {
		return errors.New("not base64url")
	}
	if err := json.Unmarshal(b, v); err != nil {
		return errors.New("not a JSON object")
	}
	return nil
}

// writeJSON answers with status and v as JSON; code, if set, goes in
// X-Amzn-ErrorType too.
func writeJSON(w http.ResponseWriter, status int, v any, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-RequestId", "fake-signin-"+rand.Text()[:8])
	if code != "" {
		w.Header().Set("X-Amzn-ErrorType", code)
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

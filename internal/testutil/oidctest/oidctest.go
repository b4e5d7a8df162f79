package oidctest

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// DefaultClientID is the client ID (the aud and azp claims) of a Provider started by
// Start.
const DefaultClientID = "brs-test-client"

// KeyID is the key ID ("kid") under which the provider publishes its key and signs its
// tokens.
const KeyID = "brs-test-key"

// Subject is the "sub" claim of the tokens that Token signs.
const Subject = "brs-test-subject"

// Provider is a running loopback OpenID provider.
type Provider struct {
	// Issuer is the provider's URL, e.g. http://127.0.0.1:40123; it is the "iss" claim
	// of its tokens and the prefix of its discovery document's URL.
	Issuer string
	// ClientID is the audience of its tokens.
	ClientID string

	key *rsa.PrivateKey
	srv *httptest.Server
}

// Start starts a provider with a new 2048-bit RSA key and DefaultClientID, and stops
// it when the test ends.
func Start(t testing.TB) *Provider {
	t.Helper()
	p := &Provider{ClientID: DefaultClientID, key: NewKey(t)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", p.serveDiscovery)
	mux.HandleFunc("GET /jwks", p.serveJWKS)
	// The issuer is set before the server starts: the handlers read it, from requests
	// that nothing in this process orders after Start.
	p.srv = httptest.NewUnstartedServer(mux)
	p.Issuer = "http://" + p.srv.Listener.Addr().String()
	p.srv.Start()
	t.Cleanup(p.srv.Close)
	return p
}

// NewKey generates an RSA key, for a token that the provider's JWKS does not vouch
// for (SignWith).
func NewKey(t testing.TB) *rsa.PrivateKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatalf("oidctest: generating an RSA key: %v", err)
	}
	return k
}

// ConfigURL is the URL of the discovery document.
func (p *Provider) ConfigURL() string { return p.Issuer + "/.well-known/openid-configuration" }

// MinIOEnv returns the environment that makes a MinIO started after the provider
// accept its tokens in AssumeRoleWithWebIdentity.
func (p *Provider) MinIOEnv() []string {
	return []string{
		"MINIO_IDENTITY_OPENID_CONFIG_URL=" + p.ConfigURL(),
		"MINIO_IDENTITY_OPENID_CLIENT_ID=" + p.ClientID,
	}
}

// Claims returns the claims of a valid token that expires after lifetime (negative for
// one that has already expired): iss, sub, aud, azp, iat, exp, and "policy":
// "readwrite", which MinIO maps to its readwrite policy.
func (p *Provider) Claims(lifetime time.Duration) map[string]any {
	now := time.Now()
	iat := now
	if lifetime < 0 {
		iat = now.Add(2 * lifetime) // issued before it expired
	}
	return map[string]any{
		"iss":    p.Issuer,
		"sub":    Subject,
		"aud":    p.ClientID,
		"azp":    p.ClientID,
		"iat":    iat.Unix(),
		"exp":    now.Add(lifetime).Unix(),
		"policy": "readwrite",
	}
}

// Token returns a token with Claims(lifetime), signed with the provider's key.
func (p *Provider) Token(t testing.TB, lifetime time.Duration) string {
	t.Helper()
	return p.Sign(t, p.Claims(lifetime))
}

// Sign returns claims as a JWT signed with the provider's key.
func (p *Provider) Sign(t testing.TB, claims map[string]any) string {
	t.Helper()
	return SignWith(t, p.key, KeyID, claims)
}

// PublicKey is the public half of the provider's signing key.
func (p *Provider) PublicKey() *rsa.PublicKey { return &p.key.PublicKey }

// SignWith returns claims as an RS256 JWT with key ID kid, signed with key.
func SignWith(t testing.TB, key *rsa.PrivateKey, kid string, claims map[string]any) string {
	t.Helper()
	header, err := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT", "kid": kid})
	if err != nil {
		t.Fatalf("oidctest: %v", err)
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatalf("oidctest: encoding the claims: %v", err)
	}
	signed := b64(header) + "." + b64(payload)
	digest := sha256.Sum256([]byte(signed))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:])
	if err != nil {
		t.Fatalf("oidctest: signing: %v", err)
	}
	return signed + "." + b64(sig)
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func (p *Provider) serveDiscovery(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, map[string]any{
		"issuer":                                p.Issuer,
		"authorization_endpoint":                p.Issuer + "/authorize",
		"token_endpoint":                        p.Issuer + "/token",
		"jwks_uri":                              p.Issuer + "/jwks",
		"response_types_supported":              []string{"id_token"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"scopes_supported":                      []string{"openid"},
		"claims_supported":                      []string{"iss", "sub", "aud", "azp", "iat", "exp", "policy"},
	})
}

func (p *Provider) serveJWKS(w http.ResponseWriter, _ *http.Request) {
	pub := p.key.PublicKey
	writeJSON(w, map[string]any{
		"keys": []map[string]string{{
			"kty": "RSA",
			"use": "sig",
			"alg": "RS256",
			"kid": KeyID,
			"n":   b64(pub.N.Bytes()),
			"e":   b64(big.NewInt(int64(pub.E)).Bytes()),
		}},
	})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(v); err != nil {
		http.Error(w, fmt.Sprint(err), http.StatusInternalServerError)
	}
}

package oidctest_test

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/testutil/oidctest"
)

// TestTokenVerifiesAgainstJWKS follows the discovery document to the JWKS, as MinIO
// does, and checks a token's signature and claims with the published key.
func TestTokenVerifiesAgainstJWKS(t *testing.T) {
	p := oidctest.Start(t)
	var disc struct {
		Issuer  string   `json:"issuer"`
		JWKSURI string   `json:"jwks_uri"`
		Algs    []string `json:"id_token_signing_alg_values_supported"`
	}
	getJSON(t, p.ConfigURL(), &disc)
	if disc.Issuer != p.Issuer || !strings.HasPrefix(disc.JWKSURI, p.Issuer+"/") || len(disc.Algs) != 1 || disc.Algs[0] != "RS256" {
		t.Fatalf("discovery document %+v", disc)
	}
	var jwks struct {
		Keys []struct{ Kty, Kid, Alg, N, E string }
	}
	getJSON(t, disc.JWKSURI, &jwks)
	if len(jwks.Keys) != 1 || jwks.Keys[0].Kty != "RSA" || jwks.Keys[0].Kid != oidctest.KeyID {
		t.Fatalf("JWKS %+v", jwks)
	}
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(decode(t, jwks.Keys[0].N)), E: int(new(big.Int).SetBytes(decode(t, jwks.Keys[0].E)).Int64())}
	if !pub.Equal(p.PublicKey()) {
		t.Fatalf("the JWKS key is not the provider's")
	}

	token := p.Token(t, time.Hour)
	header, claims := verify(t, pub, token)
	if header["alg"] != "RS256" || header["kid"] != oidctest.KeyID {
		t.Errorf("header %v", header)
	}
	for k, want := range map[string]any{"iss": p.Issuer, "sub": oidctest.Subject, "aud": p.ClientID, "azp": p.ClientID, "policy": "readwrite"} {
		if claims[k] != want {
			t.Errorf("claim %s = %v, want %v", k, claims[k], want)
		}
	}
	exp := time.Unix(int64(claims["exp"].(float64)), 0)
	if d := time.Until(exp); d < 59*time.Minute || d > time.Hour {
		t.Errorf("exp in %v, want 1h", d)
	}

	_, expired := verify(t, pub, p.Token(t, -time.Minute))
	if exp, iat := expired["exp"].(float64), expired["iat"].(float64); exp > float64(time.Now().Unix()) || iat >= exp {
		t.Errorf("an expired token has iat %v, exp %v", iat, exp)
	}
}

// TestForeignKeyDoesNotVerify checks that SignWith's token under the provider's key ID
// does not verify with the provider's key.
func TestForeignKeyDoesNotVerify(t *testing.T) {
	p := oidctest.Start(t)
	token := oidctest.SignWith(t, oidctest.NewKey(t), oidctest.KeyID, p.Claims(time.Hour))
	parts := strings.Split(token, ".")
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if rsa.VerifyPKCS1v15(p.PublicKey(), crypto.SHA256, digest[:], decode(t, parts[2])) == nil {
		t.Fatal("a token signed with another key verifies with the provider's")
	}
}

func TestMinIOEnv(t *testing.T) {
	p := oidctest.Start(t)
	env := p.MinIOEnv()
	want := []string{
		"MINIO_IDENTITY_OPENID_CONFIG_URL=" + p.Issuer + "/.well-known/openid-configuration",
		"MINIO_IDENTITY_OPENID_CLIENT_ID=" + oidctest.DefaultClientID,
	}
	if strings.Join(env, "\n") != strings.Join(want, "\n") {
		t.Errorf("MinIOEnv() = %q, want %q", env, want)
	}
}

// verify checks token's RS256 signature with pub and returns its header and claims.
func verify(t *testing.T, pub *rsa.PublicKey, token string) (header, claims map[string]any) {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts", len(parts))
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], decode(t, parts[2])); err != nil {
		t.Fatalf("signature: %v", err)
	}
	if err := json.Unmarshal(decode(t, parts[0]), &header); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(decode(t, parts[1]), &claims); err != nil {
		t.Fatal(err)
	}
	return header, claims
}

func decode(t *testing.T, s string) []byte {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("base64url %q: %v", s, err)
	}
	return b
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("GET %s: %s %s", url, resp.Status, resp.Header.Get("Content-Type"))
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

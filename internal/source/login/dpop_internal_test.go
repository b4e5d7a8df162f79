package login

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"strings"
	"testing"
	"time"
)

// TestProofPadsCoordinates: the jwk's x and y are always 32 bytes, as RFC 7518
// requires, also for a key whose X has a leading zero byte (aws-sdk-go-v2's logincreds
// drops it, which a strict server refuses and which changes the key's thumbprint); the
// proof verifies with the jwk and carries the claims.
func TestProofPadsCoordinates(t *testing.T) {
	var key *ecdsa.PrivateKey
	for i := 0; i < 20000 && key == nil; i++ {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if pub, err := k.PublicKey.Bytes(); err == nil && pub[1] == 0 { // X starts with a zero byte
			key = k
		}
	}
	if key == nil {
		t.Fatal("no key with a short X in 20000 tries")
	}
	now := time.Unix(1_800_000_000, 0)
	p, err := proof(key, "https://eu-west-1.signin.aws.amazon.com/v1/token", now)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(p, ".")
	var header struct {
		Typ, Alg string
		JWK      map[string]string
	}
	var claims struct {
		JTI, HTM, HTU string
		IAT           int64
	}
	for i, v := range []any{&header, &claims} {
		b, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil || json.Unmarshal(b, v) != nil {
			t.Fatalf("part %d: %v", i, err)
		}
	}
	x, _ := base64.RawURLEncoding.DecodeString(header.JWK["x"])
	y, _ := base64.RawURLEncoding.DecodeString(header.JWK["y"])
	if len(x) != 32 || len(y) != 32 || header.Typ != "dpop+jwt" || header.Alg != "ES256" || header.JWK["crv"] != "P-256" || header.JWK["d"] != "" {
		t.Fatalf("header %+v (x %d bytes, y %d bytes)", header, len(x), len(y))
	}
	if claims.HTM != "POST" || claims.HTU != "https://eu-west-1.signin.aws.amazon.com/v1/token" || claims.IAT != now.Unix() || len(claims.JTI) != 36 {
		t.Errorf("claims %+v", claims)
	}
	sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
	d := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, x...), y...))
	if err != nil {
		t.Fatalf("the jwk is not a P-256 point: %v", err)
	}
	if len(sig) != 64 || !ecdsa.Verify(pub, d[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
		t.Error("the signature does not verify with the jwk")
	}
	if p2, _ := proof(key, claims.HTU, now); strings.Split(p2, ".")[1] == parts[1] {
		t.Error("two proofs share a jti")
	}
}

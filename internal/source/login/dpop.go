package login

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/signin"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// proof returns a DPoP proof (RFC 9449) of a POST to htu at now, signed with key:
// an ES256 JWT whose header carries the public key as a jwk (coordinates padded to
// 32 bytes, RFC 7518 section 6.2.1.2) and whose claims are a random jti, htm, htu and
// iat.
func proof(key *ecdsa.PrivateKey, htu string, now time.Time) (string, error) {
	pub, err := key.PublicKey.Bytes() // 0x04 || X || Y, each 32 bytes on P-256
	if err != nil || len(pub) != 65 {
		return "", fmt.Errorf("encoding the DPoP public key: %v", err)
	}
	enc := base64.RawURLEncoding.EncodeToString
	header, err := json.Marshal(map[string]any{"typ": "dpop+jwt", "alg": "ES256",
		"jwk": map[string]string{"kty": "EC", "crv": "P-256", "x": enc(pub[1:33]), "y": enc(pub[33:])}})
	if err != nil {
		return "", err
	}
	var id [16]byte
	if _, err := rand.Read(id[:]); err != nil {
		return "", err
	}
	id[6] = id[6]&0x0f | 0x40 // a version 4 UUID, as the SDKs send
	id[8] = id[8]&0x3f | 0x80
	jti := fmt.Sprintf("%x-%x-%x-%x-%x", id[0:4], id[4:6], id[6:8], id[8:10], id[10:])
	claims, err := json.Marshal(map[string]any{"jti": jti, "htm": "POST", "htu": htu, "iat": now.Unix()})
	if err != nil {
		return "", err
	}
	msg := enc(header) + "." + enc(claims)
	digest := sha256.Sum256([]byte(msg))
	r, s, err := ecdsa.Sign(rand.Reader, key, digest[:])
	if err != nil {
		return "", fmt.Errorf("signing the DPoP proof: %w", err)
	}
	sig := make([]byte, 64) // JWS ES256: r || s, each 32 bytes
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	return msg + "." + enc(sig), nil
}

// signDPoP adds a DPoP proof to each attempt of a sign-in request, for the URL it is
// sent to: a retry gets a proof of its own, with a new jti.
type signDPoP struct {
	key *ecdsa.PrivateKey
	now func() time.Time
}

// withDPoP makes a sign-in client sign each request with key.
func withDPoP(key *ecdsa.PrivateKey, now func() time.Time) func(*signin.Options) {
	return signin.WithAPIOptions(func(stack *middleware.Stack) error {
		return stack.Finalize.Add(&signDPoP{key: key, now: now}, middleware.After)
	})
}

// ID names the middleware.
func (*signDPoP) ID() string { return "brsSignDPoP" }

// HandleFinalize sets the DPoP header.
func (m *signDPoP) HandleFinalize(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
	req, ok := in.Request.(*smithyhttp.Request)
	if !ok {
		return middleware.FinalizeOutput{}, middleware.Metadata{}, fmt.Errorf("unexpected transport type %T", in.Request)
	}
	u := *req.URL
	u.RawQuery, u.Fragment, u.User = "", "", nil
	p, err := proof(m.key, u.String(), m.now())
	if err != nil {
		return middleware.FinalizeOutput{}, middleware.Metadata{}, err
	}
	req.Header.Set("DPoP", p)
	return next.HandleFinalize(ctx, in)
}

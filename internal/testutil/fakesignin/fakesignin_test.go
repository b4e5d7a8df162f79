package fakesignin_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/logincreds"
	"github.com/aws/aws-sdk-go-v2/service/signin"

	"github.com/brs-go/brs/internal/clock"
	"github.com/brs-go/brs/internal/testutil/fakesignin"
)

const (
	sessionName = "arn:aws:iam::111122223333:user/alice"
	account     = "111122223333"
)

// TestSDKRefresh: aws-sdk-go-v2's own logincreds provider, with its signin client,
// refreshes an expired session at the fake and writes the new credentials and
// refresh token back: the fake speaks the wire format the SDK expects and accepts the
// SDK's DPoP proofs.
func TestSDKRefresh(t *testing.T) {
	f := fakesignin.Start(t, fakesignin.Options{})
	sess := f.NewSession(t, sessionName, account, 12*time.Hour)
	dir := t.TempDir()
	path := sess.WriteCache(t, dir, time.Now().Add(-time.Minute))
	client := signin.New(signin.Options{Region: "us-east-1", BaseEndpoint: aws.String(f.URL)})
	p := logincreds.New(client, path)
	for i := range 2 {
		// The second time the SDK finds the credentials it wrote still valid.
		creds, err := p.Retrieve(context.Background())
		if err != nil {
			t.Fatalf("Retrieve %d: %v (calls %+v)", i, err, f.Calls())
		}
		if !strings.HasPrefix(creds.AccessKeyID, "ASIAFAKESIGNIN") || creds.AccessKeyID == sess.AccessKeyID || creds.AccountID != account {
			t.Errorf("credentials %+v", creds)
		}
		if d := time.Until(creds.Expires); d < 14*time.Minute || d > 15*time.Minute {
			t.Errorf("expires in %v, want 15m", d)
		}
	}
	if n := f.Issued(); n != 1 {
		t.Errorf("%d credentials issued, want 1", n)
	}
	var file struct{ RefreshToken string }
	b, err := os.ReadFile(path)
	if err != nil || json.Unmarshal(b, &file) != nil {
		t.Fatal(err)
	}
	if file.RefreshToken == sess.RefreshToken || !strings.HasPrefix(file.RefreshToken, "fake-signin-refresh-token-") {
		t.Errorf("the refresh token was not rotated: %q", file.RefreshToken)
	}
	// The spent refresh token is refused.
	if r := post(t, f, sess.Key, sess.RefreshToken, claims(f.URL+"/v1/token", time.Now())); r.Status != 400 || r.Code != "InvalidGrantException" {
		t.Errorf("spent refresh token: %+v", r)
	}
}

// TestRefusals: each check of the fake refuses a request that fails it, and the same
// request with that one thing fixed is accepted.
func TestRefusals(t *testing.T) {
	clk := clock.NewFake(time.Now())
	f := fakesignin.Start(t, fakesignin.Options{Clock: clk})
	url := f.URL + "/v1/token"
	other, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}

	sess := f.NewSession(t, sessionName, account, time.Hour)
	good := claims(url, clk.Now())
	for _, c := range []struct {
		name   string
		key    *ecdsa.PrivateKey
		claims map[string]any
		code   string
		reason string
	}{
		{"wrong key", other, claims(url, clk.Now()), "InvalidGrantException", "not bound"},
		{"stale iat", sess.Key, claims(url, clk.Now().Add(-2*time.Minute)), "ValidationException", "iat"},
		{"future iat", sess.Key, claims(url, clk.Now().Add(2*time.Minute)), "ValidationException", "iat"},
		{"wrong htu", sess.Key, claims(strings.Replace(url, "/v1/token", "/v1/other", 1), clk.Now()), "ValidationException", "htu"},
		{"wrong htm", sess.Key, with(claims(url, clk.Now()), "htm", "GET"), "ValidationException", "htm"},
		{"no jti", sess.Key, with(claims(url, clk.Now()), "jti", ""), "ValidationException", "jti"},
		{"good", sess.Key, good, "", ""},
		{"replayed jti", sess.Key, good, "ValidationException", "used before"},
	} {
		r := post(t, f, c.key, sess.RefreshToken, c.claims)
		if c.code == "" {
			if r.Status != 200 {
				t.Fatalf("%s: refused: %+v", c.name, r)
			}
			continue
		}
		if r.Status != 400 || r.Code != c.code || !strings.Contains(r.Reason, c.reason) {
			t.Errorf("%s: %+v, want 400 %s about %s", c.name, r, c.code, c.reason)
		}
	}

	// A bad signature: the proof of the right key, its signature from another.
	sess2 := f.NewSession(t, sessionName+"2", account, time.Hour)
	proof := sign(t, sess2.Key, claims(url, clk.Now()))
	forged := sign(t, other, claims(url, clk.Now()))
	proof = proof[:strings.LastIndex(proof, ".")] + forged[strings.LastIndex(forged, "."):]
	if r := postProof(t, f, proof, sess2.RefreshToken); r.Status != 400 || !strings.Contains(r.Reason, "signature") {
		t.Errorf("forged signature: %+v", r)
	}

	// An expired session: TOKEN_EXPIRED, as the SDKs expect it.
	clk.Advance(time.Hour)
	if r := post(t, f, sess2.Key, sess2.RefreshToken, claims(url, clk.Now())); r.Status != 400 || r.Code != "AccessDeniedException" {
		t.Errorf("expired session: %+v", r)
	}
}

// claims returns DPoP claims for a POST to url at iat with a fresh jti.
func claims(url string, iat time.Time) map[string]any {
	return map[string]any{"jti": rand.Text(), "htm": "POST", "htu": url, "iat": iat.Unix()}
}

func with(m map[string]any, k string, v any) map[string]any {
	m[k] = v
	return m
}

// sign makes a DPoP proof of claims with key, independently of the code under test.
func sign(t *testing.T, key *ecdsa.PrivateKey, claims map[string]any) string {
	t.Helper()
	pub, err := key.PublicKey.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding.EncodeToString
	h, _ := json.Marshal(map[string]any{"typ": "dpop+jwt", "alg": "ES256",
		"jwk": map[string]string{"kty": "EC", "crv": "P-256", "x": enc(pub[1:33]), "y": enc(pub[33:])}})
	c, _ := json.Marshal(claims)
	msg := enc(h) + "." + enc(c)
	d := sha256.Sum256([]byte(msg))
	r, s, err := ecdsa.Sign(rand.Reader, key, d[:])
	if err != nil {
		t.Fatal(err)
	}
	sig := make([]byte, 64)
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	return msg + "." + enc(sig)
}

func post(t *testing.T, f *fakesignin.Server, key *ecdsa.PrivateKey, refreshToken string, claims map[string]any) fakesignin.Call {
	t.Helper()
	return postProof(t, f, sign(t, key, claims), refreshToken)
}

// postProof sends a refresh request with proof and returns how the fake answered it.
func postProof(t *testing.T, f *fakesignin.Server, proof, refreshToken string) fakesignin.Call {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"clientId": fakesignin.ClientID, "grantType": "refresh_token", "refreshToken": refreshToken})
	req, err := http.NewRequest(http.MethodPost, f.URL+"/v1/token", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("DPoP", proof)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	calls := f.Calls()
	c := calls[len(calls)-1]
	if c.Status != resp.StatusCode {
		t.Fatalf("the fake recorded %d, answered %d", c.Status, resp.StatusCode)
	}
	return c
}

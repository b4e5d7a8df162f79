package webidentity_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/brs-go/brs/internal/source/webidentity"
	"github.com/brs-go/brs/internal/testutil/oidctest"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
	"github.com/brs-go/brs/plugin/plugintest"
	"github.com/brs-go/brs/shared"
)

// TestRefreshAtMinIO exchanges a JWT signed by the test's OpenID provider for
// credentials at a real MinIO, in-process and across the gRPC wire, and uses them
// against MinIO's S3 (the token's policy claim grants readwrite).
func TestRefreshAtMinIO(t *testing.T) {
	idp, srv := startIdPAndMinIO(t)
	path := tokenPath(t)
	token := idp.Token(t, time.Hour)
	writeToken(t, path, token)
	for name, r := range map[string]shared.Refresher{
		"in-process": webidentity.New(),
		"over gRPC":  plugintest.Connect(t, webidentity.New()),
	} {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			creds, err := sourcetest.Refresh(context.Background(), r, request(srv.Endpoint, fileConfig(path)))
			if err != nil {
				t.Fatalf("Refresh: %v", err)
			}
			if creds.AccessKeyID == "" || creds.SecretAccessKey == "" || creds.SessionToken == "" {
				t.Fatalf("incomplete credentials: %v", creds)
			}
			if want := start.Add(15 * time.Minute); creds.Expires.Location() != time.UTC ||
				creds.Expires.Before(want.Add(-time.Minute)) || creds.Expires.After(want.Add(time.Minute)) {
				t.Errorf("Expires = %v, want about %v (duration, not the token's exp), in UTC", creds.Expires, want.UTC())
			}
			bucket := "brs-webidentity-" + strings.ReplaceAll(strings.ToLower(name), " ", "-")
			if _, err := s3Client(srv, creds).CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
				t.Fatalf("CreateBucket with the readwrite credentials: %v", err)
			}
			listBuckets(t, srv, creds)
		})
	}
}

// TestTokenRotationAtMinIO replaces the token file the way the kubelet does (a new
// directory, then an atomic swap of the ..data symlink that token points through)
// and checks that every refresh uses the token the file holds at that moment: a
// valid token, then one MinIO refuses, then a new valid one, then an expired one,
// then a valid one again.
func TestTokenRotationAtMinIO(t *testing.T) {
	idp, srv := startIdPAndMinIO(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "token")
	if err := os.Symlink(filepath.Join("..data", "token"), path); err != nil {
		t.Fatal(err)
	}
	generation := 0
	rotate := func(token string) {
		t.Helper()
		generation++
		gen := filepath.Join(dir, "..gen"+string(rune('0'+generation)))
		if err := os.Mkdir(gen, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(gen, "token"), []byte(token), 0o600); err != nil {
			t.Fatal(err)
		}
		tmp := filepath.Join(dir, "..data_tmp")
		if err := os.Symlink(filepath.Base(gen), tmp); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, filepath.Join(dir, "..data")); err != nil {
			t.Fatal(err)
		}
	}
	r := webidentity.New()
	refresh := func() (shared.Credentials, error) {
		return sourcetest.Refresh(context.Background(), r, request(srv.Endpoint, fileConfig(path)))
	}

	first := idp.Token(t, time.Hour)
	rotate(first)
	c1, err := refresh()
	if err != nil {
		t.Fatalf("first token: %v", err)
	}
	listBuckets(t, srv, c1)

	foreign := oidctest.SignWith(t, oidctest.NewKey(t), oidctest.KeyID, idp.Claims(time.Hour))
	rotate(foreign)
	_, err = refresh()
	e := sharedError(t, err, "InvalidParameterValue", false, foreign, first)
	if !strings.Contains(e.Message, "verification error") {
		t.Errorf("message %q does not relay MinIO's reason", e.Message)
	}

	second := idp.Token(t, time.Hour)
	rotate(second)
	c2, err := refresh()
	if err != nil {
		t.Fatalf("rotated token: %v", err)
	}
	if c2.AccessKeyID == c1.AccessKeyID {
		t.Errorf("the refresh after the rotation returned the old key %q", c1.AccessKeyID)
	}
	listBuckets(t, srv, c2)

	expired := idp.Token(t, -time.Minute)
	rotate(expired)
	_, err = refresh()
	sharedError(t, err, "TokenExpired", true, expired)

	rotate(idp.Token(t, time.Hour))
	if _, err := refresh(); err != nil {
		t.Fatalf("after the expired token, a fresh one: %v", err)
	}
}

// TestRefusedTokensAtMinIO checks the errors for tokens that MinIO's STS refuses, or
// that brs refuses before calling it: each says what is wrong and none repeats the
// token.
func TestRefusedTokensAtMinIO(t *testing.T) {
	idp, srv := startIdPAndMinIO(t)
	wrongAudience := idp.Claims(time.Hour)
	wrongAudience["aud"], wrongAudience["azp"] = "someone-else", "someone-else"
	cases := []struct {
		name, token, code string
		retryable         bool
		want              string
	}{
		{"expired", idp.Token(t, -time.Minute), "TokenExpired", true, "expired at"},
		{"another key", oidctest.SignWith(t, oidctest.NewKey(t), oidctest.KeyID, idp.Claims(time.Hour)), "InvalidParameterValue", false, "crypto/rsa: verification error"},
		{"unknown key ID", oidctest.SignWith(t, oidctest.NewKey(t), "rotated-away", idp.Claims(time.Hour)), "InvalidParameterValue", false, "No public key found for kid rotated-away"},
		{"wrong audience", idp.Sign(t, wrongAudience), "InvalidParameterValue", false, "must match configured OpenID Client ID"},
		{"not a JWT", "not-a-jwt-but-a-long-opaque-token", "InvalidParameterValue", false, "invalid number of segments"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := tokenPath(t)
			writeToken(t, path, c.token)
			_, err := sourcetest.Refresh(context.Background(), webidentity.New(), request(srv.Endpoint, fileConfig(path)))
			e := sharedError(t, err, c.code, c.retryable, c.token)
			if !strings.Contains(e.Message, c.want) || !strings.Contains(e.Message, path) {
				t.Errorf("message %q does not contain %q and the token file's path", e.Message, c.want)
			}
		})
	}
}

// TestMissingTokenFileAtMinIO checks that a token file that is not there yet is a
// retryable error naming it, and that the refresh succeeds once it appears.
func TestMissingTokenFileAtMinIO(t *testing.T) {
	idp, srv := startIdPAndMinIO(t)
	path := tokenPath(t)
	r := webidentity.New()
	_, err := sourcetest.Refresh(context.Background(), r, request(srv.Endpoint, fileConfig(path)))
	e := sharedError(t, err, "TokenFileMissing", true)
	if !strings.Contains(e.Message, path) || !strings.Contains(e.Message, "tries again") {
		t.Errorf("message %q", e.Message)
	}
	writeToken(t, path, idp.Token(t, time.Hour))
	creds, err := sourcetest.Refresh(context.Background(), r, request(srv.Endpoint, fileConfig(path)))
	if err != nil {
		t.Fatalf("after the file appeared: %v", err)
	}
	listBuckets(t, srv, creds)
}

// TestTokenCommandAtMinIO gets the token from token_command.
func TestTokenCommandAtMinIO(t *testing.T) {
	idp, srv := startIdPAndMinIO(t)
	path := tokenPath(t)
	writeToken(t, path, idp.Token(t, time.Hour))
	cfg := `{"role_arn": "arn:aws:iam::111122223333:role/ci", "token_command": "echo 'fetching an ID token' >&2; cat '` + path + `'"}`
	creds, err := sourcetest.Refresh(context.Background(), webidentity.New(webidentity.WithStderr(&strings.Builder{})), request(srv.Endpoint, cfg))
	if err != nil {
		t.Fatal(err)
	}
	listBuckets(t, srv, creds)
	if d := time.Until(creds.Expires); d < 59*time.Minute || d > time.Hour {
		t.Errorf("credentials expire in %v, want the default 1h", d)
	}
}

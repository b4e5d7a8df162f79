package sts_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/brs-go/brs/internal/keyring"
	"github.com/brs-go/brs/internal/source/sts"
	"github.com/brs-go/brs/internal/testutil/fakests"
	"github.com/brs-go/brs/shared"
)

// TestKeyringKeySignsAssumeRole: with keyring = "NAME" the long-term key from the
// keyring (the encrypted file backend) signs AssumeRole, checked by the verifying fake
// STS (it verifies SigV4 with the user's secret), not the environment's key.
func TestKeyringKeySignsAssumeRole(t *testing.T) {
	const id, secret = "AKIASTSKEYRINGTEST01", "sts/keyring+test-secret-access-key-00000001"
	f := fakests.StartVerifying(t, fakests.VerifyingOptions{Users: map[string]string{id: secret}})
	dir := t.TempDir()
	t.Setenv(keyring.EnvBackend, "file")
	t.Setenv(keyring.EnvDir, filepath.Join(dir, "keyring"))
	t.Setenv(keyring.EnvPassphrase, "sts keyring test")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIANOTTHEKEYRINGS01")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "not-the-keyring-secret-00000000000")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "none"))
	s, err := keyring.Open(keyring.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Set("ci", keyring.Key{AccessKeyID: id, SecretAccessKey: secret}); err != nil {
		t.Fatal(err)
	}
	req := func(cfg string) *shared.RefreshRequest {
		return &shared.RefreshRequest{Role: "r", Region: "us-east-1", Endpoint: f.URL, Config: shared.Config(cfg)}
	}
	r := sts.New()
	resp, err := r.Refresh(context.Background(), req(`{"role_arn": "arn:aws:iam::444455556666:role/ci", "keyring": "ci"}`))
	if err != nil || !strings.Contains(resp.Credentials.ARN, "assumed-role/ci/") {
		t.Fatalf("got %v, %v", resp, err)
	}
	if got := f.Requests()[0].Get("DurationSeconds"); got != "3600" {
		t.Errorf("DurationSeconds %s", got)
	}
	// Without it the environment's key signs, and the fake does not know it.
	_, err = r.Refresh(context.Background(), req(`{"role_arn": "arn:aws:iam::444455556666:role/ci"}`))
	var e *shared.Error
	if !errors.As(err, &e) || e.Code != "InvalidClientTokenId" {
		t.Errorf("without keyring: %v", err)
	}
	_, err = r.Refresh(context.Background(), req(`{"role_arn": "arn:aws:iam::444455556666:role/ci", "keyring": "nobody"}`))
	if !errors.As(err, &e) || e.Code != "KeyNotFound" || e.Retryable {
		t.Errorf("unknown key: %v", err)
	}
	for _, cfg := range []string{`{"role_arn": "arn:aws:iam::1:role/x", "keyring": "a b"}`, `{"role_arn": "arn:aws:iam::1:role/x", "keyring": "a", "profile": "p"}`} {
		v, _ := r.Validate(context.Background(), &shared.ValidateRequest{Config: shared.Config(cfg)})
		if !v.Diagnostics.HasErrors() {
			t.Errorf("%s accepted", cfg)
		}
	}
}

package oidctest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/brs-go/brs/internal/testutil/miniotest"
)

// StartWithMinIO starts a provider and then a MinIO that trusts it, and waits until
// MinIO can grant the "readwrite" policy that Claims names. Both stop when the test
// ends.
//
// MinIO reports ready before its IAM subsystem has loaded its policies; until then,
// AssumeRoleWithWebIdentity refuses every token with "None of the given policies
// (`readwrite`) are defined" (AssumeRole signed by the root user is not affected).
// Listing the canned policies through the admin API fills MinIO's policy cache,
// built-in policies included, as a side effect, so StartWithMinIO asks for that list
// until it names readwrite; the admin API answers 503 until IAM is initialized.
func StartWithMinIO(t testing.TB) (*Provider, *miniotest.Server) {
	t.Helper()
	p := Start(t)
	srv := miniotest.Start(t, p.MinIOEnv()...)
	if err := waitForPolicy(srv.Endpoint, "readwrite", 30*time.Second); err != nil {
		t.Fatalf("oidctest: %v", err)
	}
	return p, srv
}

// waitForPolicy polls MinIO's admin API (GET /minio/admin/v3/list-canned-policies,
// signed with the root user) until the canned policy name is listed.
func waitForPolicy(endpoint, name string, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	last := "no answer"
	for {
		ok, status, err := hasPolicy(ctx, endpoint, name)
		switch {
		case ok:
			return nil
		case err != nil:
			last = err.Error()
		default:
			last = status
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("MinIO at %s did not list the %q policy within %v (last answer: %s)", endpoint, name, limit, last)
		case <-tick.C:
		}
	}
}

// emptyPayloadHash is the SHA-256 of an empty body, which SigV4 signs.
var emptyPayloadHash = func() string { h := sha256.Sum256(nil); return hex.EncodeToString(h[:]) }()

func hasPolicy(ctx context.Context, endpoint, name string) (bool, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint+"/minio/admin/v3/list-canned-policies", nil)
	if err != nil {
		return false, "", err
	}
	req.Header.Set("X-Amz-Content-Sha256", emptyPayloadHash)
	creds := aws.Credentials{AccessKeyID: miniotest.RootUser, SecretAccessKey: miniotest.RootPassword}
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, emptyPayloadHash, "s3", "us-east-1", time.Now()); err != nil {
		return false, "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false, "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return false, resp.Status, nil
	}
	var policies map[string]json.RawMessage
	if err := json.NewDecoder(resp.Body).Decode(&policies); err != nil {
		return false, "", err
	}
	_, ok := policies[name]
	return ok, fmt.Sprintf("%d policies, not %q", len(policies), name), nil
}

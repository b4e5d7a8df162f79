package sso_test

import (
	"context"
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/ssocreds"
	awssso "github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"

	"github.com/brs-go/brs/internal/source/sso"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
	"github.com/brs-go/brs/internal/testutil/ssotest"
)

// The secrets of testdata/aws-cli-v2-sso-session.json.
const (
	fixtureAccessToken  = "aoaAAAAAGfixture-access-token-from-the-aws-cli"
	fixtureRefreshToken = "aorAAAAAGfixture-refresh-token-from-the-aws-cli"
	fixtureClientID     = "fixture-client-id-from-register-client"
	fixtureClientSecret = "eyJraWQiOiJrZXktZml4dHVyZSJ9.fixture-client-secret"
)

// copyFixture copies a testdata file to key's cache file in dir.
func copyFixture(t *testing.T, name, dir, key string) string {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	path := cacheFile(dir, key)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestAWSCLIAndSDKShareTheCache goes round the cache with aws-sdk-go-v2's own
// ssocreds: brs renews the expired token of a file the AWS CLI wrote; the SDK reads
// the file brs wrote, gets credentials with its token, and renews it in turn with the
// refresh token brs saved; brs then reads the file the SDK wrote.
func TestAWSCLIAndSDKShareTheCache(t *testing.T) {
	f, dir := ssotest.Start(t), t.TempDir()
	f.AddRefreshToken(fixtureRefreshToken)
	f.AddClient(fixtureClientID, fixtureClientSecret)
	f.AssignRole(account, roleName)
	path := copyFixture(t, "aws-cli-v2-sso-session.json", dir, session)
	ctx := context.Background()

	// brs renews the AWS CLI's expired token.
	r := sso.New()
	if _, err := sourcetest.Refresh(ctx, r, request(f, sessionConfig(dir, f))); err != nil {
		t.Fatalf("brs with the AWS CLI's file: %v", err)
	}
	brsToken := f.TokenCalls()[0].AccessToken
	if calls := f.PortalCalls(); len(calls) != 1 || calls[0].AccessToken != brsToken || brsToken == fixtureAccessToken {
		t.Errorf("the portal did not get the renewed token but %+v", calls)
	}

	// The SDK reads brs's file as it is.
	oidc := ssooidc.New(ssooidc.Options{Region: region, BaseEndpoint: aws.String(f.URL)})
	portal := awssso.New(awssso.Options{Region: region, BaseEndpoint: aws.String(f.URL)})
	tp := ssocreds.NewSSOTokenProvider(oidc, path)
	bt, err := tp.RetrieveBearerToken(ctx)
	if err != nil {
		t.Fatalf("the SDK's SSOTokenProvider reading brs's file: %v", err)
	}
	if bt.Value != brsToken || time.Until(bt.Expires) < 59*time.Minute {
		t.Errorf("the SDK read token %q expiring %v; want brs's %q, an hour away", bt.Value, bt.Expires, brsToken)
	}
	creds, err := ssocreds.New(portal, account, roleName, startURL, func(o *ssocreds.Options) {
		o.CachedTokenFilepath = path
	}).Retrieve(ctx)
	if err != nil {
		t.Fatalf("the SDK's ssocreds.Provider with brs's file: %v", err)
	}
	if calls := f.PortalCalls(); creds.AccessKeyID != calls[len(calls)-1].AccessKeyID || calls[len(calls)-1].AccessToken != brsToken {
		t.Errorf("the SDK's credentials %v did not come from brs's token", creds)
	}

	// Once brs's token has expired, the SDK renews it with the rotated refresh token
	// brs saved.
	fields := readCache(t, path)
	fields["expiresAt"] = stamp(time.Now().Add(-time.Minute))
	writeCache(t, dir, session, fields)
	bt, err = tp.RetrieveBearerToken(ctx)
	if err != nil {
		t.Fatalf("the SDK renewing brs's token: %v", err)
	}
	calls := f.TokenCalls()
	if fields["refreshToken"] == fixtureRefreshToken {
		t.Errorf("brs saved the spent refresh token instead of the rotated one")
	}
	if len(calls) != 2 || calls[1].Status != 200 || calls[1].RefreshToken != fields["refreshToken"] || bt.Value != calls[1].AccessToken {
		t.Fatalf("the SDK's renewal: %+v", calls)
	}

	// brs reads the file the SDK wrote.
	if _, err := sourcetest.Refresh(ctx, sso.New(), request(f, sessionConfig(dir, f))); err != nil {
		t.Fatalf("brs with the SDK's file: %v", err)
	}
	if last := f.PortalCalls(); last[len(last)-1].AccessToken != bt.Value {
		t.Errorf("brs did not use the token the SDK saved")
	}
	if n := len(f.TokenCalls()); n != 2 {
		t.Errorf("brs renewed the SDK's fresh token")
	}
	var doc map[string]any
	data, _ := os.ReadFile(path)
	if err := json.Unmarshal(data, &doc); err != nil || doc["registrationExpiresAt"] != "2099-02-22T10:00:00Z" || doc["region"] != region {
		t.Errorf("the fields the AWS CLI needs did not survive the round trip: %v", err)
	}
}

// TestAWSCLILegacyFile checks that brs reads a legacy token file in the timestamp
// format of early AWS CLI v2 releases ("…UTC", which aws-sdk-go-v2 cannot parse).
func TestAWSCLILegacyFile(t *testing.T) {
	f, dir := ssotest.Start(t), t.TempDir()
	f.AddAccessToken("aoaAAAAAGfixture-legacy-access-token")
	f.AssignRole(account, roleName)
	copyFixture(t, "aws-cli-v2-legacy.json", dir, startURL)
	cfg := mustJSON(map[string]string{"start_url": startURL, "sso_region": region, "account_id": account, "role_name": roleName, "cache_dir": dir})
	creds, err := sourcetest.Refresh(context.Background(), sso.New(), request(f, cfg))
	if err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	checkCredentials(t, f, creds, "aoaAAAAAGfixture-legacy-access-token")
}

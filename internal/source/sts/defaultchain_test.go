package sts_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/brs-go/brs/internal/source/sts"
	"github.com/brs-go/brs/internal/testutil/miniotest"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
	"github.com/brs-go/brs/shared"
)

// isolateAWSEnv clears every setting the default AWS chain reads from the environment
// and points it at shared config files that do not exist.
func isolateAWSEnv(t *testing.T) {
	for _, k := range []string{
		"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
		"AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ROLE_ARN",
		"AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
		"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN",
		"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS", "AWS_MAX_ATTEMPTS", "AWS_EC2_METADATA_DISABLED",
	} {
		t.Setenv(k, "")
	}
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "no-config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "no-credentials"))
}

// TestDefaultChainAtMinIO refreshes with no source credentials: the AWS environment
// variables sign AssumeRole.
func TestDefaultChainAtMinIO(t *testing.T) {
	srv := startMinIO(t)
	isolateAWSEnv(t)
	t.Setenv("AWS_ACCESS_KEY_ID", miniotest.RootUser)
	t.Setenv("AWS_SECRET_ACCESS_KEY", miniotest.RootPassword)

	r := sts.New()
	req := minioRequest(srv, minimalConfig)
	req.Source = nil
	creds, err := sourcetest.Refresh(context.Background(), r, req)
	if err != nil {
		t.Fatalf("Refresh with the default chain: %v", err)
	}
	listBuckets(t, srv, creds)

	// The default config is loaded once: a later change of the environment does not
	// reach a Refresher that has already loaded it.
	t.Setenv("AWS_SECRET_ACCESS_KEY", "changed-after-the-first-refresh")
	if _, err := sourcetest.Refresh(context.Background(), r, req); err != nil {
		t.Fatalf("second Refresh with the cached default config: %v", err)
	}
	_, err = sourcetest.Refresh(context.Background(), sts.New(), req)
	permanentError(t, err, "AccessDenied")
}

// TestDefaultChainWithoutCredentials checks that no credentials anywhere is a permanent
// error that says what to set.
func TestDefaultChainWithoutCredentials(t *testing.T) {
	isolateAWSEnv(t)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	f := startFakeSTS(t)
	req := fakeRequest(f, minimalConfig)
	req.Source = nil
	_, err := sourcetest.Refresh(context.Background(), sts.New(), req)
	e := permanentError(t, err, "NoCredentials")
	for _, want := range []string{"AWS_PROFILE", "AWS_ACCESS_KEY_ID", "source_role"} {
		if !strings.Contains(e.Message, want) {
			t.Errorf("message %q does not mention %s", e.Message, want)
		}
	}
	if n := len(f.Requests()); n != 0 {
		t.Errorf("STS was called %d times without credentials", n)
	}
}

// TestEmptySourceCredentials checks that empty chained credentials are refused before
// any call.
func TestEmptySourceCredentials(t *testing.T) {
	f := startFakeSTS(t)
	req := fakeRequest(f, minimalConfig)
	req.Source = &shared.Credentials{}
	_, err := sourcetest.Refresh(context.Background(), sts.New(), req)
	permanentError(t, err, "NoCredentials")
	if n := len(f.Requests()); n != 0 {
		t.Errorf("STS was called %d times with empty credentials", n)
	}
}

// TestRegion checks which region signs AssumeRole: the role's, else the default
// config's, else us-east-1; with source credentials and without.
func TestRegion(t *testing.T) {
	cases := []struct {
		name, roleRegion, envRegion string
		chained                     bool
		want                        string
	}{
		{"role region, chained", "eu-west-1", "ap-south-1", true, "eu-west-1"},
		{"role region, default chain", "eu-west-1", "ap-south-1", false, "eu-west-1"},
		{"AWS_REGION, chained", "", "ap-south-1", true, "ap-south-1"},
		{"AWS_REGION, default chain", "", "ap-south-1", false, "ap-south-1"},
		{"fallback, chained", "", "", true, "us-east-1"},
		{"fallback, default chain", "", "", false, "us-east-1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			isolateAWSEnv(t)
			t.Setenv("AWS_REGION", c.envRegion)
			t.Setenv("AWS_ACCESS_KEY_ID", "AKIAENVIRONMENT00001")
			t.Setenv("AWS_SECRET_ACCESS_KEY", "environment-secret")
			f := startFakeSTS(t)
			req := fakeRequest(f, minimalConfig)
			req.Region = c.roleRegion
			wantKey := req.Source.AccessKeyID
			if !c.chained {
				req.Source = nil
				wantKey = "AKIAENVIRONMENT00001"
			}
			if _, err := sourcetest.Refresh(context.Background(), sts.New(), req); err != nil {
				t.Fatalf("Refresh: %v", err)
			}
			auth := f.Authorizations()[0]
			if !strings.Contains(auth, "Credential="+wantKey+"/") || !strings.Contains(auth, "/"+c.want+"/sts/aws4_request") {
				t.Errorf("Authorization %q: want credentials %s in %s", auth, wantKey, c.want)
			}
		})
	}
}

// TestProfileAtMinIO signs AssumeRole with the keys of the AWS profile the role names,
// read from the shared credentials file: they win over other keys in the environment
// and over AWS_PROFILE, as --profile does for the AWS CLI. A profile that does not
// exist, or one named together with source credentials, is a permanent error that
// names it.
func TestProfileAtMinIO(t *testing.T) {
	srv := startMinIO(t)
	isolateAWSEnv(t)
	dir := t.TempDir()
	config := filepath.Join(dir, "config")
	creds := filepath.Join(dir, "credentials")
	// base's endpoint_url is not the role's: only its keys are used.
	writeFile(t, config, "[profile other]\nregion = eu-west-1\n\n[profile base]\nregion = us-east-1\nendpoint_url = http://127.0.0.1:1\n\n[profile minio]\nendpoint_url = "+srv.Endpoint+"\n")
	writeFile(t, creds, "[base]\naws_access_key_id = "+miniotest.RootUser+"\naws_secret_access_key = "+miniotest.RootPassword+"\n[minio]\naws_access_key_id = "+miniotest.RootUser+"\naws_secret_access_key = "+miniotest.RootPassword+"\n")
	t.Setenv("AWS_CONFIG_FILE", config)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", creds)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAWRONGENVIRONMENT")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wrong-environment-secret")
	t.Setenv("AWS_PROFILE", "other")

	r := sts.New()
	req := minioRequest(srv, `{"role_arn": "arn:aws:iam::111122223333:role/brs-test", "duration": "15m", "profile": "base"}`)
	req.Source = nil
	got, err := sourcetest.Refresh(context.Background(), r, req)
	if err != nil {
		t.Fatalf("Refresh with profile base: %v", err)
	}
	listBuckets(t, srv, got)

	// A role without an endpoint does not go to the endpoint_url of the profile that
	// signs it (here MinIO, which would accept the keys): it goes to AWS STS, out of
	// reach here.
	noEndpoint := minioRequest(srv, `{"role_arn": "arn:aws:iam::111122223333:role/brs-test", "duration": "15m", "profile": "minio"}`)
	noEndpoint.Source, noEndpoint.Endpoint = nil, ""
	if _, err := sourcetest.Refresh(context.Background(), r, noEndpoint); err == nil {
		t.Error("a role without an endpoint was served at its signing profile's endpoint_url")
	}

	req.Config = shared.Config(`{"role_arn": "arn:aws:iam::111122223333:role/brs-test", "profile": "nope"}`)
	_, err = sourcetest.Refresh(context.Background(), r, req)
	if e := permanentError(t, err, "InvalidAWSConfig"); !strings.Contains(e.Message, `"nope"`) {
		t.Errorf("message %q does not name the profile", e.Message)
	}

	req.Config = shared.Config(`{"role_arn": "arn:aws:iam::111122223333:role/brs-test", "profile": "base"}`)
	req.Source = rootCreds()
	_, err = sourcetest.Refresh(context.Background(), r, req)
	if e := permanentError(t, err, "InvalidConfig"); !strings.Contains(e.Message, "source_role") {
		t.Errorf("message %q does not name source_role", e.Message)
	}
	for _, s := range []string{miniotest.RootPassword, "wrong-environment-secret"} {
		if strings.Contains(err.Error(), s) {
			t.Errorf("error holds a secret: %v", err)
		}
	}
}

// writeFile writes s to path, mode 0600.
func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestMFACommandEnvironmentAtMinIO: with the base credentials in the environment,
// mfa_token_command gets the seed its role sets in env and the variable it names in
// inherit_env, and neither the base secret key nor its key ID: a command that dumps
// its environment finds no AWS secret.
func TestMFACommandEnvironmentAtMinIO(t *testing.T) {
	srv := startMinIO(t)
	isolateAWSEnv(t)
	t.Setenv("AWS_ACCESS_KEY_ID", miniotest.RootUser)
	t.Setenv("AWS_SECRET_ACCESS_KEY", miniotest.RootPassword)
	t.Setenv("BRS_TEST_LISTED", "listed-value")
	t.Setenv("BRS_TEST_UNLISTED", "unlisted-value")
	dump := filepath.Join(t.TempDir(), "env")
	req := minioRequest(srv, `{"role_arn": "arn:aws:iam::111122223333:role/brs-test", "mfa_serial": "arn:aws:iam::111122223333:mfa/alice",
		"mfa_token_command": "env > `+dump+`; [ \"$OTP_SEED\" = seed-from-env ] && echo 123456",
		"env": {"OTP_SEED": "seed-from-env"}, "inherit_env": ["BRS_TEST_LISTED"]}`)
	req.Source = nil
	creds, err := sourcetest.Refresh(context.Background(), sts.New(), req)
	if err != nil {
		t.Fatalf("Refresh with MFA: %v", err)
	}
	listBuckets(t, srv, creds)
	b, err := os.ReadFile(dump)
	if err != nil {
		t.Fatal(err)
	}
	env := string(b)
	for _, want := range []string{"OTP_SEED=seed-from-env\n", "BRS_TEST_LISTED=listed-value\n"} {
		if !strings.Contains(env, want) {
			t.Errorf("the command's environment lacks %q", want)
		}
	}
	for _, leaked := range []string{miniotest.RootPassword, miniotest.RootUser, "unlisted-value", "AWS_"} {
		if strings.Contains(env, leaked) {
			t.Errorf("the command's environment holds %q", leaked)
		}
	}
}

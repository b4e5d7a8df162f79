package ecs_test

import (
	"github.com/brs-go/brs/internal/testutil/fifotest"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/source/ecs"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
	"github.com/brs-go/brs/plugin/plugintest"
	"github.com/brs-go/brs/shared"
)

func TestRefresh(t *testing.T) {
	f := startFakeAgent(t, "")
	for via, r := range map[string]shared.Refresher{"in-process": ecs.New(), "over gRPC": plugintest.Connect(t, ecs.New())} {
		t.Run(via, func(t *testing.T) {
			before := time.Now()
			creds, err := refresh(t, r, map[string]string{"uri": f.url()})
			if err != nil {
				t.Fatalf("Refresh: %v", err)
			}
			akid, secret, token := fakeCredentials(f.servedCount())
			if creds.AccessKeyID != akid || creds.SecretAccessKey != secret || creds.SessionToken != token {
				t.Errorf("got %v, want the agent's %s with its secret and token", creds, akid)
			}
			if !creds.Expires.After(before.Add(59*time.Minute)) || creds.Expires.Location() != time.UTC {
				t.Errorf("Expires = %v, want an hour from now in UTC", creds.Expires)
			}
			if creds.ARN != fakeRoleARN || creds.AccountID != "123456789012" {
				t.Errorf("ARN %q, account %q; want %q and the account of its ARN", creds.ARN, creds.AccountID, fakeRoleARN)
			}
		})
	}
	if got := f.authorizations(); !slices.Equal(got, []string{"", ""}) {
		t.Errorf("Authorization headers %q, want none sent without a token", got)
	}
}

func TestAccountID(t *testing.T) {
	f := startFakeAgent(t, "")
	exp := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	f.answer(`{"AccessKeyId": "ASIAX", "SecretAccessKey": "s", "Token": "t", "Expiration": "` + exp +
		`", "AccountId": "444455556666", "RoleArn": "arn:aws:iam::111122223333:role/r", "Extra": 1}`)
	creds, err := refresh(t, ecs.New(), map[string]string{"uri": f.url()})
	if err != nil {
		t.Fatal(err)
	}
	if creds.AccountID != "444455556666" {
		t.Errorf("AccountID = %q, want the answer's AccountId 444455556666", creds.AccountID)
	}
}

func TestToken(t *testing.T) {
	f := startFakeAgent(t, secretToken)
	if _, err := refresh(t, ecs.New(), map[string]string{"uri": f.url(), "token": secretToken}); err != nil {
		t.Fatalf("Refresh with the token: %v", err)
	}
	_, err := refresh(t, ecs.New(), map[string]string{"uri": f.url()})
	sourcetest.WantError(t, err, "InvalidToken", false, "HTTP 401", "set token or token_file")
	_, err = refresh(t, ecs.New(), map[string]string{"uri": f.url(), "token": "Bearer wrong"})
	sourcetest.WantError(t, err, "InvalidToken", false, "HTTP 401", "check token / token_file")
	if got, want := f.authorizations(), []string{secretToken, "", "Bearer wrong"}; !slices.Equal(got, want) {
		t.Errorf("Authorization headers %q, want %q", got, want)
	}
}

// TestTokenFile checks that the token file is read at every refresh, as EKS Pod
// Identity rotates it, and that the agent sees each new token.
func TestTokenFile(t *testing.T) {
	f := startFakeAgent(t, "eks-pod-identity-token-one")
	file := filepath.Join(t.TempDir(), "eks-pod-identity-token")
	write := func(s string) {
		t.Helper()
		if err := os.WriteFile(file, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	r := ecs.New()
	attrs := map[string]string{"uri": f.url(), "token_file": file}

	write("eks-pod-identity-token-one\n") // a trailing newline is trimmed
	if _, err := refresh(t, r, attrs); err != nil {
		t.Fatalf("Refresh with the first token: %v", err)
	}
	write("eks-pod-identity-token-two")
	f.setToken("eks-pod-identity-token-two")
	creds, err := refresh(t, r, attrs)
	if err != nil {
		t.Fatalf("Refresh after the rotation: %v", err)
	}
	if want, _, _ := fakeCredentials(2); creds.AccessKeyID != want {
		t.Errorf("after the rotation got %s, want %s", creds.AccessKeyID, want)
	}
	f.setToken("eks-pod-identity-token-three") // the agent moved on, the file did not
	_, err = refresh(t, r, attrs)
	sourcetest.WantError(t, err, "InvalidToken", false, "HTTP 401", "token_file")

	want := []string{"eks-pod-identity-token-one", "eks-pod-identity-token-two", "eks-pod-identity-token-two"}
	if got := f.authorizations(); !slices.Equal(got, want) {
		t.Errorf("the agent got Authorization %q, want %q", got, want)
	}
}

func TestTokenFileProblems(t *testing.T) {
	f := startFakeAgent(t, "")
	dir := t.TempDir()
	file := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	zero, fifo := filepath.Join(dir, "zero"), filepath.Join(dir, "fifo")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	if err := fifotest.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, path string
		want       []string
	}{
		{"missing", filepath.Join(dir, "missing"), []string{"missing", "no such file", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"}},
		{"a directory", dir, []string{dir, "is a directory"}},
		{"empty", file("empty", " \n"), []string{"empty"}},
		{"two lines", file("two", "token-line-one\ntoken-line-two\n"), []string{"more than one line"}},
		{"too large", file("large", strings.Repeat("t", 64<<10+1)), []string{"larger than 64 KiB"}},
		{"a symlink to /dev/zero", zero, []string{"it is a character device, not a regular file"}},
		{"a named pipe", fifo, []string{"it is a named pipe, not a regular file"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := refresh(t, ecs.New(), map[string]string{"uri": f.url(), "token_file": c.path})
			se := sourcetest.WantError(t, err, "TokenFileError", false, append(c.want, c.path)...)
			if strings.Contains(se.Message, "token-line") {
				t.Errorf("error %q quotes the file", se.Message)
			}
		})
	}
	if n := len(f.authorizations()); n != 0 {
		t.Errorf("the agent got %d requests, want none", n)
	}
}

// TestServerErrorThenRecovery checks that 500 and 503 are retryable and that the
// next refresh succeeds once the agent recovers.
func TestServerErrorThenRecovery(t *testing.T) {
	f := startFakeAgent(t, "")
	f.failWith(http.StatusInternalServerError, http.StatusServiceUnavailable)
	r := ecs.New()
	attrs := map[string]string{"uri": f.url()}
	_, err := refresh(t, r, attrs)
	sourcetest.WantError(t, err, "InternalError", true, "HTTP 500 InternalError", "retrying later")
	_, err = refresh(t, r, attrs)
	sourcetest.WantError(t, err, "InternalError", true, "HTTP 503")
	creds, err := refresh(t, r, attrs)
	if err != nil {
		t.Fatalf("Refresh after the agent recovered: %v", err)
	}
	if want, _, _ := fakeCredentials(1); creds.AccessKeyID != want {
		t.Errorf("got %s, want %s", creds.AccessKeyID, want)
	}
}

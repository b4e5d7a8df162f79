package sso_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/source/sso"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
)

// TestRenewalLockIsPerSession checks that while one refresh renews a session's token,
// a refresh of the same session waits (and gives up when its context ends, with a
// retryable error) while a refresh of another session goes ahead.
func TestRenewalLockIsPerSession(t *testing.T) {
	f, dir := startFake(t), t.TempDir()
	writeCache(t, dir, session, cliToken(time.Now().Add(-time.Minute)))
	other := cliToken(time.Now().Add(time.Hour))
	writeCache(t, dir, "other-sso", other)

	entered, release := make(chan struct{}), make(chan struct{})
	f.OnCreateToken(func() {
		close(entered)
		<-release
	})
	r := sso.New()
	first := make(chan error, 1)
	go func() {
		_, err := sourcetest.Refresh(context.Background(), r, request(f, sessionConfig(dir, f)))
		first <- err
	}()
	<-entered // the first refresh holds my-sso's lock, inside CreateToken

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := sourcetest.Refresh(ctx, r, request(f, sessionConfig(dir, f)))
	e := sharedError(t, err, "Canceled", true)
	if !strings.Contains(e.Message, "waiting for another refresh of the SSO token") {
		t.Errorf("message %q does not say what it waited for", e.Message)
	}

	otherCfg := strings.Replace(sessionConfig(dir, f), `"sso_session":"my-sso"`, `"sso_session":"other-sso"`, 1)
	if otherCfg == sessionConfig(dir, f) {
		t.Fatal("the other session's config is the same as the first's")
	}
	creds, err := sourcetest.Refresh(context.Background(), r, request(f, otherCfg))
	if err != nil {
		t.Fatalf("Refresh of another session while the first renews: %v", err)
	}
	checkCredentials(t, f, creds, accessToken)

	close(release)
	if err := <-first; err != nil {
		t.Errorf("the renewing refresh: %v", err)
	}
}

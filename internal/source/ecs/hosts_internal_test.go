package ecs

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/brs-go/brs/plugin/httpsource"
	"github.com/brs-go/brs/plugin/plugintest"
	"github.com/brs-go/brs/shared"
)

func TestAllowedAddr(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1": true, "127.1.2.3": true, "::1": true, "::ffff:127.0.0.1": true,
		"169.254.170.2": true, "169.254.170.23": true, "fd00:ec2::23": true,
		"169.254.170.3": false, "169.254.169.254": false, "10.0.0.1": false, "0.0.0.0": false,
		"fd00:ec2::24": false, "::": false, "8.8.8.8": false, "::ffff:10.0.0.1": false,
	} {
		if got := allowedAddr(netip.MustParseAddr(addr)); got != want {
			t.Errorf("allowedAddr(%s) = %v, want %v", addr, got, want)
		}
	}
}

// TestDialRefused checks the check made after name resolution: with a rule that
// allows no address, a plain-http endpoint at localhost is refused before any byte is
// sent, with a permanent error.
func TestDialRefused(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	defer srv.Close()
	uri := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1) + "/creds"
	r := newRefresher(func(netip.Addr) bool { return false })
	_, err := r.refresh(context.Background(), &shared.RefreshRequest{Config: shared.Config(`{"uri": "` + uri + `", "token": "Bearer never-sent-token"}`)})
	se, ok := err.(*shared.Error)
	if !ok || se.Code != "HostNotAllowed" || se.Retryable || !strings.Contains(se.Message, "refused to connect to ") || !strings.Contains(se.Message, "use https") {
		t.Fatalf("Refresh = %v, want a permanent HostNotAllowed error", err)
	}
	if hits.Load() != 0 {
		t.Errorf("the server got %d requests, want none", hits.Load())
	}
	// The same endpoint with the real rule: localhost resolves to loopback.
	if _, err := New().plain.Do(context.Background(), &httpsource.Request{URL: uri}); err != nil {
		t.Fatalf("GET %s with the real rule: %v", uri, err)
	}
	if hits.Load() != 1 {
		t.Errorf("with the real rule the server got %d requests, want 1", hits.Load())
	}
}

// TestSchemaMatchesConfig keeps Schema and the config struct in step.
func TestSchemaMatchesConfig(t *testing.T) {
	plugintest.CheckConfig(t, New(), config{})
}

// TestRelativeURI checks that relative_uri is resolved on the ECS agent, as the SDKs
// do, and so goes through the plain-http client with its address check.
func TestRelativeURI(t *testing.T) {
	s, ds := parseConfig(shared.Config(`{"relative_uri": "/v2/credentials/0c8c6a9a?x=1"}`))
	if ds.HasErrors() {
		t.Fatalf("parseConfig: %+v", ds)
	}
	if got, want := s.endpoint.String(), "http://169.254.170.2/v2/credentials/0c8c6a9a?x=1"; got != want {
		t.Errorf("endpoint %q, want %q", got, want)
	}
	if got, want := display(s.endpoint), "http://169.254.170.2/v2/credentials/0c8c6a9a"; got != want {
		t.Errorf("display %q, want %q (no query)", got, want)
	}
	if s.timeout != defaultTimeout {
		t.Errorf("timeout %v, want the default %v", s.timeout, defaultTimeout)
	}
}

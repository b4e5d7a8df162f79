package endpoint_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/brs-go/brs/internal/endpoint"
)

func TestListenLoopbackOnly(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0", "192.0.2.1:0", "example.com:0", "127.0.0.1", "nonsense"} {
		ln, err := endpoint.Listen(addr)
		if err == nil {
			ln.Close()
			t.Errorf("Listen(%q) succeeded", addr)
			continue
		}
		if !strings.Contains(err.Error(), "127.0.0.1:") {
			t.Errorf("Listen(%q): %v; the error should say what to use instead", addr, err)
		}
	}
	if _, err := endpoint.Listen("0.0.0.0:0"); err == nil || !strings.Contains(err.Error(), "not a loopback address") {
		t.Errorf("Listen(0.0.0.0:0): %v", err)
	}
	if _, err := endpoint.Listen(":0"); err == nil || !strings.Contains(err.Error(), "every interface") {
		t.Errorf("Listen(:0): %v", err)
	}
	for _, addr := range []string{"127.0.0.1:0", "localhost:0", "127.0.0.2:0"} {
		ln, err := endpoint.Listen(addr)
		if err != nil {
			t.Errorf("Listen(%q): %v", addr, err)
			continue
		}
		if a := ln.Addr().String(); !strings.HasPrefix(a, "127.0.0.") {
			t.Errorf("Listen(%q) listens on %s", addr, a)
		}
		ln.Close()
	}
	if _, err := endpoint.Start("0.0.0.0:0", http.NotFoundHandler()); err == nil {
		t.Error("Start on 0.0.0.0 succeeded")
	}
}

func TestShutdown(t *testing.T) {
	f := start(t)
	if status, _, _ := f.get(t, "GET", f.srv.RoleURL("a"), map[string]string{"Authorization": f.token}); status != 200 {
		t.Fatalf("status %d", status)
	}
	if err := f.srv.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := f.srv.Shutdown(context.Background()); err != nil {
		t.Errorf("a second Shutdown: %v", err)
	}
	if _, err := http.Get(f.srv.RoleURL("a")); err == nil {
		t.Error("the server still answers after Shutdown")
	}
	if !strings.HasPrefix(f.srv.RoleURL("a b"), f.srv.URL()+"/roles/a%20b") {
		t.Errorf("RoleURL does not escape: %s", f.srv.RoleURL("a b"))
	}
}

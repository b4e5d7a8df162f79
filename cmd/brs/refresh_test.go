//go:build unix

package main

import (
	"strings"
	"testing"
)

// TestRefreshCommand: `brs refresh ROLE` with an agent running refreshes the agent's
// role (the next credential-process gets the new key, from the agent); without an
// agent it fetches in-process; an unknown role fails with exit 1.
func TestRefreshCommand(t *testing.T) {
	h := newAgentHarness(t)
	cfg := writeHCL(t, h.work, "brs.hcl", oneRole("a"))
	first := akid(t, h.run(nil, "-c", cfg, "credential-process", "a"))
	r := h.run(nil, "-c", cfg, "refresh", "a")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "a: refreshed, ") || strings.Contains(r.stdout, first) || strings.Contains(r.stderr, "not using the agent") {
		t.Fatalf("brs refresh a: exit %d, want a new key from the agent\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	fresh := strings.Fields(strings.TrimPrefix(r.stdout, "a: refreshed, "))[0]
	if got := akid(t, h.run(nil, "-c", cfg, "credential-process", "a")); got != fresh {
		t.Errorf("credential-process after the refresh: %s, want the refreshed %s", got, fresh)
	}
	if r := h.run(nil, "-c", cfg, "refresh", "nope"); r.code != 1 || !strings.Contains(r.stderr, "nope") {
		t.Errorf("brs refresh nope: exit %d, want 1 naming the role:\n%s", r.code, r.stderr)
	}
	r = h.run([]string{"BRS_AGENT=off"}, "-c", cfg, "refresh")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "a: refreshed, ") || strings.Contains(r.stdout, fresh) {
		t.Errorf("brs refresh in-process: exit %d, want a key of its own\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
}

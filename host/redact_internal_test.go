package host

import (
	"fmt"
	"testing"
)

// TestRedactorRemembersRecentRefreshes: a plugin's stderr reaches the host
// asynchronously, so a line may arrive several refreshes after the one whose secrets it
// holds. The secrets of the last secretsKept refreshes of a role stay redacted; older
// ones are forgotten, so memory stays bounded.
func TestRedactorRemembersRecentRefreshes(t *testing.T) {
	rd := newRedactor()
	secret := func(i int) string { return fmt.Sprintf("secret-of-refresh-%02d", i) }
	token := func(i int) string { return fmt.Sprintf("token-of-refresh-%02d", i) }
	for i := range secretsKept {
		rd.add("role", 2*secretsKept, secret(i), token(i))
	}
	for i := range secretsKept {
		if got := rd.String("line: " + secret(i) + " " + token(i)); got != "line: "+redacted+" "+redacted {
			t.Fatalf("refresh %d of %d not redacted: %q", i+1, secretsKept, got)
		}
	}
	rd.add("role", 2*secretsKept, secret(secretsKept), token(secretsKept))
	if got := rd.String(secret(0)); got != secret(0) {
		t.Fatalf("the oldest refresh's secret is still remembered after %d more: %q", secretsKept, got)
	}
	if got := rd.String(secret(secretsKept)); got != redacted {
		t.Fatalf("the newest secret is not redacted: %q", got)
	}
}

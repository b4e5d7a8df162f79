package host

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
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

// TestRedactorMatchesReplacer: the indexed redactor replaces exactly what a
// strings.Replacer of every secret, longest first, replaces, on random text built from
// secrets that share prefixes, contain each other and overlap.
func TestRedactorMatchesReplacer(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := "abAB01/+-"
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(b)
	}
	for round := range 200 {
		rd := newRedactor()
		var secrets []string
		base := word(8)
		for range 1 + rng.IntN(6) {
			s := word(8 + rng.IntN(8))
			if rng.IntN(2) == 0 {
				s = base + word(rng.IntN(6)) // shares a prefix
			}
			secrets = append(secrets, s)
		}
		rd.set("owner", secrets...)
		sorted := append([]string(nil), secrets...)
		sort.SliceStable(sorted, func(i, j int) bool { return len(sorted[i]) > len(sorted[j]) })
		var pairs []string
		for _, s := range sorted {
			pairs = append(pairs, s, redacted)
		}
		want := strings.NewReplacer(pairs...)
		for range 20 {
			var b strings.Builder
			for range rng.IntN(8) {
				if rng.IntN(2) == 0 {
					s := secrets[rng.IntN(len(secrets))]
					b.WriteString(s[:len(s)-rng.IntN(3)]) // whole, or cut short
				} else {
					b.WriteString(word(rng.IntN(10)))
				}
			}
			text := b.String()
			if got, w := rd.String(text), want.Replace(text); got != w {
				t.Fatalf("round %d: secrets %q, text %q:\ngot  %q\nwant %q", round, secrets, text, got, w)
			}
		}
	}
}

// TestRedactorOwners: a secret two owners hold stays redacted until both drop it;
// set replaces an owner's secrets; short secrets are never redacted.
func TestRedactorOwners(t *testing.T) {
	rd := newRedactor()
	const shared, onlyA, onlyB = "shared-secret", "secret-of-a", "secret-of-b"
	rd.set("a", shared, onlyA, "short")
	rd.set("b", shared, onlyB)
	line := shared + " " + onlyA + " " + onlyB + " short"
	if got, want := rd.String(line), "[REDACTED] [REDACTED] [REDACTED] short"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	rd.set("a")
	if got, want := rd.String(line), "[REDACTED] "+onlyA+" [REDACTED] short"; got != want {
		t.Fatalf("after a dropped its secrets: got %q, want %q", got, want)
	}
	rd.set("b", onlyA)
	if got, want := rd.String(line), shared+" [REDACTED] "+onlyB+" short"; got != want {
		t.Fatalf("after b changed its secrets: got %q, want %q", got, want)
	}
	if len(rd.refs) != 1 || len(rd.byPrefix) != 1 {
		t.Fatalf("index holds %d secrets under %d prefixes, want 1 and 1", len(rd.refs), len(rd.byPrefix))
	}
}

// BenchmarkRedactor is the redactor at 100,000 roles of 16 secrets each, all session
// tokens sharing their first bytes as AWS's do: adding one refresh's secrets, and
// redacting a log line that holds one secret and one that holds none.
func BenchmarkRedactor(b *testing.B) {
	const roles = 100_000
	rd := newRedactor()
	token := func(role, n int) string {
		return fmt.Sprintf("IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ%08d%08d", role, n)
	}
	for r := range roles {
		for n := range secretsKept {
			rd.add(fmt.Sprint(r), 2*secretsKept, fmt.Sprintf("secret-%08d-%08d", r, n), token(r, n))
		}
	}
	withSecret := `2026-12-01T15:00:00Z [DEBUG] plugin.test: minted credentials: secret_access_key=x session=` + token(777, 3) + ` role=r777`
	without := `2026-12-01T15:00:00Z [INFO]  brs: refreshed: role=r4242 source=test background=true access_key_id=ASIAEXAMPLE expires=2026-12-01T16:00:00Z took=2.1ms`
	b.Run("add", func(b *testing.B) {
		n := secretsKept
		for b.Loop() {
			rd.add("4242", 2*secretsKept, fmt.Sprintf("secret-%08d-%08d", 4242, n), token(4242, n))
			n++
		}
	})
	b.Run("line-with-secret", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if rd.String(withSecret) == withSecret {
				b.Fatal("not redacted")
			}
		}
	})
	b.Run("line-without", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			rd.String(without)
		}
	})
}

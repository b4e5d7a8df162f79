package rolesanywhere_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	fake "github.com/brs-go/brs/internal/testutil/fakerolesanywhere"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
)

// tamperingProxy forwards requests to target after change has modified them, the
// way an attacker on the path would.
func tamperingProxy(t *testing.T, target string, change func(r *http.Request, body []byte) []byte) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		body = change(r, body)
		u, _ := url.Parse(target)
		out, _ := http.NewRequest(r.Method, target+r.URL.RequestURI(), bytes.NewReader(body))
		out.Header = r.Header.Clone()
		out.Host = u.Host // the host the client signed is the proxy's: keep it signed
		out.Header.Set("X-Forwarded-Host", "")
		resp, err := http.DefaultClient.Do(out)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestTamperedRequest: the signature covers the body, the query, the certificate
// and the date: a request changed on the way is refused. The untouched request
// through the same proxy is accepted, with the host rewritten as the client signed it.
func TestTamperedRequest(t *testing.T) {
	w := newWorld(t, fake.Config{})
	other := w.ca.Issue(t, fake.Leaf{})
	for name, change := range map[string]func(r *http.Request, body []byte) []byte{
		"body": func(_ *http.Request, b []byte) []byte {
			return bytes.Replace(b, []byte("3600"), []byte("43200"), 1)
		},
		"query": func(r *http.Request, b []byte) []byte {
			r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "brs-roles-anywhere", "admin", 1)
			return b
		},
		"date": func(r *http.Request, b []byte) []byte {
			d, sec := r.Header.Get("X-Amz-Date"), "59Z"
			if strings.HasSuffix(d, sec) {
				sec = "58Z"
			}
			r.Header.Set("X-Amz-Date", d[:len(d)-3]+sec)
			return b
		},
		"certificate": func(r *http.Request, b []byte) []byte {
			r.Header.Set("X-Amz-X509", strings.TrimSpace(strings.SplitN(string(pemBody(other.CertPEM)), "\n", 2)[0]))
			return b
		},
		"signature": func(r *http.Request, b []byte) []byte {
			a := r.Header.Get("Authorization")
			last := a[len(a)-1]
			flip := byte('0')
			if last == '0' {
				flip = '1'
			}
			r.Header.Set("Authorization", a[:len(a)-1]+string(flip))
			return b
		},
	} {
		proxy := tamperingProxy(t, w.f.URL, func(r *http.Request, b []byte) []byte {
			r.Host = strings.TrimPrefix(w.f.URL, "http://")
			return change(r, b)
		})
		_, err := refresh(t, proxy, w.attrs())
		sourcetest.WantError(t, err, "AccessDenied", false)
		want := "Signature validation failed"
		if name == "certificate" {
			want = "is not the certificate's" // the serial in Credential gives it away first
		}
		if refs := w.f.Refusals(); len(refs) == 0 || refs[len(refs)-1] != want && !strings.Contains(refs[len(refs)-1], want) {
			t.Errorf("%s tampered: fake refusals %q, want %q", name, refs, want)
		}
	}
	if n := len(w.f.Calls()); n != 0 {
		t.Errorf("the fake accepted %d tampered requests", n)
	}
	proxy := tamperingProxy(t, w.f.URL, func(r *http.Request, b []byte) []byte {
		r.Host = strings.TrimPrefix(w.f.URL, "http://")
		return b
	})
	if _, err := refresh(t, proxy, w.attrs()); err == nil || len(w.f.Calls()) != 0 {
		t.Errorf("a request whose Host the proxy changed was accepted (%v): host is not signed", err)
	}
}

// pemBody returns the base64 of a one-block PEM on one line.
func pemBody(p []byte) []byte {
	s := string(p)
	s = s[strings.Index(s, "\n")+1 : strings.Index(s, "-----END")]
	return []byte(strings.ReplaceAll(s, "\n", ""))
}

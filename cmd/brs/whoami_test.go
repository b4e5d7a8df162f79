package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// fakeSTS is a FAKE of AWS STS for brs whoami: MinIO does not implement
// GetCallerIdentity. It answers GetCallerIdentity in the real wire format (query
// protocol, XML) with an identity built from the access key id that signed the request,
// and records the signing region and whether a session token came along. It checks no
// signature. With deny set it answers as STS does to a caller it refuses.
type fakeSTS struct {
	deny bool

	mu               sync.Mutex
	region, key      string
	hadSessionToken  bool
	action, protocol string
}

var signingScope = regexp.MustCompile(`Credential=([^/]+)/\d{8}/([^/]+)/sts/aws4_request`)

func (f *fakeSTS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	m := signingScope.FindStringSubmatch(r.Header.Get("Authorization"))
	f.mu.Lock()
	f.action, f.protocol = r.PostForm.Get("Action"), r.PostForm.Get("Version")
	if m != nil {
		f.key, f.region = m[1], m[2]
	}
	f.hadSessionToken = r.Header.Get("X-Amz-Security-Token") != ""
	f.mu.Unlock()
	w.Header().Set("Content-Type", "text/xml")
	if f.deny || m == nil || r.PostForm.Get("Action") != "GetCallerIdentity" {
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not allowed by the fake</Message></Error>
  <RequestId>fake-request-id</RequestId>
</ErrorResponse>`)
		return
	}
	fmt.Fprintf(w, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:sts::123456789012:assumed-role/whoami/%[1]s</Arn>
    <UserId>AROAFAKEROLEID:%[1]s</UserId>
    <Account>123456789012</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>fake-request-id</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>`, m[1])
}

func TestWhoami(t *testing.T) {
	fake := &fakeSTS{}
	sts := httptest.NewServer(fake)
	defer sts.Close()
	denier := &fakeSTS{deny: true}
	refusing := httptest.NewServer(denier)
	defer refusing.Close()
	path := writeHCL(t, t.TempDir(), "brs.hcl", `plugin "test" {
  command = "{{test}}"
}

role "w" {
  source   = "test"
  region   = "eu-central-1"
  endpoint = "`+sts.URL+`"
}

role "refused" {
  source   = "test"
  endpoint = "`+refusing.URL+`"
}
`)
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	r := runBRS(t, "-c", path, "whoami", "w")
	if r.code != exitOK || r.stderr != "" {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	fake.mu.Lock()
	key, region, token, action, version := fake.key, fake.region, fake.hadSessionToken, fake.action, fake.protocol
	fake.mu.Unlock()
	if !strings.HasPrefix(key, "TESTPID") || region != "eu-central-1" || !token || action != "GetCallerIdentity" || version != "2011-06-15" {
		t.Errorf("the fake saw key %q, region %q, session token %v, action %q, version %q", key, region, token, action, version)
	}
	lines := strings.Split(r.stdout, "\n")
	want := []string{
		"role     w (source test)",
		"account  123456789012",
		"arn      arn:aws:sts::123456789012:assumed-role/whoami/" + key,
		"user id  AROAFAKEROLEID:" + key,
	}
	for i, w := range want {
		if i >= len(lines) || lines[i] != w {
			t.Errorf("line %d: want %q in:\n%s", i+1, w, r.stdout)
		}
	}
	if !regexp.MustCompile(`(?m)^key      ` + key + `, expires \S+Z \(in (59m[0-5]\ds|1h00m)\)$`).MatchString(r.stdout) {
		t.Errorf("no key line:\n%s", r.stdout)
	}

	r = runBRS(t, "-c", path, "whoami", "--json", "w")
	var doc whoamiDoc
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || r.code != exitOK {
		t.Fatalf("--json: exit %d, %v\n%s", r.code, err, r.stdout)
	}
	if doc.Role != "w" || doc.Account != "123456789012" || doc.Arn != "arn:aws:sts::123456789012:assumed-role/whoami/"+doc.AccessKeyID || doc.Expires == "" {
		t.Errorf("--json: %+v", doc)
	}

	// Refused: the error names the role, where STS was asked, the key, and the cause.
	// Without a region anywhere, us-east-1 signs.
	r = runBRS(t, "-c", path, "whoami", "refused")
	if r.code != exitError || r.stdout != "" {
		t.Errorf("refused: exit %d, stdout %q", r.code, r.stdout)
	}
	for _, w := range []string{`brs: whoami: role "refused": GetCallerIdentity (STS at ` + refusing.URL + `) with key TESTPID`, "AccessDenied", "not allowed by the fake"} {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("refused: stderr does not say %q:\n%s", w, r.stderr)
		}
	}
	denier.mu.Lock()
	defer denier.mu.Unlock()
	if denier.region != defaultWhoamiRegion {
		t.Errorf("refused: signed for region %q, want %s", denier.region, defaultWhoamiRegion)
	}
}

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/shared"
)

// checkGolden compares got with testdata/name; -update rewrites the file.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to create it)", err, t.Name())
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run go test -run %s -update if the change is intended):\n%s", path, t.Name(), got)
	}
}

// goldenNow and goldenStatus are the fixed state behind the status golden files: one
// role of each kind a user may see.
var goldenNow = time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)

func goldenStatus() ([]host.RoleStatus, map[string]error) {
	now := goldenNow
	return []host.RoleStatus{
			{Role: "analytics", Source: "sts", Plugin: "/usr/local/bin/brs-plugin-sts",
				AccessKeyID: "ASIAANALYTICS0EXAMPLE", AccountID: "111122223333",
				ARN:     "arn:aws:sts::111122223333:assumed-role/analytics/brs-analytics",
				Expires: now.Add(47*time.Minute + 12*time.Second), LastRefresh: now.Add(-12*time.Minute - 48*time.Second),
				NextRefresh: now.Add(41*time.Minute + 30*time.Second), Refreshes: 3},
			{Role: "prod-admin", Source: "sts", SourceRole: "analytics", Plugin: "/usr/local/bin/brs-plugin-sts",
				AccessKeyID: "ASIAPRODADMIN0EXAMPLE", AccountID: "444455556666",
				Expires: now.Add(3 * time.Minute), LastRefresh: now.Add(-57 * time.Minute), Refreshing: true, Refreshes: 1},
			{Role: "denied", Source: "sts", Plugin: "/usr/local/bin/brs-plugin-sts",
				LastError:   shared.Permanent("AccessDenied", "User: arn:aws:iam::111122223333:user/ci is not authorized to perform: sts:AssumeRole"),
				LastErrorAt: now.Add(-20 * time.Second), Failures: 3},
			{Role: "static", Source: "file", Plugin: "/opt/brs/brs-plugin-file",
				AccessKeyID: "AKIASTATIC0EXAMPLE", LastRefresh: now.Add(-2*time.Hour - 5*time.Minute), Refreshes: 1},
			{Role: "stale", Source: "sso", Plugin: "/opt/brs/brs-plugin-sso",
				AccessKeyID: "ASIASTALE0EXAMPLE", Expires: now.Add(-5 * time.Minute), LastRefresh: now.Add(-65 * time.Minute)},
		}, map[string]error{
			"denied": errors.New(`brs: role "denied" (source "sts"): no valid credentials: AccessDenied: …`),
			"stale":  errors.New("the SSO token expired; run aws sso login"),
		}
}

func TestStatusTableGolden(t *testing.T) {
	st, errs := goldenStatus()
	var b bytes.Buffer
	if err := writeStatusTable(&b, st, errs, goldenNow); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "status.golden", b.String())
}

func TestStatusJSONGolden(t *testing.T) {
	st, errs := goldenStatus()
	var b bytes.Buffer
	if err := writeStatusJSON(&b, "/etc/brs/brs.hcl", st, errs, goldenNow); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "status.json.golden", b.String())
}

const statusRoles = testRoles + `
role "denied" {
  source = "test"
  config {
    fail = "AccessDenied"
  }
}
`

func TestStatusCommand(t *testing.T) {
	path := writeHCL(t, t.TempDir(), "brs.hcl", statusRoles)
	r := runBRS(t, "-c", path, "status")
	if r.code != exitError {
		t.Errorf("exit %d, want %d (a role failed); stderr:\n%s", r.code, exitError, r.stderr)
	}
	lines := strings.Split(r.stdout, "\n")
	for i, re := range []string{
		`^ROLE +SOURCE +IDENTITY +KEY +EXPIRES +LAST REFRESH +NEXT REFRESH +ERROR$`,
		`^a +test +account 123456789012 +TESTPID\d+N\d+ +in (59m[0-5]\ds|1h00m) +(now|\ds ago) +in (5[0-9]|4[0-9])m\d\ds +-$`,
		`^b +test +account 123456789012 +TESTPID\d+N\d+ +in (29m[0-5]\ds|30m00s) +(now|\ds ago) +in 2[0-9]m\d\ds +-$`,
		`^denied +test +- +- +- +- +- +AccessDenied: configured to fail$`,
		`^$`,
		`^1 of 3 roles failed \(denied\): check their config with "brs validate"`,
	} {
		if i >= len(lines) || !regexp.MustCompile(re).MatchString(lines[i]) {
			t.Errorf("line %d does not match %s:\n%s", i+1, re, r.stdout)
		}
	}

	r = runBRS(t, "-c", path, "status", "--no-fetch")
	if r.code != exitOK || !regexp.MustCompile(`(?m)^a +test +- +- +- +- +- +-$`).MatchString(r.stdout) {
		t.Errorf("--no-fetch: exit %d, stdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}

	r = runBRS(t, "-c", path, "status", "--json")
	var doc statusDoc
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || r.code != exitError {
		t.Fatalf("--json: exit %d, %v:\n%s", r.code, err, r.stdout)
	}
	if doc.Config != path || len(doc.Roles) != 3 {
		t.Fatalf("--json: %+v", doc)
	}
	a, denied := doc.Roles[0], doc.Roles[2]
	if !a.Valid || !strings.HasPrefix(a.AccessKeyID, "TESTPID") || a.Refreshes != 1 || a.LastError != "" {
		t.Errorf("--json role a: %+v", a)
	}
	for _, ts := range []string{doc.Time, a.Expires, a.LastRefresh, a.NextRefresh, denied.LastErrorAt} {
		if _, err := time.Parse(time.RFC3339, ts); err != nil || !strings.HasSuffix(ts, "Z") {
			t.Errorf("--json: time %q is not RFC 3339 in UTC", ts)
		}
	}
	if denied.Valid || denied.LastError != "AccessDenied: configured to fail" || denied.Failures != 1 || denied.Expires != "" {
		t.Errorf("--json role denied: %+v", denied)
	}
}

func TestHumanDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0s", 1499 * time.Millisecond: "1s", 59 * time.Second: "59s", time.Minute: "1m00s",
		12*time.Minute + 5*time.Second: "12m05s", 59*time.Minute + 59*time.Second + 600*time.Millisecond: "1h00m",
		3*time.Hour + 4*time.Minute: "3h04m", 53 * time.Hour: "2d05h", -90 * time.Second: "-1m30s",
	} {
		if got := humanDuration(d); got != want {
			t.Errorf("humanDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

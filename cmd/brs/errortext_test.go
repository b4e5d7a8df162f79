package main

import (
	"net"
	"regexp"
	"strings"
	"testing"

	"github.com/brs-go/brs/internal/testutil/miniotest"
)

// requestID matches the request IDs MinIO puts in its answers.
var requestID = regexp.MustCompile(`request ID [0-9A-F]+`)

// TestErrorTextsMinIO pins the exact stderr of failed fetches, against the real sts
// plugin and real MinIO: each failure is said once (no WARN log line repeating the
// error the command prints), with one "brs: " prefix, without the retry time of a
// process that is exiting, with a hint that names a valid command, and with the advice
// that fits the cause: a wrong secret key is the base keys' fault, not the trust
// policy's; an http endpoint that does not answer is not an "https response error".
func TestErrorTextsMinIO(t *testing.T) {
	if _, err := miniotest.Binary(); err != nil {
		t.Fatalf("this test needs MinIO: %v", err)
	}
	srv := miniotest.Start(t)
	plugins := builtinPlugins(t, "sts")
	isolateAWSFiles(t)
	t.Setenv("AWS_ACCESS_KEY_ID", miniotest.RootUser)
	t.Setenv("AWS_SECRET_ACCESS_KEY", "not-the-root-secret-0123456789")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()

	path := writeHCL(t, t.TempDir(), "brs.hcl", `role "wrongkey" {
  source   = "sts"
  region   = "us-east-1"
  endpoint = "`+srv.Endpoint+`"
  config {
    role_arn = "arn:aws:iam::111122223333:role/brs-test"
  }
}

role "down" {
  source   = "sts"
  region   = "us-east-1"
  endpoint = "`+closed+`"
  config {
    role_arn = "arn:aws:iam::111122223333:role/brs-test"
  }
}
`)
	var got strings.Builder
	for _, args := range [][]string{
		{"credential-process", "wrongkey"},
		{"env", "wrongkey"},
		{"credential-process", "down"},
		{"serve", "--listen", "127.0.0.1:0", "nope"},
	} {
		r := runBRS(t, append([]string{"--plugin-dir", plugins, "-c", path}, args...)...)
		got.WriteString("$ brs " + strings.Join(args, " ") + "\n")
		got.WriteString(r.stderr)
		if r.code != exitError || r.stdout != "" {
			t.Errorf("%v: exit %d, stdout %q", args, r.code, r.stdout)
		}
	}
	out := strings.NewReplacer(srv.Endpoint, "MINIO", closed, "CLOSED", strings.TrimPrefix(closed, "http://"), "CLOSED-ADDR", path, "FILE").Replace(got.String())
	out = requestID.ReplaceAllString(out, "request ID RID")
	checkGolden(t, "errors_minio.golden", out)
}

package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/brs-go/brs/internal/testutil/plugintestbin"
)

func TestMain(m *testing.M) {
	code := m.Run()
	plugintestbin.Cleanup()
	os.Exit(code)
}

// TestDemo runs the demo as `make demo` does, on the real clock (the background
// refresh it shows comes about 8 seconds after start), and checks that it shows a
// first refresh, a background one, and requests signed with each key in turn.
func TestDemo(t *testing.T) {
	bin := plugintestbin.Build(t, "github.com/brs-go/brs/cmd/brs-plugin-sts")
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_EC2_METADATA_DISABLED", "BRS_DEMO_ENDPOINT"} {
		t.Setenv(k, "") // restored after the test; run sets them
	}
	var out strings.Builder
	if err := run(context.Background(), &out, filepath.Join("..", "hcl", "demo.hcl"), filepath.Dir(bin)); err != nil {
		t.Fatalf("demo failed: %v\n%s", err, out.String())
	}
	text := out.String()
	keys := regexp.MustCompile(`refresh of "demo": new key (\S+),`).FindAllStringSubmatch(text, -1)
	if len(keys) != 2 || keys[0][1] == keys[1][1] {
		t.Fatalf("want two refreshes with different keys:\n%s", text)
	}
	for _, want := range []string{
		"a caller asked (first use)",
		"background, ahead of expiry; no caller waited",
		"s3:ListBuckets signed with " + keys[0][1] + " → [demo-bucket]",
		"s3:ListBuckets signed with " + keys[1][1] + " → [demo-bucket]",
		"host closed",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("demo output lacks %q:\n%s", want, text)
		}
	}
}

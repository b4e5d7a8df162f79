package envvars_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/brs-go/brs/plugin/envvars"
	"github.com/brs-go/brs/shared"
)

// TestDeclarable: every list is one the host accepts as a source's Environment.
func TestDeclarable(t *testing.T) {
	all := envvars.Join(envvars.AWSSDK, envvars.HTTP, envvars.Home, envvars.Path)
	if err := shared.CheckEnvironment(all); err != nil {
		t.Fatal(err)
	}
	if got := envvars.Join([]string{"A", "B"}, []string{"B", "C"}); !slices.Equal(got, []string{"A", "B", "C"}) {
		t.Errorf("Join: %v", got)
	}
	for _, n := range []string{"AWS_DATA_PATH", "AWS_PAGER", "AWS_DEFAULT_OUTPUT", "AWS_CLI_AUTO_PROMPT"} {
		if shared.EnvironmentMatches(all, n) {
			t.Errorf("%s, read only by the AWS CLI, is declared", n)
		}
	}
}

// TestAWSSDKComplete: every AWS_* variable the pinned aws-sdk-go-v2 modules name in
// their source is in AWSSDK, so an SDK upgrade that reads a new one fails here.
func TestAWSSDKComplete(t *testing.T) {
	dirs := map[string]string{}
	for _, m := range []string{"github.com/aws/aws-sdk-go-v2", "github.com/aws/aws-sdk-go-v2/config",
		"github.com/aws/aws-sdk-go-v2/credentials", "github.com/aws/aws-sdk-go-v2/feature/ec2/imds",
		"github.com/aws/aws-sdk-go-v2/service/sts", "github.com/aws/aws-sdk-go-v2/service/sso", "github.com/aws/aws-sdk-go-v2/service/ssooidc"} {
		dirs[m] = moduleDir(t, m)
	}
	re := regexp.MustCompile(`"(AWS_[A-Z0-9_]+)"`)
	// Names in the SDK's source that are not variables it reads.
	notRead := map[string]bool{"AWS_TEST_EC2_IMDS_WITH_USER_DATA": true}
	for m, dir := range dirs {
		err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || filepath.Ext(p) != ".go" || regexp.MustCompile(`_test\.go$`).MatchString(p) {
				return err
			}
			if rel, _ := filepath.Rel(dir, p); m == "github.com/aws/aws-sdk-go-v2" && regexp.MustCompile(`^(service|feature|config|credentials|internal/repotools)/`).MatchString(filepath.ToSlash(rel)) {
				return nil
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			for _, s := range re.FindAllStringSubmatch(string(b), -1) {
				if !notRead[s[1]] && !shared.EnvironmentMatches(envvars.AWSSDK, s[1]) {
					t.Errorf("%s names %s, which AWSSDK does not declare", p, s[1])
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// moduleDir returns where the go command keeps module m's source.
func moduleDir(t *testing.T, m string) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", m).Output()
	if err != nil || len(strings.TrimSpace(string(out))) == 0 {
		t.Fatalf("go list -m %s: %v (run go mod download)", m, err)
	}
	return strings.TrimSpace(string(out))
}

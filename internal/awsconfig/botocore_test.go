package awsconfig

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/brs-go/brs/internal/testutil/needtool"
)

// botocoreDump prints, as JSON, the profiles that botocore finds in each config file
// named on its command line, or the error it refuses the file with.
const botocoreDump = `
import json, sys, botocore, botocore.session
out = {"version": botocore.__version__}
for path in sys.argv[1:]:
    s = botocore.session.Session()
    s.set_config_variable("config_file", path)
    s.set_config_variable("credentials_file", "/nonexistent")
    try:
        out[path] = {"profiles": s.full_config["profiles"]}
    except Exception as e:
        out[path] = {"error": type(e).__name__}
print(json.dumps(out))
`

// TestQuirksAgainstBotocore checks each claim import's warnings make about botocore
// (the AWS CLI, boto3) against the real botocore, on every config file of the corpus
// and on headers with extra spaces: a header flagged as one botocore does not take is
// a profile botocore does not find, and every other profile it finds; a value flagged
// for its comment or quotes is a value botocore reads differently.
func TestQuirksAgainstBotocore(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		needtool.Missing(t, "python3 not found", needtool.Boto3)
	}
	files, err := filepath.Glob("testdata/import/*.ini")
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	extra := filepath.Join(t.TempDir(), "headers.ini")
	if err := os.WriteFile(extra, []byte("[default]\nregion = x\n[profile  admin ]\nregion = y\n[profile\tops]\nregion = z\n[ profile lost]\nregion = w\n[profile dev]   # note\nregion = v\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	files = append(files, extra)
	out, err := exec.Command(py, append([]string{"-c", botocoreDump}, files...)...).Output()
	if err != nil {
		needtool.Missing(t, "python3 with botocore not working ("+err.Error()+")", needtool.Boto3)
	}
	var got map[string]json.RawMessage
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	t.Logf("botocore %s", got["version"])
	checked := 0
	for _, path := range files {
		var res struct {
			Profiles map[string]map[string]any
			Error    string
		}
		if err := json.Unmarshal(got[path], &res); err != nil {
			t.Fatal(err)
		}
		text, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		ini := parseINI(string(text))
		if res.Error != "" {
			// botocore refuses the whole file: import must say so for some profile.
			dup := false
			for _, s := range ini.sections {
				dup = dup || len(s.dupKeys) > 0 || len(s.lines) > 1
			}
			if !dup {
				t.Errorf("%s: botocore refuses it (%s), and no duplicate is flagged", path, res.Error)
			}
			continue
		}
		for _, s := range ini.sections {
			name := s.name
			if s.kind != "profile" && !(s.kind == "" && name == "default") {
				continue
			}
			headerQuirk := false
			for _, q := range s.quirks {
				headerQuirk = headerQuirk || strings.Contains(q, "header")
			}
			bp, found := res.Profiles[name]
			if headerQuirk == found {
				t.Errorf("%s: profile %q: flagged as a header botocore does not take: %v; botocore finds it: %v", path, name, headerQuirk, found)
			}
			checked++
			if !found {
				continue
			}
			for _, q := range s.quirks {
				for _, kind := range []string{"the comment after ", "the quotes around "} {
					key, ok := strings.CutPrefix(q, kind)
					if !ok {
						continue
					}
					key, _, _ = strings.Cut(key, " ")
					if v, _ := bp[key].(string); v == s.get(key) {
						t.Errorf("%s: profile %q: %s: botocore reads the same value %q", path, name, q, v)
					}
					checked++
				}
			}
		}
	}
	if checked < 10 {
		t.Errorf("only %d checks made", checked)
	}
}

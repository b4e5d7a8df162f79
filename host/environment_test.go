package host_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/plugin/plugintest"
	"github.com/brs-go/brs/shared"
)

// TestEnvironment: a host's Environment is what its sources declare (here the real
// sts plugin, over gRPC) plus the names the file gives env() and inherit_env; PATH
// only where a role sets a command attribute; a source that declares nothing is
// named in Undeclared; a name given to env() that is not a literal sets Dynamic; a
// plugin found by searching sets Discovered.
func TestEnvironment(t *testing.T) {
	bin := plugintestbin.Build(t, stsPluginPkg)
	h := load(t, fmt.Sprintf(`plugin "sts" { command = %q }
role "a" {
  source = "sts"
  region = env("BRS_TEST_REGION", "us-east-1")
  config {
    role_arn          = "arn:aws:iam::123456789012:role/a"
    mfa_serial        = "arn:aws:iam::123456789012:mfa/me"
    mfa_token_command = "otp"
    inherit_env       = ["VAULT_ADDR"]
  }
}
role "b" { source = "count" }
`, bin), host.WithRefresher("count", &counting{}))
	env := h.Environment()
	for _, want := range []string{"AWS_PROFILE", "AWS_ENDPOINT_URL*", "HTTPS_PROXY", "HOME", "PATH", "BRS_TEST_REGION", "VAULT_ADDR"} {
		if !slices.Contains(env.Names, want) {
			t.Errorf("Environment().Names lacks %s: %q", want, env.Names)
		}
	}
	if shared.EnvironmentMatches(env.Names, "AWS_DATA_PATH") || shared.EnvironmentMatches(env.Names, "TERM") {
		t.Errorf("Environment().Names declares a variable no source reads: %q", env.Names)
	}
	if !slices.Equal(env.Undeclared, []string{"count"}) || env.Dynamic {
		t.Errorf("Environment() = %+v, want Undeclared [count] and not Dynamic", env)
	}
	if env.Discovered {
		t.Errorf("Environment().Discovered with the plugin given by its path")
	}
	// Without mfa_token_command the sts source runs no command: PATH does not count;
	// found by searching a plugin directory, the plugin is Discovered.
	plain := load(t, `role "a" {
  source = "sts"
  config { role_arn = "arn:aws:iam::123456789012:role/a" }
}`, host.WithPluginDir(filepath.Dir(bin)))
	if penv := plain.Environment(); slices.Contains(penv.Names, "PATH") || !slices.Contains(penv.Names, "AWS_PROFILE") || !penv.Discovered {
		t.Errorf("sts without a command, found in a plugin directory: Environment() = %+v, want no PATH, and Discovered", penv)
	}
	d := load(t, `role "a" {
  source = "count"
  region = env("${env("BRS_TEST_REGION", "X")}_REGION", "us-east-1")
}`, host.WithRefresher("count", &counting{}))
	if !d.Environment().Dynamic {
		t.Errorf("env() of a computed name: Environment() = %+v, want Dynamic", d.Environment())
	}
}

// declaring is a source whose schema declares env as the variables it reads.
type declaring struct {
	counting
	env []string
}

func (d *declaring) Schema(context.Context, *shared.SchemaRequest) (*shared.SchemaResponse, error) {
	return &shared.SchemaResponse{Schema: shared.Schema{Description: "Declares its environment."}, Environment: d.env}, nil
}

// TestEnvironmentDeclaredNone: a source that declares an empty list reads no
// variable and is not Undeclared, in-process and over gRPC (where an empty list and
// no list look alike but for environment_declared); one that declares nil is.
func TestEnvironmentDeclaredNone(t *testing.T) {
	for _, c := range []struct {
		name       string
		env        []string
		undeclared bool
	}{{"nil", nil, true}, {"empty", []string{}, false}, {"one", []string{"VAULT_ADDR"}, false}} {
		for via, wrap := range map[string]func(shared.Refresher) shared.Refresher{
			"in-process": func(r shared.Refresher) shared.Refresher { return r },
			"over gRPC":  func(r shared.Refresher) shared.Refresher { return plugintest.Connect(t, r) },
		} {
			t.Run(c.name+"/"+via, func(t *testing.T) {
				h := load(t, `role "a" { source = "decl" }`, host.WithRefresher("decl", wrap(&declaring{env: c.env})))
				env := h.Environment()
				if got := slices.Contains(env.Undeclared, "decl"); got != c.undeclared {
					t.Errorf("Environment() = %+v: decl undeclared %v, want %v", env, got, c.undeclared)
				}
				if !slices.Equal(env.Names, c.env) && !(len(env.Names) == 0 && len(c.env) == 0) {
					t.Errorf("Environment().Names = %q, want %q", env.Names, c.env)
				}
			})
		}
	}
}

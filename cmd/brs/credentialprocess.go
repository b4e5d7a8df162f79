package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/credentialprocess"
	"github.com/brs-go/brs/internal/proc"
	"github.com/brs-go/brs/shared"
)

// envCredentialChain lists, as a JSON array of "ROLE@CONFIG" strings, the roles that
// `brs credential-process` runs are fetching in the processes that led to this one.
// Each such run adds its own role to its plugins' environment, so that a run that
// finds itself in the list knows it was started, through its own plugin's credential
// chain, by a run fetching the same role: a loop that would never end.
const envCredentialChain = "BRS_CREDENTIAL_PROCESS_CHAIN"

// maxCredentialDepth bounds nested credential-process runs even when the loop goes
// through different config paths each time.
const maxCredentialDepth = 4

// credentialChain returns the chain this run inherited, with this run's entry added,
// or an error if this run closes a loop.
func (c *cli) credentialChain(role string) ([]string, error) {
	path, err := c.configPath()
	if err != nil {
		return nil, nil // load reports it
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	self := role + "@" + path
	var chain []string
	if v, ok := c.lookupEnv(envCredentialChain); ok {
		_ = json.Unmarshal([]byte(v), &chain) // anything else is no chain
	}
	if i := slices.Index(chain, self); i >= 0 || len(chain) >= maxCredentialDepth {
		profile := "the default profile"
		for _, v := range []string{"AWS_PROFILE", "AWS_DEFAULT_PROFILE"} {
			if p, ok := c.lookupEnv(v); ok && p != "" {
				profile = fmt.Sprintf("profile %q (from %s)", p, v)
				break
			}
		}
		what := fmt.Sprintf("role %q of %s is already being fetched by the brs credential-process that started this one", role, path)
		if i < 0 {
			what = fmt.Sprintf("brs credential-process runs nested %d deep, each started by the one before", len(chain)+1)
		}
		return nil, fmt.Errorf("credential loop: %s, through its plugin's AWS credential chain. The plugin looked for its base "+
			"credentials in %s, whose credential_process runs brs again. Break the loop: do not export AWS_PROFILE "+
			"to brs (env -u AWS_PROFILE brs ...), or give the role's source base credentials that do not come from brs "+
			"(environment keys, or a profile without credential_process)", what, profile)
	}
	return append(chain, self), nil
}

// processCredentials is the JSON document a credential_process command prints.
type processCredentials = credentialprocess.Document

// credentialProcessJSON returns creds as a credential_process document, newline
// terminated: the one brs-credential-process prints too.
func credentialProcessJSON(creds shared.Credentials) ([]byte, error) {
	return credentialprocess.JSON(creds)
}

// runCredentialProcess is `brs credential-process ROLE`.
func runCredentialProcess(ctx context.Context, c *cli, args []string) int {
	role := args[0]
	chain, err := c.credentialChain(role)
	if err != nil {
		return c.errorf("%v", err)
	}
	// Run by a plugin's credential chain (as an AWS profile's credential_process),
	// brs works in-process: the agent may be the very process waiting for this
	// answer, and only in-process does the chain reach the next brs to stop a loop.
	fo := fetchOptions{forSDK: true}
	if _, underPlugin := c.lookupEnv(proc.EnvHostPipe); underPlugin {
		c.logger.Debug("run by a brs plugin; not using the agent")
		fo.noAgent = true
	}
	if chain != nil {
		b, _ := json.Marshal(chain)
		fo.hostOptions = append(fo.hostOptions, host.WithPluginEnv(envCredentialChain+"="+string(b)))
	}
	f, code := c.fetchRole(ctx, role, fo)
	if f == nil {
		return code
	}
	return c.writeCredentialProcess(role, f.creds)
}

// writeCredentialProcess prints creds as credential_process JSON.
func (c *cli) writeCredentialProcess(role string, creds shared.Credentials) int {
	out, err := credentialProcessJSON(creds)
	if err != nil {
		return c.errorf("role %q: encoding the credentials: %v", role, err)
	}
	if _, err := c.stdout.Write(out); err != nil {
		return c.errorf("writing the credentials to stdout: %v", err)
	}
	return exitOK
}

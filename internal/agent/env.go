package agent

import (
	"regexp"
	"slices"
	"strings"

	"github.com/brs-go/brs/internal/agentproto"
)

// clientOnly reports whether a variable is read only by the programs that call brs
// (agentproto.ClientOnly): callers that differ in them share a host.
func clientOnly(name string) bool { return agentproto.ClientOnly(name) }

// proxyVars are read by every source that calls an endpoint (Go's and botocore's
// proxy settings), in both cases.
var proxyVars = []string{"HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "no_proxy", "all_proxy"}

// baseVar reports whether a source may read the variable whatever the config says:
// the AWS SDK's variables (AWS_PROFILE, AWS_REGION, AWS_CONFIG_FILE,
// AWS_SHARED_CREDENTIALS_FILE, AWS_ACCESS_KEY_ID, ...), brs's own (BRS_PLUGIN_DIR,
// ...), HOME (~/.aws, the SSO cache) and the proxies.
func baseVar(name string) bool {
	if clientOnly(name) {
		return false
	}
	return strings.HasPrefix(name, "AWS_") || strings.HasPrefix(name, "BRS_") || name == "HOME" ||
		slices.Contains(proxyVars, name)
}

// envCall finds env("NAME") in a config file's text; envDynamic finds an env( call
// whose name is not a literal.
var (
	envCall    = regexp.MustCompile(`\benv\(\s*"([^"\\$%]+)"`)
	envDynamic = regexp.MustCompile(`\benv\(\s*[^"\s]`)
	// runsCommand finds a source or attribute that runs a command through a shell
	// (the process source, *_command attributes): PATH then counts. A plugin
	// block's command is found by the agent itself.
	runsCommand = regexp.MustCompile(`_command\b|"process"`)
)

// configVars is what a config file's text says about the variables its roles read:
// the names given to env(), whether one is not a literal (then every variable
// counts), and whether PATH counts (a source runs a command).
type configVars struct {
	envNames []string
	dynamic  bool
	path     bool
}

func varsOf(content []byte) configVars {
	var cv configVars
	for _, m := range envCall.FindAllSubmatch(content, -1) {
		cv.envNames = append(cv.envNames, string(m[1]))
	}
	slices.Sort(cv.envNames)
	cv.envNames = slices.Compact(cv.envNames)
	cv.dynamic = envDynamic.Match(content)
	cv.path = runsCommand.Match(content)
	return cv
}

// relevant reports whether a variable separates hosts of a config file with cv.
func (cv configVars) relevant(name string) bool {
	switch {
	case baseVar(name):
		return true
	case cv.path && name == "PATH":
		return true
	case cv.dynamic:
		return !clientOnly(name)
	}
	_, found := slices.BinarySearch(cv.envNames, name)
	return found
}

// projection returns the variables of environ that separate hosts, sorted, as
// "NAME=value"; and the names among them or the agent's that the plugins' environment
// must set (to the caller's value, or empty where the caller has none).
func (cv configVars) projection(environ, agentEnv []string) (kept []string, names []string) {
	seen := map[string]bool{}
	for _, kv := range environ {
		name, _, ok := strings.Cut(kv, "=")
		if ok && cv.relevant(name) && !seen[name] {
			seen[name] = true
			kept = append(kept, kv)
			names = append(names, name)
		}
	}
	for _, kv := range agentEnv {
		name, _, _ := strings.Cut(kv, "=")
		if cv.relevant(name) && !seen[name] {
			seen[name] = true
			names = append(names, name)
		}
	}
	slices.Sort(kept)
	slices.Sort(names)
	return kept, names
}

// lookup returns name's value in environ.
func lookup(environ []string, name string) (string, bool) {
	for i := len(environ) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(environ[i], "="); ok && k == name {
			return v, true
		}
	}
	return "", false
}

// ClientEnviron is the part of a command's environment sent to the agent: every
// variable but those only a client reads (agentproto.ClientEnviron).
func ClientEnviron(environ []string) []string { return agentproto.ClientEnviron(environ) }

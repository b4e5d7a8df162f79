package agentproto

import "strings"

// ClientOnly reports whether a variable is read only by the programs that call brs
// (the AWS CLI sets AWS_DATA_PATH for its credential_process child; AWS_PAGER,
// AWS_DEFAULT_OUTPUT and AWS_CLI_* shape its output): callers that differ in them
// share a host.
func ClientOnly(name string) bool {
	switch name {
	case "AWS_DATA_PATH", "AWS_PAGER", "AWS_DEFAULT_OUTPUT", "AWS_CLI_AUTO_PROMPT":
		return true
	}
	return strings.HasPrefix(name, "AWS_CLI_") || strings.HasPrefix(name, "BRS_AGENT") || name == "BRS_CONFIG"
}

// ClientEnviron is the part of a command's environment sent to the agent: every
// variable but those only a client reads. The agent keeps what its hosts need.
func ClientEnviron(environ []string) []string {
	var out []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if !ClientOnly(name) {
			out = append(out, kv)
		}
	}
	return out
}

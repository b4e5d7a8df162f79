package config

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/brs-go/brs/shared"
)

// keysHint is the hint for an access key written in a brs file.
const keysHint = "brs never holds keys in its file: config { profile = \"NAME\" } reads them from the AWS credentials file at every refresh, or config { keyring = \"NAME\" } from the OS keyring (brs keys add)."

// roleHints are the hints for names of the AWS config file, and of brs config blocks,
// written directly in a role block: what brs calls them and where they go.
var roleHints = map[string]string{
	"duration_seconds":        `brs's name is duration, a Go duration inside the role's config block: config { duration = "1h" }.`,
	"role_session_name":       `brs's name is session_name, inside the role's config block: config { session_name = "..." }.`,
	"source_profile":          `brs's equivalent is source_role = "NAME", naming the brs role whose credentials sign this one's; for a profile that holds keys, config { profile = "NAME" }.`,
	"role_arn":                `role_arn goes inside the role's config block: config { role_arn = "arn:aws:iam::…" }.`,
	"external_id":             `external_id goes inside the role's config block: config { external_id = "..." }.`,
	"mfa_serial":              `mfa_serial goes inside the role's config block, with mfa_token_command: config { mfa_serial = "...", mfa_token_command = "..." }.`,
	"credential_process":      `brs's equivalent is source = "process" with config { command = "..." }.`,
	"credential_source":       `brs's equivalent is source = "sts" without source_role: the default credential chain of the process that runs brs signs AssumeRole.`,
	"web_identity_token_file": `brs's equivalent is source = "web_identity" with config { token_file = "..." }.`,
	"sso_start_url":           `brs's equivalent is source = "sso" with config { sso_start_url = "..." } (or start_url without sso_session).`,
	"sso_session":             `brs's equivalent is source = "sso" with config { sso_session = "..." }.`,
	"sso_region":              `brs's equivalent is source = "sso" with config { sso_region = "..." }.`,
	"sso_account_id":          `brs's equivalent is source = "sso" with config { account_id = "..." }.`,
	"sso_role_name":           `brs's equivalent is source = "sso" with config { role_name = "..." }.`,
	"endpoint_url":            `brs's name is endpoint: endpoint = "https://…".`,
	"aws_access_key_id":       keysHint,
	"aws_secret_access_key":   keysHint,
	"aws_session_token":       keysHint,
	"duration":                `duration goes inside the role's config block: config { duration = "1h" }.`,
	"session_name":            `session_name goes inside the role's config block: config { session_name = "..." }.`,
	"profile":                 `profile goes inside the role's config block: config { profile = "NAME" }.`,
	"policy_arns":             `policy_arns goes inside the role's config block.`,
	"mfa_token_command":       `mfa_token_command goes inside the role's config block.`,
	"token_file":              `token_file goes inside the role's config block.`,
	"command":                 `command goes inside the role's config block: source = "process" with config { command = "..." }.`,
}

// configRename are names of the AWS config file whose brs name differs, for a
// config block: the hint is given when the source's schema has the brs name.
var configRename = map[string]string{
	"duration_seconds":        "duration",
	"role_session_name":       "session_name",
	"sso_account_id":          "account_id",
	"sso_role_name":           "role_name",
	"web_identity_token_file": "token_file",
	"credential_process":      "command",
	"start_url":               "sso_start_url",
}

// configHints are the hints for names written in a config block that belong on the
// role block, or nowhere.
var configHints = map[string]string{
	"region":                `region is an attribute of the role, outside its config block.`,
	"endpoint":              `endpoint is an attribute of the role, outside its config block.`,
	"endpoint_url":          `brs's name is endpoint, an attribute of the role, outside its config block.`,
	"source_role":           `source_role is an attribute of the role, outside its config block.`,
	"source_profile":        `brs's equivalent is source_role = "NAME" on the role, outside its config block, naming the brs role whose credentials sign this one's; for a profile that holds keys, profile = "NAME".`,
	"aws_access_key_id":     keysHint,
	"aws_secret_access_key": keysHint,
	"aws_session_token":     keysHint,
}

// attrNameAt returns the name of the attribute of body whose name is written at r,
// or "".
func attrNameAt(body hcl.Body, r *hcl.Range) string {
	sb, ok := body.(*hclsyntax.Body)
	if !ok || r == nil {
		return ""
	}
	for name, a := range sb.Attributes {
		if a.NameRange == *r {
			return name
		}
	}
	return ""
}

// hintRole adds to HCL's "Unsupported argument" diagnostics of a role block the
// name brs gives to what the user wrote under the AWS config file's name.
func hintRole(body hcl.Body, diags hcl.Diagnostics) {
	for _, d := range diags {
		if d.Summary != "Unsupported argument" {
			continue
		}
		if hint, ok := roleHints[attrNameAt(body, d.Subject)]; ok {
			d.Detail = addHint(d.Detail, hint)
		}
	}
}

// hintConfig adds to the "Unsupported argument" diagnostics of a config block the
// name that the source's schema gives to an AWS config file's name, or where the
// attribute belongs.
func hintConfig(body hcl.Body, schema shared.Schema, diags hcl.Diagnostics) {
	has := map[string]bool{}
	for _, a := range schema.Attributes {
		has[a.Name] = true
	}
	for _, d := range diags {
		if d.Summary != "Unsupported argument" {
			continue
		}
		name := attrNameAt(body, d.Subject)
		if to, ok := configRename[name]; ok && has[to] {
			d.Detail = addHint(d.Detail, fmt.Sprintf("brs's name for %s is %s.", name, to))
		} else if hint, ok := configHints[name]; ok {
			d.Detail = addHint(d.Detail, hint)
		}
	}
}

// addHint appends hint to detail, in place of HCL's own "Did you mean" guess.
func addHint(detail, hint string) string {
	if i := strings.Index(detail, " Did you mean"); i >= 0 {
		detail = detail[:i]
	}
	return detail + " " + hint
}

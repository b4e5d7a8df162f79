package awsconfig

import (
	"fmt"
	"strings"
)

// profile is one AWS profile after the config and credentials files are merged, as
// the AWS SDKs see it.
type profile struct {
	name string
	// sec holds the merged keys.
	sec *section
	// file and line say where the profile is first defined, for comments.
	file string
	line int
	// dups are "FILE:LINE" of every definition after the first, in the same file;
	// dupKeys the keys set twice, as "KEY (FILE:LINE)".
	dups    []string
	dupKeys []string
	// quirks are what botocore reads differently, as "WHAT (FILE:LINE)".
	quirks []string
	// fromCredentials lists the keys taken from the credentials file.
	fromCredentials []string
}

// config is what an AWS config file and its credentials file hold, merged.
type config struct {
	profiles map[string]*profile
	// order is the profile names in the order they are first defined (config file
	// first).
	order       []string
	ssoSessions map[string]*section
	services    map[string]*section
	// notes are file-level problems: sections the SDKs ignore.
	notes []string
}

// credentialsMergeKeys are the keys the AWS SDK takes from the credentials file into a
// profile that the config file defines too (aws-sdk-go-v2 config.mergeSections); a
// profile defined only in the credentials file is taken whole.
var credentialsMergeKeys = []string{
	"aws_access_key_id", "aws_secret_access_key", "aws_session_token",
	"role_arn", "source_profile", "credential_source", "external_id", "mfa_serial", "role_session_name",
	"region", "endpoint_discovery_enabled", "credential_process", "web_identity_token_file",
	"s3_use_arn_region", "s3_disable_multiregion_access_points", "ec2_metadata_service_endpoint_mode",
	"ec2_metadata_service_endpoint", "ec2_metadata_v1_disabled", "use_dualstack_endpoint", "use_fips_endpoint",
	"defaults_mode", "retry_mode", "ca_bundle", "duration_seconds", "max_attempts",
	"sso_session", "sso_account_id", "sso_region", "sso_role_name", "sso_start_url",
	"auth_scheme_preference", "login_session",
}

// knownConfigSections are the sections of the AWS CLI's config file that hold no
// profile and that brs has nothing to import from.
var knownConfigSections = map[string]bool{"plugins": true, "preview": true}

// load merges a config file's and a credentials file's text into profiles, the way
// aws-sdk-go-v2 does: in the config file a profile is [profile NAME] or [default], and
// [profile default] replaces [default]; in the credentials file it is [NAME], and
// [profile NAME] is ignored; keys from the credentials file win.
func load(configPath, configText, credsPath, credsText string) *config {
	c := &config{profiles: map[string]*profile{}, ssoSessions: map[string]*section{}, services: map[string]*section{}}
	cf := parseINI(configText)
	for _, s := range cf.sections {
		switch {
		case s.kind == "profile" || s.kind == "" && s.name == "default":
			if s.kind == "" {
				if _, ok := cf.byHeader["profile default"]; ok {
					c.notes = append(c.notes, fmt.Sprintf("[default] at %s:%d is ignored: [profile default] replaces it, as in the AWS SDKs", configPath, s.lines[0]))
					continue
				}
			}
			p := &profile{name: s.name, sec: s, file: configPath, line: s.lines[0]}
			p.noteDuplicates(configPath, s)
			if old := c.profiles[s.name]; old != nil {
				// Only [default] and [profile default] can meet here; handled above.
				continue
			}
			c.profiles[s.name] = p
			c.order = append(c.order, s.name)
		case s.kind == "sso-session":
			c.ssoSessions[s.name] = s
		case s.kind == "services":
			c.services[s.name] = s
		case s.kind == "" && knownConfigSections[s.name]:
		default:
			hint := ""
			if s.kind == "" {
				hint = fmt.Sprintf(": in the config file a profile is written [profile %s]", s.name)
			}
			c.notes = append(c.notes, fmt.Sprintf("[%s] at %s:%d is ignored, as the AWS SDKs ignore it%s", s.header(), configPath, s.lines[0], hint))
		}
	}
	if credsText == "" {
		return c
	}
	for _, s := range parseINI(credsText).sections {
		if s.kind != "" {
			c.notes = append(c.notes, fmt.Sprintf("[%s] at %s:%d is ignored, as the AWS SDKs ignore it: in the credentials file a profile is written [%s]", s.header(), credsPath, s.lines[0], s.name))
			continue
		}
		p := c.profiles[s.name]
		if p == nil {
			p = &profile{name: s.name, sec: s, file: credsPath, line: s.lines[0], fromCredentials: s.order}
			p.noteDuplicates(credsPath, s)
			c.profiles[s.name] = p
			c.order = append(c.order, s.name)
			continue
		}
		// Copy rather than change the config file's section.
		merged := &section{kind: p.sec.kind, name: p.sec.name, lines: p.sec.lines, keys: map[string]*value{}}
		for _, k := range p.sec.order {
			merged.set(k, p.sec.keys[k])
		}
		// The SDK takes keys only as a pair; a lone key is a "partial credentials" error.
		for _, k := range credentialsMergeKeys {
			if v := s.keys[k]; v != nil {
				merged.set(k, v)
				p.fromCredentials = append(p.fromCredentials, k)
			}
		}
		p.sec = merged
		p.noteDuplicates(credsPath, s)
	}
	return c
}

// noteDuplicates records the sections and keys that s, read from file, defines twice.
func (p *profile) noteDuplicates(file string, s *section) {
	for _, l := range s.lines[1:] {
		p.dups = append(p.dups, fmt.Sprintf("%s:%d", file, l))
	}
	for _, k := range s.dupKeys {
		p.dupKeys = append(p.dupKeys, strings.Replace(k, "(line ", "("+file+":", 1))
	}
	for _, q := range s.quirks {
		p.quirks = append(p.quirks, strings.Replace(q, "(line ", "("+file+":", 1))
	}
}

// hasKeys reports whether the profile holds both long-term keys.
func (p *profile) hasKeys() bool {
	return p.sec.get("aws_access_key_id") != "" && p.sec.get("aws_secret_access_key") != ""
}

// partialKeys reports whether the profile holds only one of the two keys.
func (p *profile) partialKeys() bool {
	return p.sec.has("aws_access_key_id") != p.sec.has("aws_secret_access_key")
}

// keysWhere says where the profile's keys are, for comments.
func (p *profile) keysWhere(credsPath string) string {
	for _, k := range p.fromCredentials {
		if k == "aws_access_key_id" {
			return credsPath
		}
	}
	return p.file
}

// hasSSO reports whether the profile has SSO settings (a session or the legacy form).
func (p *profile) hasSSO() bool {
	for _, k := range []string{"sso_session", "sso_start_url", "sso_region", "sso_account_id", "sso_role_name"} {
		if p.sec.get(k) != "" {
			return true
		}
	}
	return false
}

// oneLine makes s safe inside a one-line HCL comment.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

package awsconfig

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// role is one role block to write.
type role struct {
	name     string
	source   string
	region   string
	endpoint string
	// sourceRole is the role whose credentials sign this one's AssumeRole.
	sourceRole string
	// attrs are the config block's attributes, in order.
	attrs []attr
	// timeout is the refresh timeout, "" for the default.
	timeout string
	// notes are comments written inside the block, above config.
	notes []string
}

// attr is one attribute of a config block, with an optional comment above it.
type attr struct {
	name, value, comment string
}

// plan is what one AWS profile becomes.
type plan struct {
	p *profile
	// roles are the blocks written for it, the profile's own last; empty when it is
	// not imported.
	roles []*role
	// notes are comments written above the blocks.
	notes []string
	// problem is why the profile is not imported, or what in it is not; written as a
	// comment and reported as a warning.
	problems []string
	// baseOnly is true for a profile whose long-term keys sign other roles' AssumeRole
	// (through profile = NAME) and that has no role of its own.
	baseOnly bool
	// usedBy lists the roles that name this profile with profile = NAME.
	usedBy []string
}

// main returns the profile's own role, nil if it has none.
func (pl *plan) main() *role {
	if len(pl.roles) == 0 {
		return nil
	}
	return pl.roles[len(pl.roles)-1]
}

// translator turns profiles into plans, following source_profile links.
type translator struct {
	cfg       *config
	credsPath string
	plans     map[string]*plan
	// names maps a profile to its role's name; taken holds every name in use.
	names map[string]string
	taken map[string]bool
	// stack is the chain of profiles being translated, for cycle reports; cycles
	// maps each profile on a source_profile cycle to the message that says so.
	stack  []string
	cycles map[string]string
	// touched lists the profiles translated, so that a --profile filter writes the
	// ones it pulled in.
	touched map[string]bool
	// sessions maps a source profile with keys and an MFA serial to the session
	// role made for them (session.go).
	sessions map[[2]string]string
}

// invalidNameChar matches what a brs role name may not hold.
var invalidNameChar = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[^A-Za-z0-9_.-]`) })

// roleName returns a valid, unused brs role name for want.
func (t *translator) roleName(want string) string {
	n := invalidNameChar().ReplaceAllString(want, "-")
	if n == "" || !isAlnum(n[0]) {
		n = "p" + n
	}
	name := n
	for i := 2; t.taken[name]; i++ {
		name = fmt.Sprintf("%s-%d", n, i)
	}
	t.taken[name] = true
	return name
}

func isAlnum(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

// translate returns the plan of the profile called name, translating the profiles it
// depends on first. It returns nil when name closes a source_profile cycle; every
// profile on the cycle then gets a plan that says so.
func (t *translator) translate(name string) *plan {
	if pl := t.plans[name]; pl != nil {
		return pl
	}
	if i := slices.Index(t.stack, name); i >= 0 {
		path := append(slices.Clone(t.stack[i:]), name)
		msg := "its source_profile goes round in a circle (" + strings.Join(quoteAll(path), " → ") + "); the AWS SDKs refuse it too. Make one of them take its credentials from elsewhere"
		for _, n := range path {
			if _, ok := t.cycles[n]; !ok {
				t.cycles[n] = msg
			}
		}
		return nil
	}
	t.touched[name] = true
	t.stack = append(t.stack, name)
	pl := t.build(t.cfg.profiles[name])
	t.stack = t.stack[:len(t.stack)-1]
	if msg, ok := t.cycles[name]; ok {
		pl = &plan{p: t.cfg.profiles[name], problems: []string{msg}}
	}
	t.plans[name] = pl
	return pl
}

func quoteAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = strconv.Quote(n)
	}
	return out
}

// build translates one profile.
func (t *translator) build(p *profile) *plan {
	pl := &plan{p: p}
	s := p.sec
	// The AWS SDK for Go, and so brs, merges duplicates; botocore (the AWS CLI, boto3)
	// refuses the whole file.
	if len(p.dups) > 0 {
		pl.problems = append(pl.problems, fmt.Sprintf("is defined again at %s: the AWS SDK for Go, which brs uses, merges the definitions (later keys win, as imported here), but the AWS CLI and boto3 refuse the whole file. Merge them into one", strings.Join(p.dups, ", ")))
	}
	if len(p.quirks) > 0 {
		pl.problems = append(pl.problems, fmt.Sprintf("is read one way by the AWS SDK for Go, which brs uses and follows here, and another by botocore (the AWS CLI and boto3): %s. Tidy it so that every tool agrees", strings.Join(p.quirks, ", ")))
	}
	if len(p.dupKeys) > 0 {
		pl.problems = append(pl.problems, fmt.Sprintf("sets a key twice: %s. The AWS SDK for Go, which brs uses, takes the later value (as imported here), but the AWS CLI and boto3 refuse the whole file. Keep one", strings.Join(p.dupKeys, ", ")))
	}
	if p.partialKeys() {
		pl.problems = append(pl.problems, "holds only one of aws_access_key_id and aws_secret_access_key; the AWS SDKs refuse such a profile. Add the other one")
		return pl
	}
	roleARN := s.get("role_arn")
	var kinds []string
	for _, k := range []string{"source_profile", "credential_source", "credential_process", "web_identity_token_file"} {
		if s.get(k) != "" {
			kinds = append(kinds, k)
		}
	}
	if len(kinds) > 1 {
		pl.problems = append(pl.problems, fmt.Sprintf("sets %s: the AWS SDKs accept only one of them. Keep one", strings.Join(kinds, " and ")))
		return pl
	}
	for _, k := range []string{"source_profile", "credential_source", "web_identity_token_file"} {
		if s.get(k) != "" && roleARN == "" {
			pl.problems = append(pl.problems, fmt.Sprintf("sets %s without role_arn; the AWS SDKs refuse it. Add role_arn, the role to assume", k))
			return pl
		}
	}
	pl.notes = append(pl.notes, t.unknownKeys(p)...)

	switch {
	case roleARN != "" && s.get("source_profile") != "":
		r := t.stsRole(pl, t.names[p.name])
		if r == nil {
			return pl
		}
		if t.signWithSourceProfile(pl, r, s.get("source_profile")) {
			pl.roles = append(append(pl.roles, t.mfaSession(pl, r)...), r)
		}
	case roleARN != "" && s.get("credential_source") != "":
		r := t.stsRole(pl, t.names[p.name])
		if r == nil {
			return pl
		}
		switch cs := s.get("credential_source"); cs {
		case "Environment":
			r.notes = append(r.notes, "credential_source = Environment: AssumeRole is signed by the default AWS credential chain of the process that runs brs, whose first link is AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
		case "Ec2InstanceMetadata":
			r.notes = append(r.notes, "credential_source = Ec2InstanceMetadata: AssumeRole is signed by the default AWS credential chain of the process that runs brs, which ends with the EC2 instance's role")
		case "EcsContainer":
			r.notes = append(r.notes, "credential_source = EcsContainer: AssumeRole is signed by the default AWS credential chain of the process that runs brs, which reads the container credentials (AWS_CONTAINER_CREDENTIALS_*)")
		default:
			pl.problems = append(pl.problems, fmt.Sprintf("credential_source = %q is not one the AWS SDKs know: use Environment, Ec2InstanceMetadata or EcsContainer", oneLine(cs)))
			return pl
		}
		pl.roles = append(pl.roles, r)
	case s.get("web_identity_token_file") != "":
		t.webIdentityRole(pl)
	case roleARN != "" && p.hasKeys():
		pl.problems = append(pl.problems, fmt.Sprintf("assumes role_arn with its own long-term keys. brs names the profile whose keys sign AssumeRole (profile = NAME), and this one resolves to the assumed role: move aws_access_key_id and aws_secret_access_key to a profile of their own, e.g. [%s-keys] in %s, and set source_profile = %s-keys", p.name, t.credsPath, p.name))
	case roleARN != "" && (p.hasSSO() || s.get("credential_process") != "" || s.get("login_session") != ""):
		// The profile's own credentials sign its AssumeRole: two roles, chained.
		var first *role
		var suffix string
		switch {
		case p.hasSSO():
			suffix = "sso"
		case s.get("login_session") != "":
			suffix = "login"
		default:
			suffix = "process"
		}
		first = &role{name: t.roleName(t.names[p.name] + "-" + suffix)}
		if !t.fillCredentials(pl, first) {
			return pl
		}
		r := t.stsRole(pl, t.names[p.name])
		if r == nil {
			return pl
		}
		r.sourceRole = first.name
		pl.roles = append(pl.roles, first, r)
	case roleARN != "":
		pl.problems = append(pl.problems, "sets role_arn without source_profile or credential_source, so nothing says which credentials sign AssumeRole (the AWS CLI refuses it). Add source_profile = NAME, or credential_source = Environment, Ec2InstanceMetadata or EcsContainer")
	case p.hasKeys():
		pl.baseOnly = true
		if p.hasSSO() || s.get("credential_process") != "" || s.get("login_session") != "" {
			pl.notes = append(pl.notes, "its other credential settings are ignored: the AWS SDKs use the keys first")
		}
	default:
		r := &role{name: t.names[p.name]}
		if t.fillCredentials(pl, r) {
			pl.roles = append(pl.roles, r)
		}
	}
	return pl
}

// fillCredentials makes r the role of the profile's own credentials: SSO, an `aws
// login` session or credential_process. It returns false, with a problem, when there
// are none or they cannot be imported.
func (t *translator) fillCredentials(pl *plan, r *role) bool {
	p, s := pl.p, pl.p.sec
	switch {
	case p.hasSSO():
		return t.ssoRole(pl, r)
	case s.get("login_session") != "":
		// The AWS SDKs take a login session before credential_process.
		return t.loginRole(pl, r)
	case s.get("credential_process") != "":
		cmd := s.get("credential_process")
		if isBRS(cmd) {
			pl.problems = append(pl.problems, "its credential_process runs brs itself: it is already a brs role, and importing it would make brs call itself")
			return false
		}
		if t.rolesAnywhere(pl, r, cmd) {
			return true
		}
		r.source = "process"
		r.region = s.get("region")
		if strings.ContainsAny(cmd, "$`") {
			r.notes = append(r.notes, "brs runs the command with sh -c, which expands $ and `; the AWS CLI runs it without a shell")
		}
		r.attrs = append(r.attrs, attr{name: "command", value: cmd})
		return true
	default:
		pl.problems = append(pl.problems, "has no credentials: no keys, role_arn, SSO, credential_process or web identity. The AWS SDKs would fall back to container or instance credentials; there is nothing to import")
		return false
	}
}

// isBRS reports whether a credential_process command runs brs.
func isBRS(cmd string) bool {
	f := strings.Fields(cmd)
	if len(f) == 0 {
		return false
	}
	first := strings.Trim(f[0], `"'`)
	return path.Base(first) == "brs" || path.Base(first) == "brs.exe"
}

// stsRole starts the sts role of a profile with role_arn: the settings that do not
// depend on what signs it. It returns nil, with a problem, if one of them cannot be
// imported.
func (t *translator) stsRole(pl *plan, name string) *role {
	s := pl.p.sec
	r := &role{name: name, source: "sts", region: s.get("region")}
	var ok bool
	if r.endpoint, ok = t.endpoint(pl, "sts"); !ok {
		return nil
	}
	r.attrs = append(r.attrs, attr{name: "role_arn", value: s.get("role_arn")})
	if v := t.sessionName(pl); v != "" {
		r.attrs = append(r.attrs, attr{name: "session_name", value: v})
	}
	if d, ok := t.duration(pl); ok && d != "" {
		r.attrs = append(r.attrs, attr{name: "duration", value: d})
	} else if !ok {
		return nil
	}
	if v := s.get("external_id"); v != "" {
		if !externalIDRE().MatchString(v) || len(v) > 1224 {
			pl.problems = append(pl.problems, fmt.Sprintf("external_id %q is not one STS accepts (2 to 1224 letters, digits and _+=,.@:/-). Fix it", oneLine(v)))
			return nil
		}
		r.attrs = append(r.attrs, attr{name: "external_id", value: v})
	}
	if v := s.get("mfa_serial"); v != "" {
		if !mfaSerialRE().MatchString(v) {
			pl.problems = append(pl.problems, fmt.Sprintf("mfa_serial %q is not an MFA device's serial number or ARN (9 to 256 letters, digits and _+=/:,.@-). Fix it", oneLine(v)))
			return nil
		}
		r.attrs = append(r.attrs,
			attr{name: "mfa_serial", value: v},
			attr{name: "mfa_token_command", value: "echo 'brs: set mfa_token_command in brs.hcl to a command that prints the current code of " + oneLine(v) + "' >&2; exit 1",
				comment: "The AWS CLI asks for the MFA code; brs runs this command at every refresh. Replace it with one that prints the code, e.g. ykman oath accounts code -s NAME, or delete it to be asked on the terminal of the command that needs the code (through the agent too)"})
		r.timeout = "3m"
		pl.problems = append(pl.problems, mfaEveryRefresh)
	}
	return r
}

// signWithSourceProfile makes r's AssumeRole signed by source_profile src: its keys
// (profile = src) or its role (source_role). It returns false, with a problem, when
// src cannot sign it.
func (t *translator) signWithSourceProfile(pl *plan, r *role, src string) bool {
	sp := t.cfg.profiles[src]
	switch {
	case sp == nil:
		pl.problems = append(pl.problems, fmt.Sprintf("its source_profile %q is not defined in %s or %s. Define it, or point source_profile at a profile that is", src, pl.p.file, t.credsPath))
		return false
	case sp.hasKeys():
		// A source profile with keys signs with them, whatever else it holds (the
		// AWS SDKs stop there); brs can name it only if they are all it resolves to.
		t.touched[src] = true
		for _, k := range []string{"role_arn", "source_profile", "credential_source", "web_identity_token_file"} {
			if sp.sec.get(k) != "" {
				pl.problems = append(pl.problems, fmt.Sprintf("its source_profile %q signs with its long-term keys, but also sets %s, so naming it in brs would sign with something else. Move its aws_access_key_id and aws_secret_access_key to a profile of their own, e.g. [%s-keys] in %s, and point source_profile at that", src, k, src, t.credsPath))
				return false
			}
		}
		r.attrs = append(r.attrs, attr{name: "profile", value: src,
			comment: fmt.Sprintf("AssumeRole is signed with the keys of AWS profile %q, read from %s at refresh time", src, sp.keysWhere(t.credsPath))})
		if bp := t.translate(src); bp != nil {
			bp.usedBy = append(bp.usedBy, r.name)
		}
		return true
	}
	sub := t.translate(src)
	if sub != nil && sub.main() != nil {
		r.sourceRole = sub.main().name
		return true
	}
	pl.problems = append(pl.problems, fmt.Sprintf("its source_profile %q is not imported (see there)", src))
	return false
}

// The values STS accepts, as the sts source checks them.
var (
	// Compiled on first use, not at start: brs links this package, and the bounded
	// repetitions compile to thousands of allocations that every brs command (the
	// credential-process client of the agent too) would pay before main.
	sessionNameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[\w+=,.@-]{2,64}$`) })
	externalIDRE  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[\w+=,.@:/-]{2,}$`) }) // and at most 1224
	mfaSerialRE   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[\w+=/:,.@-]{9,256}$`) })
)

// sessionName returns role_session_name, or "" with a problem when STS would refuse it.
func (t *translator) sessionName(pl *plan) string {
	v := pl.p.sec.get("role_session_name")
	if v == "" || sessionNameRE().MatchString(v) {
		return v
	}
	pl.problems = append(pl.problems, fmt.Sprintf("role_session_name %q is left out: STS accepts 2 to 64 letters, digits and _+=,.@- only, so brs uses its default, brs-ROLE. Fix it in the AWS config too", oneLine(v)))
	return ""
}

// duration converts duration_seconds; ok is false, with a problem, when it is not a
// number of seconds STS accepts.
func (t *translator) duration(pl *plan) (string, bool) {
	v := pl.p.sec.get("duration_seconds")
	if v == "" {
		return "", true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 900 || n > 43200 {
		pl.problems = append(pl.problems, fmt.Sprintf("duration_seconds = %q is not a number of seconds between 900 and 43200. Fix it", oneLine(v)))
		return "", false
	}
	switch {
	case n%3600 == 0:
		return fmt.Sprintf("%dh", n/3600), true
	case n%60 == 0:
		return fmt.Sprintf("%dm", n/60), true
	}
	return fmt.Sprintf("%ds", n), true
}

// webIdentityRole translates a profile with web_identity_token_file.
func (t *translator) webIdentityRole(pl *plan) {
	s := pl.p.sec
	file := s.get("web_identity_token_file")
	if !strings.HasPrefix(file, "/") {
		pl.problems = append(pl.problems, fmt.Sprintf("web_identity_token_file %q is not an absolute path, which brs needs. Write the full path", oneLine(file)))
		return
	}
	r := &role{name: t.names[pl.p.name], source: "web_identity", region: s.get("region")}
	var ok bool
	if r.endpoint, ok = t.endpoint(pl, "sts"); !ok {
		return
	}
	r.attrs = append(r.attrs, attr{name: "role_arn", value: s.get("role_arn")}, attr{name: "token_file", value: file})
	if v := t.sessionName(pl); v != "" {
		r.attrs = append(r.attrs, attr{name: "session_name", value: v})
	}
	pl.roles = append(pl.roles, r)
}

// ssoRole fills r from the profile's SSO settings: an sso-session, or the legacy form.
func (t *translator) ssoRole(pl *plan, r *role) bool {
	s := pl.p.sec
	r.source = "sso"
	r.region = s.get("region")
	var ok bool
	if r.endpoint, ok = t.endpoint(pl, "sso"); !ok {
		return false
	}
	var missing []string
	need := func(key, v string) string {
		if v == "" {
			missing = append(missing, key)
		}
		return v
	}
	if name := s.get("sso_session"); name != "" {
		sess := t.cfg.ssoSessions[name]
		if sess == nil {
			pl.problems = append(pl.problems, fmt.Sprintf("its sso_session %q has no [sso-session %s] section in %s. Add it, with sso_start_url and sso_region", name, name, pl.p.file))
			return false
		}
		start, region := need("sso_start_url", sess.get("sso_start_url")), need("sso_region", sess.get("sso_region"))
		if len(missing) > 0 {
			pl.problems = append(pl.problems, fmt.Sprintf("its [sso-session %s] lacks %s. Add it", name, strings.Join(missing, " and ")))
			return false
		}
		for _, k := range []string{"sso_start_url", "sso_region"} {
			if v := s.get(k); v != "" && v != sess.get(k) {
				pl.problems = append(pl.problems, fmt.Sprintf("its %s differs from the one of [sso-session %s]; the AWS SDKs refuse it. Remove it from the profile", k, name))
				return false
			}
		}
		r.attrs = append(r.attrs, attr{name: "sso_session", value: name}, attr{name: "sso_start_url", value: start}, attr{name: "sso_region", value: region})
	} else {
		start, region := need("sso_start_url", s.get("sso_start_url")), need("sso_region", s.get("sso_region"))
		if len(missing) == 0 {
			r.attrs = append(r.attrs, attr{name: "start_url", value: start,
				comment: "The legacy SSO form: its token cannot be renewed, so run aws sso login --profile " + oneLine(pl.p.name) + " when it expires"},
				attr{name: "sso_region", value: region})
		}
	}
	account, roleName := need("sso_account_id", s.get("sso_account_id")), need("sso_role_name", s.get("sso_role_name"))
	if len(missing) > 0 {
		pl.problems = append(pl.problems, fmt.Sprintf("is an SSO profile without %s. Add %s", strings.Join(missing, ", "), map[bool]string{true: "it", false: "them"}[len(missing) == 1]))
		return false
	}
	r.attrs = append(r.attrs, attr{name: "account_id", value: account}, attr{name: "role_name", value: roleName})
	e, ok := t.endpoint(pl, "sso_oidc")
	if !ok {
		return false
	}
	if e != "" {
		r.attrs = append(r.attrs, attr{name: "oidc_endpoint", value: e})
	}
	return true
}

// endpoint returns the endpoint a profile sets for a service (its [services NAME]
// section's, else its endpoint_url), "" for none or when the profile ignores them.
// It returns false, with a problem, for an endpoint that is not an http(s) URL: left
// out, the role would call AWS instead.
func (t *translator) endpoint(pl *plan, service string) (string, bool) {
	s := pl.p.sec
	if strings.EqualFold(s.get("ignore_configured_endpoint_urls"), "true") {
		return "", true
	}
	e := s.get("endpoint_url")
	where := "endpoint_url"
	if name := s.get("services"); name != "" {
		if svc := t.cfg.services[name]; svc != nil {
			if v := svc.keys[service]; v != nil && v.sub["endpoint_url"] != "" {
				e = v.sub["endpoint_url"]
				where = fmt.Sprintf("[services %s] %s endpoint_url", name, service)
			}
		} else if service == "sts" || service == "sso" || service == "signin" {
			msg := fmt.Sprintf("its services = %s names no [services %s] section; the AWS SDKs ignore it too", name, name)
			if !slices.Contains(pl.notes, msg) {
				pl.notes = append(pl.notes, msg)
			}
		}
	}
	if e == "" {
		return "", true
	}
	if u, err := url.Parse(e); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		pl.problems = append(pl.problems, fmt.Sprintf("%s %q is not an http(s) URL such as http://localhost:4566. Fix it", where, oneLine(e)))
		return "", false
	}
	return e, true
}

// handledKeys are the profile keys that brs import reads.
var handledKeys = map[string]bool{
	"aws_access_key_id": true, "aws_secret_access_key": true, "aws_session_token": true,
	"role_arn": true, "source_profile": true, "credential_source": true, "external_id": true,
	"mfa_serial": true, "role_session_name": true, "duration_seconds": true, "region": true,
	"sso_session": true, "sso_start_url": true, "sso_region": true, "sso_account_id": true, "sso_role_name": true,
	"web_identity_token_file": true, "credential_process": true, "endpoint_url": true, "services": true,
	"ignore_configured_endpoint_urls": true, "login_session": true,
}

// irrelevantKeys are profile keys that do not change which credentials a profile
// gives: output format, retries, other services' settings.
var irrelevantKeys = map[string]bool{
	"output": true, "cli_pager": true, "cli_timestamp_format": true, "cli_binary_format": true,
	"cli_auto_prompt": true, "cli_history": true, "cli_follow_urlparam": true, "retry_mode": true,
	"max_attempts": true, "defaults_mode": true, "parameter_validation": true, "tcp_keepalive": true,
	"s3": true, "s3api": true, "metadata_service_timeout": true, "metadata_service_num_attempts": true,
	"ec2_metadata_service_endpoint": true, "ec2_metadata_service_endpoint_mode": true, "ec2_metadata_v1_disabled": true,
	"endpoint_discovery_enabled": true, "sdk_ua_app_id": true, "request_checksum_calculation": true,
	"response_checksum_validation": true, "request_min_compression_size_bytes": true,
	"disable_request_compression": true, "account_id_endpoint_mode": true, "aws_account_id": true,
	"auth_scheme_preference": true, "sigv4a_signing_region_set": true, "sso_registration_scopes": true,
	"s3_use_arn_region": true, "s3_disable_multiregion_access_points": true, "sts_regional_endpoints": true,
	"disable_host_prefix_injection": true, "aws_security_token": true, "cli_history_db": true,
	"disable_s3_express_session_auth": true,
}

// unknownKeys notes the keys brs import does not read that may change a profile's
// credentials. Only key names are written: a value may be a secret.
func (t *translator) unknownKeys(p *profile) []string {
	var unread, known []string
	for _, k := range p.sec.order {
		switch {
		case handledKeys[k] || irrelevantKeys[k]:
		case k == "ca_bundle" || k == "use_fips_endpoint" || k == "use_dualstack_endpoint":
			known = append(known, k)
		default:
			unread = append(unread, k)
		}
	}
	var notes []string
	if len(known) > 0 {
		notes = append(notes, fmt.Sprintf("not imported: %s (brs calls the standard endpoint over the system's roots; set the role's endpoint, or AWS_CA_BUNDLE in brs's environment)", strings.Join(known, ", ")))
	}
	if len(unread) > 0 {
		notes = append(notes, fmt.Sprintf("keys brs import does not know, left out: %s", strings.Join(unread, ", ")))
	}
	return notes
}

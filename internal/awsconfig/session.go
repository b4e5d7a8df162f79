package awsconfig

import (
	"fmt"
	"slices"
	"time"
)

// mfaSession maps an AWS CLI profile that assumes a role with MFA, signed by the
// long-term keys of its source_profile, onto a brs session role (GetSessionToken with
// the MFA code, signed by those keys) and the role chained on it: one MFA code per
// session for every role that shares the keys and the device, instead of one per
// refresh of each role. Roles of the same keys and device share one session role.
//
// r is the profile's sts role, already signed with profile = src; it is left as it
// is when it has no mfa_serial. The returned roles are written before r.
func (t *translator) mfaSession(pl *plan, r *role) []*role {
	serial := attrValue(r, "mfa_serial")
	src := attrValue(r, "profile")
	if serial == "" || src == "" {
		return nil
	}
	if t.sessions == nil {
		t.sessions = map[[2]string]string{}
	}
	var out []*role
	key := [2]string{src, serial}
	name, ok := t.sessions[key]
	if !ok {
		name = t.roleName(src + "-mfa")
		region := r.region
		if sp := t.cfg.profiles[src]; sp != nil && sp.sec.get("region") != "" {
			region = sp.sec.get("region")
		}
		t.sessions[key] = name
		out = append(out, &role{
			name: name, source: "session", region: region, endpoint: r.endpoint, timeout: r.timeout,
			attrs: []attr{
				{name: "profile", value: src, comment: fmt.Sprintf("GetSessionToken is signed with the keys of AWS profile %q, read at refresh time", src)},
				{name: "mfa_serial", value: serial},
				{name: "mfa_token_command", value: attrValue(r, "mfa_token_command"),
					comment: "The AWS CLI asks for the MFA code; brs runs this command once per session (12h), for every role chained on it. Replace it with one that prints the code, e.g. ykman oath accounts code -s NAME"},
			},
		})
	}
	if bp := t.plans[src]; bp != nil {
		// The keys now sign the session, not r.
		bp.usedBy = slices.DeleteFunc(bp.usedBy, func(n string) bool { return n == r.name })
		if !slices.Contains(bp.usedBy, name) {
			bp.usedBy = append(bp.usedBy, name)
		}
	}
	r.attrs = slices.DeleteFunc(r.attrs, func(a attr) bool {
		return a.name == "mfa_serial" || a.name == "mfa_token_command" || a.name == "profile"
	})
	r.sourceRole, r.timeout = name, ""
	r.notes = append(r.notes, fmt.Sprintf("Assumed with the MFA session of role %q, whose code serves every role chained on it; the role's trust policy sees aws:MultiFactorAuthPresent", name))
	for i, a := range r.attrs {
		if a.name != "duration" {
			continue
		}
		if d, err := time.ParseDuration(a.value); err == nil && d > time.Hour {
			r.attrs[i].value = "1h"
			r.attrs[i].comment = fmt.Sprintf("duration_seconds asked for %s, but AWS caps a role assumed with session credentials (role chaining) at 1h; brs refreshes it from the session", a.value)
		}
	}
	pl.problems = slices.DeleteFunc(pl.problems, func(p string) bool { return p == mfaEveryRefresh })
	if !ok {
		pl.problems = append(pl.problems, "needs an MFA code once per session: replace mfa_token_command of role \""+name+"\" with a command that prints it, or delete it to be asked on the terminal")
	}
	return out
}

// mfaEveryRefresh is the problem stsRole reports for a role with mfa_serial.
const mfaEveryRefresh = "needs an MFA code at every refresh: replace mfa_token_command with a command that prints it, or delete it to be asked on the terminal"

// attrValue returns the value of r's attribute name, or "".
func attrValue(r *role, name string) string {
	for _, a := range r.attrs {
		if a.name == name {
			return a.value
		}
	}
	return ""
}

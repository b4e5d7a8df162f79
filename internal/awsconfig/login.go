package awsconfig

import (
	"fmt"
	"strings"
	"unicode"
)

// loginRole fills r from the profile's login_session (a session of `aws login`): a
// role of the login source, which serves and refreshes the session's credentials from
// the AWS CLI's login cache. It returns false, with a problem, when the profile
// cannot be imported.
func (t *translator) loginRole(pl *plan, r *role) bool {
	s := pl.p.sec
	session := strings.TrimSpace(s.get("login_session"))
	if len(session) > 2048 || strings.IndexFunc(session, func(c rune) bool { return unicode.IsSpace(c) || unicode.IsControl(c) }) >= 0 {
		pl.problems = append(pl.problems, fmt.Sprintf("login_session %q is not the ARN `aws login` writes (one word of at most 2048 characters). Run aws login --profile %s again", oneLine(session), oneLine(pl.p.name)))
		return false
	}
	r.source = "login"
	r.region = s.get("region")
	if r.region == "" {
		pl.problems = append(pl.problems, fmt.Sprintf("uses login_session without region: the session is refreshed at the sign-in service of the region it was made in. Add region, or run aws login --profile %s again", oneLine(pl.p.name)))
		return false
	}
	var ok bool
	if r.endpoint, ok = t.endpoint(pl, "signin"); !ok {
		return false
	}
	r.attrs = append(r.attrs, attr{name: "login_session", value: session,
		comment: "The `aws login` session whose cached credentials brs serves and refreshes; run aws login --profile " + oneLine(pl.p.name) + " when it ends"})
	return true
}

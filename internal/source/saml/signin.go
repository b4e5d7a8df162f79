package saml

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/brs-go/brs/shared"
)

// stsMaxAge is how old an assertion's IssueInstant may be when STS receives it.
const stsMaxAge = 5 * time.Minute

// reuseMargin is taken off an assertion's validity before another role reuses it,
// for the call to reach STS and for the clocks of this machine, the identity provider
// and STS to differ.
const reuseMargin = 30 * time.Second

// signin is one run of saml_command and the SAMLResponse it printed. The roles that
// run the same command share it while its assertion is valid: with several roles
// from one identity provider, one sign-in (one password, one MFA push) serves them
// all, as one browser sign-in does at the AWS console. A role that has used it runs
// the command again at its next refresh.
type signin struct {
	done  chan struct{} // closed when the command has run and the fields are set
	b64   string
	doc   []byte
	resp  samlResponse
	err   error
	until time.Time // other roles may use it before this time

	used map[string]bool // the roles that have used it; guarded by Refresher.mu
}

// commandKey identifies what saml_command a role runs, and with which environment:
// roles whose keys are equal get the same assertion from it.
func (s settings) commandKey() string {
	var b strings.Builder
	b.WriteString(s.SAMLCommand)
	b.WriteByte(0)
	env := make([]string, 0, len(s.Env))
	for k, v := range s.Env {
		env = append(env, k+"="+v)
	}
	slices.Sort(env)
	for _, kv := range env {
		b.WriteString(kv)
		b.WriteByte(0)
	}
	b.WriteByte(0)
	inherit := slices.Clone(s.InheritEnv)
	slices.Sort(inherit)
	b.WriteString(strings.Join(inherit, "\x00"))
	return b.String()
}

// signIn returns the SAMLResponse for role: the one another role's run of the same
// command produced, if it is still valid and role has not used it yet (waiting for
// that run if it is in progress), else a new run's.
func (r *Refresher) signIn(ctx context.Context, s settings, role string) (*signin, error) {
	key := s.commandKey()
	r.mu.Lock()
	if si := r.signins[key]; si != nil && !si.used[role] {
		select {
		case <-si.done:
			if si.err == nil && r.now().Before(si.until) {
				si.used[role] = true
				r.mu.Unlock()
				r.log.Debug("using the SAML assertion another role's saml_command printed", "role", role)
				return si, nil
			}
			// Failed, or too old for STS: sign in anew.
		default:
			// In progress: one sign-in for the roles that ask meanwhile, and one
			// failure if it fails (not one prompt after another).
			si.used[role] = true
			r.mu.Unlock()
			select {
			case <-si.done:
			case <-ctx.Done():
				return nil, shared.Retryable("Canceled", "the refresh was cancelled while another role's saml_command ran")
			}
			if si.err != nil {
				return nil, si.err
			}
			if r.now().Before(si.until) {
				r.log.Debug("using the SAML assertion another role's saml_command printed", "role", role)
				return si, nil
			}
			r.mu.Lock()
		}
	}
	now := r.now()
	for k, old := range r.signins { // forget the runs no role can use any more
		select {
		case <-old.done:
			if old.err != nil || !now.Before(old.until) {
				delete(r.signins, k)
			}
		default:
		}
	}
	si := &signin{done: make(chan struct{}), used: map[string]bool{role: true}}
	r.signins[key] = si
	r.mu.Unlock()

	defer close(si.done)
	out, err := r.runCommand(ctx, s)
	if err == nil {
		si.b64, si.doc, err = decodeOutput(out)
	}
	if err == nil {
		si.resp, err = parseResponse(si.doc)
	}
	si.err = err
	if err == nil {
		si.until = si.resp.reusableUntil()
	}
	return si, err
}

// forget stops other roles from using si, after STS refused it or a call failed.
func (r *Refresher) forget(s settings, si *signin) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if key := s.commandKey(); r.signins[key] == si {
		delete(r.signins, key)
	}
}

// reusableUntil is when the assertions of the response stop being usable by another
// role: the earliest of their IssueInstant plus stsMaxAge and their NotOnOrAfter
// times, less reuseMargin. Zero when an assertion's IssueInstant cannot be read (an
// encrypted assertion): then no other role uses it.
func (r samlResponse) reusableUntil() time.Time {
	if r.issued.IsZero() {
		return time.Time{}
	}
	until := r.issued.Add(stsMaxAge)
	if !r.notOnOrAfter.IsZero() && r.notOnOrAfter.Before(until) {
		until = r.notOnOrAfter
	}
	return until.Add(-reuseMargin)
}

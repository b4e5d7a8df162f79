// Package sources gives Go programs brs's built-in credential sources to run
// in-process, without a plugin subprocess: the same code as the brs-plugin-* binaries,
// handed to the host with host.WithRefresher.
//
//	h, err := host.Load(ctx, "brs.hcl", host.WithRefresher("sts", sources.STS()))
//
// or every built-in source at once:
//
//	h, err := host.Load(ctx, "brs.hcl", host.WithRefreshers(sources.All()))
//
// A role whose source is registered this way is refreshed in the program's own
// process: no binary to install or pin, no process to start, nothing to kill. The
// refresher shares the program's memory, so a crash or a hang in it is the program's
// (a plugin subprocess is isolated, restarted after a crash and killed when it hangs);
// use plugins for sources you do not trust.
package sources

import (
	"io"

	"github.com/hashicorp/go-hclog"

	"github.com/brs-go/brs/internal/source/ecs"
	"github.com/brs-go/brs/internal/source/iot"
	"github.com/brs-go/brs/internal/source/login"
	"github.com/brs-go/brs/internal/source/process"
	"github.com/brs-go/brs/internal/source/rolesanywhere"
	"github.com/brs-go/brs/internal/source/saml"
	"github.com/brs-go/brs/internal/source/session"
	"github.com/brs-go/brs/internal/source/sso"
	"github.com/brs-go/brs/internal/source/sts"
	"github.com/brs-go/brs/internal/source/webidentity"
	"github.com/brs-go/brs/shared"
)

// Names of the built-in sources, as a role's source attribute gives them.
const (
	NameSTS           = "sts"
	NameWebIdentity   = "web_identity"
	NameSSO           = "sso"
	NameProcess       = "process"
	NameECS           = "ecs"
	NameIoT           = "iot"
	NameSession       = "session"
	NameSAML          = "saml"
	NameRolesAnywhere = "roles_anywhere"
	NameLogin         = "login"
)

// Option configures the sources that log or run commands.
type Option func(*options)

type options struct {
	logger hclog.Logger
	stderr io.Writer
}

// WithLogger sets the logger of the sources that log (web_identity, sso, process, saml,
// login).
// The default discards logs. Unlike a plugin's stderr, which the host redacts, what
// an in-process source logs goes to this logger as it is; the built-in sources never
// log secrets.
func WithLogger(l hclog.Logger) Option { return func(o *options) { o.logger = l } }

// WithStderr sets where the commands that web_identity (token_command), saml
// (saml_command), process and roles_anywhere (passphrase_command) run write their
// standard error. The default is the program's standard error.
func WithStderr(w io.Writer) Option { return func(o *options) { o.stderr = w } }

func newOptions(opts []Option) options {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// STS returns the sts source: AssumeRole, with MFA, session policies and tags, signed
// with the default AWS credential chain or the source_role's credentials.
func STS() shared.Refresher { return sts.New() }

// WebIdentity returns the web_identity source: AssumeRoleWithWebIdentity with a token
// read from a file or printed by a command.
func WebIdentity(opts ...Option) shared.Refresher {
	o := newOptions(opts)
	var wo []webidentity.Option
	if o.logger != nil {
		wo = append(wo, webidentity.WithLogger(o.logger))
	}
	if o.stderr != nil {
		wo = append(wo, webidentity.WithStderr(o.stderr))
	}
	return webidentity.New(wo...)
}

// SSO returns the sso source: IAM Identity Center role credentials from the token
// cache that `aws sso login` fills.
func SSO(opts ...Option) shared.Refresher {
	o := newOptions(opts)
	var so []sso.Option
	if o.logger != nil {
		so = append(so, sso.WithLogger(o.logger))
	}
	return sso.New(so...)
}

// Process returns the process source: the JSON a credential_process command prints.
func Process(opts ...Option) shared.Refresher {
	o := newOptions(opts)
	var po []process.Option
	if o.logger != nil {
		po = append(po, process.WithLogger(o.logger))
	}
	if o.stderr != nil {
		po = append(po, process.WithStderr(o.stderr))
	}
	return process.New(po...)
}

// ECS returns the ecs source: the container credentials endpoint of ECS, EKS Pod
// Identity or `brs serve`.
func ECS() shared.Refresher { return ecs.New() }

// IoT returns the iot source: the AWS IoT credentials provider, with an X.509
// certificate.
func IoT() shared.Refresher { return iot.New() }

// Session returns the session source: STS GetSessionToken with an MFA code, signed
// with a long-term key from the keyring, a profile or the default chain; the base of
// chained roles.
func Session() shared.Refresher { return session.New() }

// SAML returns the saml source: AssumeRoleWithSAML with the SAML assertion a command
// prints.
func SAML(opts ...Option) shared.Refresher {
	o := newOptions(opts)
	var so []saml.Option
	if o.logger != nil {
		so = append(so, saml.WithLogger(o.logger))
	}
	if o.stderr != nil {
		so = append(so, saml.WithStderr(o.stderr))
	}
	return saml.New(so...)
}

// RolesAnywhere returns the roles_anywhere source: IAM Roles Anywhere CreateSession,
// signed with an X.509 certificate's private key.
func RolesAnywhere(opts ...Option) shared.Refresher {
	o := newOptions(opts)
	var ro []rolesanywhere.Option
	if o.stderr != nil {
		ro = append(ro, rolesanywhere.WithStderr(o.stderr))
	}
	return rolesanywhere.New(ro...)
}

// Login returns the login source: the credentials of an `aws login` session, from the
// AWS CLI's login cache, refreshed with the sign-in service (DPoP-bound).
func Login(opts ...Option) shared.Refresher {
	o := newOptions(opts)
	var lo []login.Option
	if o.logger != nil {
		lo = append(lo, login.WithLogger(o.logger))
	}
	return login.New(lo...)
}

// All returns every built-in source by name, for host.WithRefreshers.
func All(opts ...Option) map[string]shared.Refresher {
	return map[string]shared.Refresher{
		NameSTS:           STS(),
		NameWebIdentity:   WebIdentity(opts...),
		NameSSO:           SSO(opts...),
		NameProcess:       Process(opts...),
		NameECS:           ECS(),
		NameIoT:           IoT(),
		NameSession:       Session(),
		NameSAML:          SAML(opts...),
		NameRolesAnywhere: RolesAnywhere(opts...),
		NameLogin:         Login(opts...),
	}
}

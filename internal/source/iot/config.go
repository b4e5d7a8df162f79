package iot

import (
	"context"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/brs-go/brs/shared"
)

// config is a role's config block as the host sends it. The json tags are the
// attribute names of Schema.
type config struct {
	Endpoint  string `json:"endpoint"`
	RoleAlias string `json:"role_alias"`
	ThingName string `json:"thing_name"`
	Cert      string `json:"cert"`
	Key       string `json:"key"`
	CA        string `json:"ca"`
	Timeout   string `json:"timeout"`
}

const (
	// defaultTimeout bounds one request: a TLS handshake and one call to an AWS
	// endpoint, possibly over a slow device network. The host's own refresh deadline
	// (30s by default) still applies.
	defaultTimeout = 10 * time.Second
	minTimeout     = 100 * time.Millisecond
	maxTimeout     = 5 * time.Minute
)

var (
	// roleAliasChars is AWS IoT's RoleAlias pattern (CreateRoleAlias API reference).
	roleAliasChars = regexp.MustCompile(`^[\w=,@-]{1,128}$`)
	// thingNameChars is AWS IoT's ThingName pattern (CreateThing API reference).
	thingNameChars = regexp.MustCompile(`^[a-zA-Z0-9:_-]{1,128}$`)
	// dataEndpoint matches the AWS IoT data (MQTT) endpoint, which is not the
	// credentials provider's, e.g. a1b2c3-ats.iot.us-east-1.amazonaws.com.
	dataEndpoint = regexp.MustCompile(`(?i)^[a-z0-9]+(-ats)?\.iot\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$`)
)

// settings is a valid config with the URL built and the defaults applied.
type settings struct {
	config
	url     *url.URL
	timeout time.Duration
}

// Validate checks a config block: the endpoint, the names and the paths. It reads no
// file and makes no network call.
func (r *Refresher) Validate(_ context.Context, req *shared.ValidateRequest) (*shared.ValidateResponse, error) {
	_, ds := parseConfig(req.Config)
	return &shared.ValidateResponse{Diagnostics: ds}, nil
}

// parseConfig decodes and checks cfg. The settings are only meaningful when the
// diagnostics hold no error.
func parseConfig(cfg shared.Config) (settings, shared.Diagnostics) {
	var c config
	if ds := shared.DecodeConfig(cfg, &c); ds != nil {
		return settings{}, ds
	}
	s := settings{config: c, timeout: defaultTimeout}
	var ds shared.Diagnostics

	base, d := parseEndpoint(c.Endpoint)
	ds = append(ds, d...)
	switch {
	case c.RoleAlias == "":
		ds = append(ds, shared.ErrorDiag("role_alias", "Missing role alias", "Set role_alias to the name of the AWS IoT role alias to get credentials for (aws iot list-role-aliases)."))
	case !roleAliasChars.MatchString(c.RoleAlias):
		ds = append(ds, shared.ErrorDiag("role_alias", "Invalid role alias", "role_alias must be 1 to 128 characters of letters, digits and _=,@-; %q is not.", c.RoleAlias))
	}
	if base != nil && !ds.HasErrors() {
		u := *base
		u.Path = "/role-aliases/" + c.RoleAlias + "/credentials"
		s.url = &u
	}
	if c.ThingName != "" && !thingNameChars.MatchString(c.ThingName) {
		ds = append(ds, shared.ErrorDiag("thing_name", "Invalid thing name", "thing_name must be 1 to 128 characters of letters, digits and :_-; %q is not.", c.ThingName))
	}

	ds = append(ds, checkPath("cert", c.Cert, true, "the device certificate")...)
	ds = append(ds, checkPath("key", c.Key, true, "the certificate's private key")...)
	ds = append(ds, checkPath("ca", c.CA, false, "")...)

	if c.Timeout != "" {
		if d, diag := timeoutAttr.CheckDuration(c.Timeout); diag != nil {
			ds = append(ds, *diag)
		} else {
			s.timeout = d
		}
	}
	return s, ds
}

// parseEndpoint accepts a host name, host:port or an https:// URL without a path.
func parseEndpoint(ep string) (*url.URL, shared.Diagnostics) {
	if ep == "" {
		return nil, shared.Diagnostics{shared.ErrorDiag("endpoint", "Missing endpoint",
			"Set endpoint to the account's credentials provider endpoint, as `aws iot describe-endpoint --endpoint-type iot:CredentialProvider` prints it.")}
	}
	raw := ep
	if !strings.Contains(ep, "://") {
		raw = "https://" + ep
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Host == "" || u.Opaque != "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || (u.Path != "" && u.Path != "/"):
		return nil, shared.Diagnostics{shared.ErrorDiag("endpoint", "Invalid endpoint",
			"endpoint must be a host name such as c2abc123.credentials.iot.us-east-1.amazonaws.com, host:port, or https://HOST[:PORT] without a path.")}
	case u.Scheme != "https":
		return nil, shared.Diagnostics{shared.ErrorDiag("endpoint", "Endpoint not https",
			"The AWS IoT credentials provider only speaks https, with the device certificate; use https:// or the bare host name.")}
	case dataEndpoint.MatchString(u.Hostname()):
		return nil, shared.Diagnostics{shared.ErrorDiag("endpoint", "Data endpoint, not credentials endpoint",
			"%s is the AWS IoT data (MQTT) endpoint, which does not serve credentials; use the one `aws iot describe-endpoint --endpoint-type iot:CredentialProvider` prints (….credentials.iot.REGION.amazonaws.com).", u.Hostname())}
	}
	return &url.URL{Scheme: "https", Host: u.Host}, nil
}

// checkPath checks a file attribute: set if required, and absolute.
func checkPath(attr, path string, required bool, what string) shared.Diagnostics {
	switch {
	case path == "" && required:
		return shared.Diagnostics{shared.ErrorDiag(attr, "Missing "+attr, "Set %s to the absolute path of %s, a PEM file.", attr, what)}
	case path != "" && !filepath.IsAbs(path):
		return shared.Diagnostics{shared.ErrorDiag(attr, "Relative path",
			"%s must be an absolute path, as the plugin does not run in the directory of the HCL file; %q is relative.", attr, path)}
	}
	return nil
}

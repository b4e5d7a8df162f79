package ecs

import (
	"context"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/brs-go/brs/shared"
)

// config is a role's config block as the host sends it. The json tags are the
// attribute names of Schema.
type config struct {
	URI         string `json:"uri"`
	RelativeURI string `json:"relative_uri"`
	Token       string `json:"token"`
	TokenFile   string `json:"token_file"`
	Timeout     string `json:"timeout"`
}

const (
	// ecsAgentEndpoint is where relative_uri is resolved, as the SDKs do.
	ecsAgentEndpoint = "http://169.254.170.2"
	// defaultTimeout bounds one request. The agents answer from memory on the same
	// machine in milliseconds; botocore waits 2s per attempt. The host's own refresh
	// deadline (30s by default) still applies.
	defaultTimeout = 5 * time.Second
	minTimeout     = 100 * time.Millisecond
	maxTimeout     = 5 * time.Minute
)

// settings is a valid config, with the endpoint parsed and the defaults applied.
type settings struct {
	config
	endpoint *url.URL
	timeout  time.Duration
}

// Validate checks a config block: one endpoint that the SDKs' rules allow, at most one
// kind of token, and the timeout. It reads no file and makes no network call.
func (r *Refresher) Validate(_ context.Context, req *shared.ValidateRequest) (*shared.ValidateResponse, error) {
	_, ds := parseConfig(req.Config)
	return &shared.ValidateResponse{Diagnostics: ds}, nil
}

// parseConfig decodes and checks cfg. The settings are only meaningful when the
// diagnostics hold no error. No message quotes the token.
func parseConfig(cfg shared.Config) (settings, shared.Diagnostics) {
	var c config
	if ds := shared.DecodeConfig(cfg, &c); ds != nil {
		return settings{}, ds
	}
	s := settings{config: c, timeout: defaultTimeout}
	var ds shared.Diagnostics

	switch {
	case c.URI == "" && c.RelativeURI == "":
		ds = append(ds, shared.ErrorDiag("uri", "Missing endpoint",
			"Set uri to the endpoint's full URL (AWS_CONTAINER_CREDENTIALS_FULL_URI), or relative_uri to its path on the ECS agent (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)."))
	case c.URI != "" && c.RelativeURI != "":
		ds = append(ds, shared.ErrorDiag("relative_uri", "Conflicting endpoints",
			"uri and relative_uri are both set; set only one (the AWS SDKs prefer relative_uri, brs asks you to choose)."))
	case c.RelativeURI != "":
		u, d := parseRelativeURI(c.RelativeURI)
		ds = append(ds, d...)
		s.endpoint = u
	default:
		u, d := parseURI(c.URI)
		ds = append(ds, d...)
		s.endpoint = u
	}

	if strings.ContainsAny(c.Token, "\r\n") {
		ds = append(ds, shared.ErrorDiag("token", "Invalid token", "token contains a line break, which an HTTP header cannot carry; check how the value is produced."))
	}
	switch {
	case c.Token != "" && c.TokenFile != "":
		ds = append(ds, shared.ErrorDiag("token_file", "Conflicting tokens", "token and token_file are both set; set only one."))
	case c.TokenFile != "" && !filepath.IsAbs(c.TokenFile):
		ds = append(ds, shared.ErrorDiag("token_file", "Relative token file",
			"token_file must be an absolute path, as the plugin does not run in the directory of the HCL file; %q is relative.", c.TokenFile))
	}

	if c.Timeout != "" {
		if d, diag := timeoutAttr.CheckDuration(c.Timeout); diag != nil {
			ds = append(ds, *diag)
		} else {
			s.timeout = d
		}
	}
	return s, ds
}

// parseURI checks a full endpoint URL against the SDKs' rules.
func parseURI(raw string) (*url.URL, shared.Diagnostics) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, shared.Diagnostics{shared.ErrorDiag("uri", "Invalid URI",
			"uri must be an absolute http:// or https:// URL such as http://127.0.0.1:8080/credentials.")}
	}
	if u.User != nil {
		return nil, shared.Diagnostics{shared.ErrorDiag("uri", "Credentials in URI",
			"uri must not hold a user name or password; give the endpoint's secret with token or token_file.")}
	}
	if u.Scheme == "http" && !plainHostAllowed(u.Hostname()) {
		return nil, shared.Diagnostics{shared.ErrorDiag("uri", "Host not allowed",
			"With plain http, uri must point at %s, as the AWS SDKs require: the token and the credentials would otherwise cross the network unencrypted. "+
				"%q is not one of them; use https for any other host.", allowedHostsText, u.Hostname())}
	}
	return u, nil
}

// parseRelativeURI resolves a path on the ECS agent.
func parseRelativeURI(rel string) (*url.URL, shared.Diagnostics) {
	bad := shared.Diagnostics{shared.ErrorDiag("relative_uri", "Invalid relative URI",
		"relative_uri must be a path that starts with \"/\", such as /v2/credentials/ID, as in AWS_CONTAINER_CREDENTIALS_RELATIVE_URI.")}
	if !strings.HasPrefix(rel, "/") {
		return nil, bad
	}
	u, err := url.Parse(ecsAgentEndpoint + rel)
	if err != nil || u.Host != ecsAgent.String() || u.User != nil {
		return nil, bad
	}
	return u, nil
}

// display is the endpoint as messages show it: scheme, host and path, without the
// query, which could hold an identifier the endpoint treats as a secret.
func display(u *url.URL) string {
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
}

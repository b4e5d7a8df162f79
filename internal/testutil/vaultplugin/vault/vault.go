// Package vault is a credential source that reads AWS credentials from a HashiCorp
// Vault AWS secrets engine (GET /v1/MOUNT/creds/ROLE or /v1/MOUNT/sts/ROLE with an
// X-Vault-Token), over plugin/httpsource. It is the test plugin that exercises the
// HTTP helper the way a third-party author would.
package vault

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/brs-go/brs/internal/boundedfile"
	"github.com/brs-go/brs/plugin/envvars"
	"github.com/brs-go/brs/plugin/httpsource"
	"github.com/brs-go/brs/shared"
)

// Refresher is the vault source. It is safe for concurrent use.
type Refresher struct{}

var _ shared.Refresher = (*Refresher)(nil)

// New returns the vault source.
func New() *Refresher { return &Refresher{} }

// config is a role's config block; the json tags are the schema's attribute names.
type config struct {
	Address   string          `json:"address"`
	Path      string          `json:"path"`
	Token     string          `json:"token"`
	TokenFile string          `json:"token_file"`
	CAFile    string          `json:"ca_file"`
	Timeout   shared.Duration `json:"timeout"`
}

const (
	defaultTimeout = 10 * time.Second
	minTimeout     = 100 * time.Millisecond
	maxTimeout     = time.Minute
	maxTokenFile   = 16 << 10
)

// schema is the config block of a role with source = "vault".
var schema = shared.Schema{
	Description: "Reads AWS credentials from a HashiCorp Vault AWS secrets engine.",
	Attributes: []shared.Attribute{
		{Name: "address", Type: shared.TypeString, Required: true, Description: "Vault's address, e.g. https://vault.example.com:8200."},
		{Name: "path", Type: shared.TypeString, Required: true, Description: "The credentials path under /v1, e.g. aws/sts/deploy."},
		{Name: "token", Type: shared.TypeString, Sensitive: true, Description: "The Vault token; not with token_file."},
		{Name: "token_file", Type: shared.TypeString, Description: "Absolute path of a file holding the Vault token, read at every refresh; not with token."},
		{Name: "ca_file", Type: shared.TypeString, Description: "Absolute path of a PEM bundle that verifies Vault's certificate; defaults to the system's roots."},
		{Name: "timeout", Type: shared.TypeDuration, Min: minTimeout, Max: maxTimeout, Description: "How long one request may take; defaults to 10s."},
	},
}

// Schema describes the config block of a role with source = "vault".
func (r *Refresher) Schema(context.Context, *shared.SchemaRequest) (*shared.SchemaResponse, error) {
	return &shared.SchemaResponse{Schema: schema, Environment: envvars.HTTP}, nil
}

// settings is a valid config with its values parsed.
type settings struct {
	config
	url     string
	timeout time.Duration
}

// Validate checks a config block without calling Vault.
func (r *Refresher) Validate(_ context.Context, req *shared.ValidateRequest) (*shared.ValidateResponse, error) {
	_, ds := parseConfig(req.Config)
	return &shared.ValidateResponse{Diagnostics: ds}, nil
}

func parseConfig(cfg shared.Config) (settings, shared.Diagnostics) {
	var c config
	if ds := schema.DecodeConfig(cfg, &c); ds != nil {
		return settings{}, ds
	}
	s := settings{config: c, timeout: defaultTimeout}
	var ds shared.Diagnostics
	u, err := url.Parse(c.Address)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "":
		ds = append(ds, shared.ErrorDiag("address", "Invalid address", "address must be an http:// or https:// URL such as https://vault.example.com:8200, without user or query."))
	default:
		s.url = strings.TrimSuffix(u.String(), "/") + "/v1/" + strings.TrimPrefix(c.Path, "/")
	}
	if c.Path == "" || strings.Contains(c.Path, "..") || strings.ContainsAny(c.Path, "?#") {
		ds = append(ds, shared.ErrorDiag("path", "Invalid path", "path must be a Vault path such as aws/sts/deploy, without .., ? or #."))
	}
	switch {
	case c.Token == "" && c.TokenFile == "":
		ds = append(ds, shared.ErrorDiag("token", "Missing token", "Set token or token_file."))
	case c.Token != "" && c.TokenFile != "":
		ds = append(ds, shared.ErrorDiag("token_file", "Conflicting tokens", "Set token or token_file, not both."))
	case strings.ContainsAny(c.Token, "\r\n"):
		ds = append(ds, shared.ErrorDiag("token", "Invalid token", "token holds a line break, which a header cannot carry."))
	case c.TokenFile != "" && !filepath.IsAbs(c.TokenFile):
		ds = append(ds, shared.ErrorDiag("token_file", "Relative token file", "token_file must be an absolute path."))
	}
	if c.CAFile != "" && !filepath.IsAbs(c.CAFile) {
		ds = append(ds, shared.ErrorDiag("ca_file", "Relative CA file", "ca_file must be an absolute path."))
	}
	if c.Timeout != 0 {
		s.timeout = time.Duration(c.Timeout) // within its bounds: schema.DecodeConfig checked
	}
	return s, ds
}

// secretResponse is Vault's answer for an AWS secrets engine path.
type secretResponse struct {
	LeaseDuration int64 `json:"lease_duration"`
	Data          *struct {
		AccessKey     string `json:"access_key"`
		SecretKey     string `json:"secret_key"`
		SecurityToken string `json:"security_token"`
		ARN           string `json:"arn"`
	} `json:"data"`
}

// Refresh reads credentials from Vault.
func (r *Refresher) Refresh(ctx context.Context, req *shared.RefreshRequest) (*shared.RefreshResponse, error) {
	s, ds := parseConfig(req.Config)
	if ds.HasErrors() {
		return nil, shared.InvalidConfig("vault", ds)
	}
	token := s.Token
	if s.TokenFile != "" {
		b, err := boundedfile.ReadFile(s.TokenFile, maxTokenFile)
		if err != nil {
			return nil, shared.Permanent("TokenFileError", "reading token_file %s: %v", s.TokenFile, err)
		}
		token = strings.TrimSpace(string(b))
	}
	opts := httpsource.Options{Timeout: s.timeout, UserAgent: "brs-plugin-vault",
		Advice: map[string]string{"Unauthorized": "check token", "AccessDenied": "check that the token's policy allows reading path"}}
	if s.CAFile != "" {
		roots, err := httpsource.LoadCAFile(s.CAFile)
		if err != nil {
			return nil, err
		}
		opts.RootCAs, opts.RootsName = roots, "ca_file "+s.CAFile
	}
	client := httpsource.New(opts)
	defer client.CloseIdleConnections()
	resp, err := client.Do(ctx, &httpsource.Request{URL: s.url, Header: http.Header{"X-Vault-Token": {token}}})
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		detail := ""
		if resp.StatusCode == http.StatusServiceUnavailable {
			detail = "Vault is sealed or in standby"
		}
		return nil, resp.StatusError("", detail)
	}
	var sr secretResponse
	if err := resp.DecodeJSON(&sr); err != nil {
		return nil, shared.Retryable("InvalidResponse", "%s: not a Vault secret: %v", resp.Where, err)
	}
	if sr.Data == nil || sr.Data.AccessKey == "" || sr.Data.SecretKey == "" {
		return nil, shared.Retryable("InvalidResponse", "%s: the secret lacks data.access_key or data.secret_key; check that path is an AWS secrets engine's creds or sts path", resp.Where)
	}
	creds := shared.Credentials{AccessKeyID: sr.Data.AccessKey, SecretAccessKey: sr.Data.SecretKey, SessionToken: sr.Data.SecurityToken, ARN: sr.Data.ARN}
	if sr.LeaseDuration > int64(shared.MaxExpiryAhead/time.Second) {
		return nil, shared.Retryable("InvalidResponse", "%s: the lease lasts %ds, longer than AWS credentials do", resp.Where, sr.LeaseDuration)
	}
	if sr.LeaseDuration > 0 {
		creds.Expires = time.Now().Add(time.Duration(sr.LeaseDuration) * time.Second).UTC()
	}
	return &shared.RefreshResponse{Credentials: creds}, nil
}

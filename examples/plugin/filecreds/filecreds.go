package filecreds

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/brs-go/brs/plugin/httpsource"
	"github.com/brs-go/brs/shared"
)

// maxFileSize bounds what a refresh reads: a credentials document is a few hundred
// bytes, and a path that points at a log file by mistake must not be read whole.
const maxFileSize = 64 << 10

// Refresher is the "file" source. It is safe for concurrent use.
type Refresher struct {
	log hclog.Logger
	// local fetches a url over plain http, from this machine only; remote over https.
	local, remote *httpsource.Client
}

// New returns the file source, logging to log (nil discards the logs). In a plugin,
// pass plugin.Logger().
func New(log hclog.Logger) *Refresher {
	if log == nil {
		log = hclog.NewNullLogger()
	}
	opts := httpsource.Options{MaxBody: maxFileSize, UserAgent: "brs-plugin-file"}
	remote := httpsource.New(opts)
	// Plain http carries the token and the credentials unencrypted: only to a sidecar on
	// this machine, checked after name resolution, and never through a proxy.
	opts.NoProxy, opts.AllowAddr = true, func(a netip.Addr) bool { return a.IsLoopback() }
	return &Refresher{log: log, local: httpsource.New(opts), remote: remote}
}

var _ shared.Refresher = (*Refresher)(nil)

// config is a role's config block. The json tags are the attribute names of schema.
type config struct {
	Path   string          `json:"path"`
	URL    string          `json:"url"`
	Token  string          `json:"token"`
	MaxAge shared.Duration `json:"max_age"`
}

// schema is the config block of a role with this source.
var schema = shared.Schema{
	Description: "Reads credentials in the AWS credential_process JSON format from a file that another program keeps up to date, or from a URL that serves it, at every refresh.",
	Attributes: []shared.Attribute{
		{Name: "path", Type: shared.TypeString,
			Description: "Absolute path of the JSON file (Version 1, AccessKeyId, SecretAccessKey, and optionally SessionToken and Expiration). Set this or url."},
		{Name: "url", Type: shared.TypeString,
			Description: "https:// URL that serves the same JSON, or http:// to a sidecar on this machine (127.0.0.1, ::1, localhost). Set this or path."},
		{Name: "token", Type: shared.TypeString, Sensitive: true,
			Description: "Bearer token sent to url in the Authorization header."},
		// A duration: the host checks the bounds at load, at the value's line.
		{Name: "max_age", Type: shared.TypeDuration, Min: time.Second,
			Description: "Refuse the file when it was last written longer ago than this, e.g. \"15m\"; unset accepts any age. With path only."},
	},
}

// Schema describes the config block of a role with this source.
func (r *Refresher) Schema(context.Context, *shared.SchemaRequest) (*shared.SchemaResponse, error) {
	return &shared.SchemaResponse{Schema: schema, Environment: httpEnvironment}, nil
}

// httpEnvironment are the variables net/http and crypto/x509 read for an https url:
// the proxies and the system's certificate authorities.
var httpEnvironment = []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy", "SSL_CERT_FILE", "SSL_CERT_DIR"}

// Validate checks a config block: a path, preferably absolute, or a url; max_age
// within its bounds. It reads no file and calls no URL: neither may be there yet.
func (r *Refresher) Validate(_ context.Context, req *shared.ValidateRequest) (*shared.ValidateResponse, error) {
	_, ds := parseConfig(req.Config)
	return &shared.ValidateResponse{Diagnostics: ds}, nil
}

// settings is a valid config with max_age parsed (0 when unset).
type settings struct {
	path, url, token string
	maxAge           time.Duration
}

func parseConfig(cfg shared.Config) (settings, shared.Diagnostics) {
	var c config
	// schema.DecodeConfig checks max_age's bounds too, for callers that skip the host.
	if ds := schema.DecodeConfig(cfg, &c); ds != nil {
		return settings{}, ds
	}
	s := settings{path: c.Path, url: c.URL, token: c.Token, maxAge: time.Duration(c.MaxAge)}
	var ds shared.Diagnostics
	switch {
	case c.Path == "" && c.URL == "":
		ds = append(ds, shared.ErrorDiag("path", "Empty path",
			"path is the file that holds the credentials, such as %q; or set url.", "/run/secrets/aws-credentials.json"))
	case c.Path != "" && c.URL != "":
		ds = append(ds, shared.ErrorDiag("url", "Both path and url", "Set path or url, not both."))
	case c.URL != "":
		ds = append(ds, checkURL(c.URL)...)
	case !filepath.IsAbs(c.Path):
		ds = append(ds, shared.WarningDiag("path", "Relative path",
			"A relative path is read from the working directory of the program that uses brs, which is not the directory of this file "+
				"(and differs when the AWS CLI runs brs credential-process). Use an absolute path."))
	}
	if c.Token != "" && c.URL == "" {
		ds = append(ds, shared.ErrorDiag("token", "Token without url", "token is sent to url; set url, or remove token."))
	}
	if strings.ContainsAny(c.Token, "\r\n") {
		ds = append(ds, shared.ErrorDiag("token", "Invalid token", "token holds a line break, which a header cannot carry."))
	}
	if c.MaxAge != 0 && c.URL != "" {
		ds = append(ds, shared.ErrorDiag("max_age", "max_age with url", "max_age is the age of a file; remove it, or use path."))
	}
	return s, ds
}

// checkURL checks url: absolute https, or http to this machine, with no user
// information, which belongs in token.
func checkURL(raw string) shared.Diagnostics {
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https"):
		return shared.Diagnostics{shared.ErrorDiag("url", "Invalid url", "url must be an absolute https:// URL, or http:// to this machine.")}
	case u.User != nil:
		return shared.Diagnostics{shared.ErrorDiag("url", "Credentials in url", "url must not hold a user or password; set token.")}
	case u.Scheme == "http" && !loopbackHost(u.Hostname()):
		return shared.Diagnostics{shared.ErrorDiag("url", "Plain http to another machine",
			"With http, url must point at this machine (127.0.0.1, ::1, localhost): the credentials would cross the network unencrypted. Use https.")}
	}
	return nil
}

// loopbackHost reports whether host is a loopback address or localhost (whose
// addresses the client checks again when it connects).
func loopbackHost(host string) bool {
	if a, err := netip.ParseAddr(host); err == nil {
		return a.IsLoopback()
	}
	return strings.EqualFold(strings.TrimSuffix(host, "."), "localhost")
}

// document is the credential_process JSON, as the AWS CLI and SDKs define it.
type document struct {
	Version         int    `json:"Version"`
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string `json:"SecretAccessKey"`
	SessionToken    string `json:"SessionToken"`
	Expiration      string `json:"Expiration"`
	AccountID       string `json:"AccountId"`
}

// Refresh reads the file named by the role's path, or fetches its url, and returns
// its credentials.
//
// A file that is missing, not valid JSON (perhaps written half-way), too old or
// expired is a retryable error: the program that writes it may fix it by the next
// attempt. A file that cannot be read, or holds valid JSON of the wrong shape, is a
// permanent error: it needs a change of setup. No error repeats the file's content.
func (r *Refresher) Refresh(ctx context.Context, req *shared.RefreshRequest) (*shared.RefreshResponse, error) {
	creds, err := r.refresh(ctx, req)
	if err != nil {
		return nil, err
	}
	return &shared.RefreshResponse{Credentials: creds}, nil
}

// refresh is Refresh with the credentials as a value.
func (r *Refresher) refresh(ctx context.Context, req *shared.RefreshRequest) (shared.Credentials, error) {
	s, ds := parseConfig(req.Config)
	if ds.HasErrors() {
		return shared.Credentials{}, shared.InvalidConfig("file", ds)
	}
	if req.Source != nil {
		return shared.Credentials{}, shared.Permanent("SourceRoleUnsupported",
			"role %q: the file source reads its credentials from %s and cannot use a source_role's; remove source_role from the role", req.Role, s.path+s.url)
	}
	if s.url != "" {
		return r.fetch(ctx, s)
	}
	raw, modTime, err := readFile(s.path)
	if err != nil {
		return shared.Credentials{}, err
	}
	now := time.Now()
	if age := now.Sub(modTime); s.maxAge > 0 && age > s.maxAge {
		return shared.Credentials{}, shared.Retryable("StaleCredentialsFile",
			"%s was last written %v ago, longer than max_age %v; check that the program that rewrites it is running",
			s.path, age.Round(time.Second), s.maxAge)
	}
	creds, err := decode(s.path, raw, now)
	if err != nil {
		return shared.Credentials{}, err
	}
	r.log.Debug("read credentials", "role", req.Role, "path", s.path, "access_key_id", creds.AccessKeyID, "expires", expiresString(creds))
	return creds, nil
}

// fetch gets the credential_process document from s.url, through plugin/httpsource:
// within the refresh's deadline, body included; no redirect followed; at most
// maxFileSize bytes; the token never in an error.
func (r *Refresher) fetch(ctx context.Context, s settings) (shared.Credentials, error) {
	client := r.remote
	if strings.HasPrefix(s.url, "http:") {
		client = r.local
	}
	h := http.Header{"Accept": {"application/json"}}
	if s.token != "" {
		h.Set("Authorization", "Bearer "+s.token)
	}
	resp, err := client.Do(ctx, &httpsource.Request{URL: s.url, Header: h})
	if err != nil {
		return shared.Credentials{}, err
	}
	if resp.StatusCode != http.StatusOK {
		return shared.Credentials{}, resp.StatusError("", "")
	}
	return decode(resp.Where, resp.Body, time.Now())
}

// readFile reads the regular file at path, up to maxFileSize bytes, and returns its
// content and modification time.
func readFile(path string) ([]byte, time.Time, error) {
	// Stat before opening: opening a named pipe would wait for a writer.
	info, err := os.Stat(path)
	if err != nil {
		return nil, time.Time{}, fileError(path, err)
	}
	if !info.Mode().IsRegular() {
		return nil, time.Time{}, shared.Permanent("InvalidCredentialsFile", "%s is not a regular file; path must name the credentials file itself", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, time.Time{}, fileError(path, err)
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, time.Time{}, fileError(path, err)
	}
	if len(raw) > maxFileSize {
		return nil, time.Time{}, shared.Permanent("InvalidCredentialsFile", "%s is larger than %d KiB, so it is not a credentials file; check path", path, maxFileSize>>10)
	}
	return raw, info.ModTime(), nil
}

// fileError classifies a failure to read the file.
func fileError(path string, err error) *shared.Error {
	reason := err.Error()
	var pe *fs.PathError
	if errors.As(err, &pe) {
		reason = pe.Err.Error()
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return shared.Retryable("FileNotFound",
			"%s does not exist: the program that writes it has not run yet, or path is wrong", path)
	case errors.Is(err, fs.ErrPermission):
		return shared.Permanent("FileUnreadable",
			"cannot read %s: %s; make it readable by the user that runs brs", path, reason)
	}
	return shared.Retryable("FileUnreadable", "cannot read %s: %s", path, reason)
}

// decode parses the credential_process document in raw, read from path at now.
func decode(path string, raw []byte, now time.Time) (shared.Credentials, error) {
	var doc document
	if err := json.Unmarshal(raw, &doc); err != nil {
		return shared.Credentials{}, jsonError(path, err)
	}
	var missing []string
	if doc.Version == 0 {
		missing = append(missing, "Version")
	}
	if doc.AccessKeyID == "" {
		missing = append(missing, "AccessKeyId")
	}
	if doc.SecretAccessKey == "" {
		missing = append(missing, "SecretAccessKey")
	}
	if len(missing) > 0 {
		return shared.Credentials{}, shared.Permanent("IncompleteCredentialsFile",
			"%s has no %s; it must hold the credential_process JSON: Version 1, AccessKeyId, SecretAccessKey, and optionally SessionToken and Expiration",
			path, strings.Join(missing, ", "))
	}
	if doc.Version != 1 {
		return shared.Credentials{}, shared.Permanent("UnsupportedVersion",
			"%s has Version %d; only Version 1 of the credential_process format exists", path, doc.Version)
	}
	creds := shared.Credentials{
		AccessKeyID:     doc.AccessKeyID,
		SecretAccessKey: doc.SecretAccessKey,
		SessionToken:    doc.SessionToken,
		AccountID:       doc.AccountID,
	}
	if doc.Expiration != "" {
		exp, err := time.Parse(time.RFC3339, doc.Expiration)
		if err != nil {
			return shared.Credentials{}, shared.Permanent("InvalidCredentialsFile",
				"%s: Expiration is not an RFC 3339 time such as \"2026-01-02T15:04:05Z\"", path)
		}
		if !exp.After(now) {
			return shared.Credentials{}, shared.Retryable("ExpiredCredentials",
				"the credentials in %s expired at %s, %v ago; check that the program that rewrites the file is running",
				path, exp.UTC().Format(time.RFC3339), now.Sub(exp).Round(time.Second))
		}
		creds.Expires = exp.UTC()
	}
	return creds, nil
}

// jsonError explains why the file is not a credential_process document, without
// quoting any of it: encoding/json's own messages can repeat a character of a secret.
func jsonError(path string, err error) *shared.Error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		// Most likely caught half-written; the next refresh reads it again.
		return shared.Retryable("InvalidCredentialsFile",
			"%s is not valid JSON (syntax error at byte %d); if it is being rewritten, the next refresh reads it again. "+
				"Writers should write a temporary file and rename it over this one", path, syn.Offset)
	case errors.As(err, &typ) && typ.Field == "":
		return shared.Permanent("InvalidCredentialsFile",
			"%s holds a JSON %s, not an object with the credential_process fields", path, typ.Value)
	case errors.As(err, &typ):
		return shared.Permanent("InvalidCredentialsFile",
			"%s: %s is a JSON %s, but must be a %s", path, typ.Field, typ.Value, jsonKind(typ.Type.Kind().String()))
	}
	return shared.Retryable("InvalidCredentialsFile", "%s is not valid JSON", path)
}

// jsonKind names a Go kind the way JSON does.
func jsonKind(kind string) string {
	if kind == "int" {
		return "number"
	}
	return kind
}

func expiresString(c shared.Credentials) string {
	if !c.CanExpire() {
		return "never"
	}
	return c.Expires.Format(time.RFC3339)
}

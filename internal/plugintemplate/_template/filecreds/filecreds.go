package filecreds

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/brs-go/brs/shared"
)

// maxFileSize bounds what a refresh reads: a credentials document is a few hundred
// bytes, and a path that points at a log file by mistake must not be read whole.
const maxFileSize = 64 << 10

// Refresher is the "file" source. It is safe for concurrent use.
type Refresher struct {
	log hclog.Logger
}

// New returns the file source, logging to log (nil discards the logs). In a plugin,
// pass plugin.Logger().
func New(log hclog.Logger) *Refresher {
	if log == nil {
		log = hclog.NewNullLogger()
	}
	return &Refresher{log: log}
}

var _ shared.Refresher = (*Refresher)(nil)

// config is a role's config block. The json tags are the attribute names of Schema.
type config struct {
	Path   string `json:"path"`
	MaxAge string `json:"max_age"`
}

// Schema describes the config block of a role with this source.
func (r *Refresher) Schema(context.Context, *shared.SchemaRequest) (*shared.SchemaResponse, error) {
	return &shared.SchemaResponse{Schema: shared.Schema{
		Description: "Reads credentials in the AWS credential_process JSON format from a file that another program keeps up to date, at every refresh.",
		Attributes: []shared.Attribute{
			{Name: "path", Type: shared.TypeString, Required: true,
				Description: "Absolute path of the JSON file (Version 1, AccessKeyId, SecretAccessKey, and optionally SessionToken and Expiration)."},
			{Name: "max_age", Type: shared.TypeString,
				Description: "Refuse the file when it was last written longer ago than this Go duration, e.g. \"15m\"; unset accepts any age."},
		},
	}}, nil
}

// Validate checks a config block: a non-empty path, preferably absolute, and a
// positive max_age. It reads no file: the file may not exist until the writer runs.
func (r *Refresher) Validate(_ context.Context, req *shared.ValidateRequest) (*shared.ValidateResponse, error) {
	_, ds := parseConfig(req.Config)
	return &shared.ValidateResponse{Diagnostics: ds}, nil
}

// settings is a valid config with max_age parsed (0 when unset).
type settings struct {
	path   string
	maxAge time.Duration
}

func parseConfig(cfg shared.Config) (settings, shared.Diagnostics) {
	var c config
	if ds := shared.DecodeConfig(cfg, &c); ds != nil {
		return settings{}, ds
	}
	s := settings{path: c.Path}
	var ds shared.Diagnostics
	switch {
	case c.Path == "":
		ds = append(ds, shared.ErrorDiag("path", "Empty path",
			"path is the file that holds the credentials, such as %q.", "/run/secrets/aws-credentials.json"))
	case !filepath.IsAbs(c.Path):
		ds = append(ds, shared.WarningDiag("path", "Relative path",
			"A relative path is read from the working directory of the program that uses brs, which is not the directory of this file "+
				"(and differs when the AWS CLI runs brs credential-process). Use an absolute path."))
	}
	if c.MaxAge != "" {
		d, err := time.ParseDuration(c.MaxAge)
		switch {
		case err != nil:
			ds = append(ds, shared.ErrorDiag("max_age", "Invalid max_age",
				"max_age must be a Go duration such as \"15m\" or \"1h30m\", not %q.", c.MaxAge))
		case d <= 0:
			ds = append(ds, shared.ErrorDiag("max_age", "Invalid max_age",
				"max_age must be positive; leave it out to accept a file of any age."))
		default:
			s.maxAge = d
		}
	}
	return s, ds
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

// Refresh reads the file named by the role's path and returns its credentials.
//
// A file that is missing, not valid JSON (perhaps written half-way), too old or
// expired is a retryable error: the program that writes it may fix it by the next
// attempt. A file that cannot be read, or holds valid JSON of the wrong shape, is a
// permanent error: it needs a change of setup. No error repeats the file's content.
func (r *Refresher) Refresh(_ context.Context, req *shared.RefreshRequest) (*shared.RefreshResponse, error) {
	creds, err := r.refresh(req)
	if err != nil {
		return nil, err
	}
	return &shared.RefreshResponse{Credentials: creds}, nil
}

// refresh is Refresh with the credentials as a value.
func (r *Refresher) refresh(req *shared.RefreshRequest) (shared.Credentials, error) {
	s, ds := parseConfig(req.Config)
	if ds.HasErrors() {
		return shared.Credentials{}, shared.InvalidConfig("file", ds)
	}
	if req.Source != nil {
		return shared.Credentials{}, shared.Permanent("SourceRoleUnsupported",
			"role %q: the file source reads its credentials from %s and cannot use a source_role's; remove source_role from the role", req.Role, s.path)
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

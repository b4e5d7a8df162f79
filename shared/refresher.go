package shared

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Refresher is a source of temporary AWS credentials. Implementations must be safe for
// concurrent use: the host calls Refresh for several roles at once.
//
// Each method takes a request struct and returns a response struct, so that later
// versions of the contract can add fields to either without breaking a Refresher
// written today.
type Refresher interface {
	// Schema describes the attributes of the config block that roles using this source
	// write. The host decodes and type-checks the block against it, so Validate and
	// Refresh only ever see well-typed values.
	Schema(ctx context.Context, req *SchemaRequest) (*SchemaResponse, error)

	// Validate checks a decoded config block beyond its types (value formats, mutually
	// exclusive attributes). It must not call AWS. Problems with the config are
	// diagnostics in the response, not an error; error diagnostics stop host.Load.
	Validate(ctx context.Context, req *ValidateRequest) (*ValidateResponse, error)

	// Refresh returns new credentials for the role named in req. Return an *Error to
	// tell the host whether retrying can help; any other error counts as retryable.
	Refresh(ctx context.Context, req *RefreshRequest) (*RefreshResponse, error)
}

// SchemaRequest asks a source for its config schema. It has no fields yet.
type SchemaRequest struct{}

// SchemaResponse is a source's config schema.
type SchemaResponse struct {
	Schema Schema
	// Environment names the environment variables the source reads, so that the agent
	// can share one running source between callers whose values of these variables
	// are equal and keep apart those whose values differ. A name that ends in "*" is
	// a prefix ("VAULT_*"). Variables a role names with env() need not be listed.
	// nil says nothing: the agent then keeps apart callers whose environments differ
	// at all. A non-nil empty slice declares that the source reads no environment
	// variable (SDK 1.3; a host of an older SDK takes it as nil).
	Environment []string
}

// ValidateRequest asks a source to check one role's config block.
type ValidateRequest struct {
	// Role is the name of the role block the config belongs to.
	Role string
	// Config is the role's config block.
	Config Config
	// Region and Endpoint are the role's region and endpoint override, if set, as
	// Refresh will get them (contract 1.1; empty from older hosts).
	Region   string
	Endpoint string
	// HasSourceRole is true when the role names a source_role, whose credentials
	// Refresh will get in RefreshRequest.Source (contract 1.1; false from older
	// hosts), so that a source can refuse a chain it cannot use at load.
	HasSourceRole bool
	// RefreshTimeout is how long the host lets one Refresh of the role take
	// (contract 1.1); zero when not known (older hosts).
	RefreshTimeout time.Duration
}

// String describes the request without the config, which may hold secrets.
func (r ValidateRequest) String() string {
	return fmt.Sprintf("ValidateRequest{Role: %q, Config: %v, Region: %q, Endpoint: %q, HasSourceRole: %v, RefreshTimeout: %v}",
		r.Role, r.Config, r.Region, r.Endpoint, r.HasSourceRole, r.RefreshTimeout)
}

// GoString returns the same as String.
func (r ValidateRequest) GoString() string { return r.String() }

// ValidateResponse holds what a source found wrong with a config block; no
// diagnostics means the config is fine.
type ValidateResponse struct {
	Diagnostics Diagnostics
}

// RefreshResponse holds the new credentials.
type RefreshResponse struct {
	Credentials Credentials
}

// String describes the response without any secret.
func (r RefreshResponse) String() string { return "RefreshResponse{" + r.Credentials.String() + "}" }

// GoString returns the same as String.
func (r RefreshResponse) GoString() string { return r.String() }

// Type is the type of a config attribute.
type Type string

// The attribute types a schema can declare. They map to HCL types: string, number,
// bool, list(string) and map(string). A duration is an HCL string.
const (
	TypeString     Type = "string"
	TypeNumber     Type = "number"
	TypeBool       Type = "bool"
	TypeStringList Type = "list(string)"
	TypeStringMap  Type = "map(string)"
	// TypeDuration is a string that time.ParseDuration accepts ("90s", "1h30m"),
	// not negative, and within the attribute's Min and Max (contract 1.2). The host
	// checks it at load and reports a value out of bounds at its file, line and
	// column; the source gets the string as written, and decodes it into a Duration.
	TypeDuration Type = "duration"
)

// Valid reports whether t is one of the declared types.
func (t Type) Valid() bool {
	switch t {
	case TypeString, TypeNumber, TypeBool, TypeStringList, TypeStringMap, TypeDuration:
		return true
	}
	return false
}

// Attribute is one attribute of a source's config block.
type Attribute struct {
	// Name is the HCL attribute name, e.g. "role_arn".
	Name string
	// Type is the attribute's type.
	Type Type
	// Required attributes must be set in every role that uses the source.
	Required bool
	// Sensitive attributes are never logged or shown by the host.
	Sensitive bool
	// Description is one sentence for documentation and error messages.
	Description string
	// Command marks a string attribute whose value the source runs as a command. The
	// host refuses values from env() and file() inside it, since a command line is
	// readable by every local user; such values belong in the role's environment.
	Command bool
	// Min and Max bound a TypeDuration attribute (contract 1.2); zero means no bound
	// (a duration is never negative). Other types must leave them zero.
	Min, Max time.Duration
}

// Schema describes a source's config block.
type Schema struct {
	// Description says what the source does, in one sentence.
	Description string
	// Attributes are the attributes the config block may hold.
	Attributes []Attribute
}

// Attribute returns the attribute called name, if the schema declares it.
func (s Schema) Attribute(name string) (Attribute, bool) {
	for _, a := range s.Attributes {
		if a.Name == name {
			return a, true
		}
	}
	return Attribute{}, false
}

// Config is a role's config block, decoded by the host against the source's Schema, as
// a JSON object. Attributes that are not set are absent.
type Config []byte

// Decode unmarshals the config into v, typically a struct with json tags. Unknown
// fields are an error, so a schema and its struct cannot drift apart unnoticed.
func (c Config) Decode(v any) error {
	raw := []byte(c)
	if len(raw) == 0 {
		raw = []byte("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("decoding config: %w", err)
	}
	return nil
}

// String returns a fixed placeholder: a config may hold sensitive values.
func (c Config) String() string { return fmt.Sprintf("Config(%d bytes)", len(c)) }

// GoString returns the same placeholder as String.
func (c Config) GoString() string { return c.String() }

// Severity says whether a Diagnostic stops the load.
type Severity int

// Diagnostic severities.
const (
	// SeverityError stops host.Load.
	SeverityError Severity = iota + 1
	// SeverityWarning is reported and the load goes on.
	SeverityWarning
)

// Diagnostic is a problem a source found in a role's config block.
type Diagnostic struct {
	Severity Severity
	// Summary is a short description, e.g. "Invalid role ARN".
	Summary string
	// Detail says what is wrong and what to do about it.
	Detail string
	// Attribute names the config attribute at fault, so the host can point at its
	// file, line and column; empty for the block as a whole.
	Attribute string
}

// Diagnostics is a list of Diagnostic.
type Diagnostics []Diagnostic

// HasErrors reports whether any diagnostic is an error.
func (ds Diagnostics) HasErrors() bool {
	for _, d := range ds {
		if d.Severity == SeverityError {
			return true
		}
	}
	return false
}

// RefreshRequest asks a source for new credentials for one role.
type RefreshRequest struct {
	// Role is the name of the role block.
	Role string
	// Config is the role's config block.
	Config Config
	// Region and Endpoint are the role's region and endpoint override, if set.
	Region   string
	Endpoint string
	// Source holds the credentials of the role named by source_role, for chaining;
	// nil when the source should use its own default credentials.
	Source *Credentials
	// Previous holds the credentials this refresh replaces, if any.
	Previous *Credentials
	// Answers are what the person at the caller's terminal answered to the prompts
	// of this source's last InputRequired error, by Prompt.ID; nil when nobody was
	// asked. They are secrets (an MFA code): use them for this refresh only.
	// Since SDK 1.4; a 1.3 host never sets them.
	Answers map[string]string
}

// String describes the request without any secret.
func (r RefreshRequest) String() string {
	return fmt.Sprintf("RefreshRequest{Role: %q, Region: %q, Endpoint: %q, Source: %v, Previous: %v, Answers: %d}",
		r.Role, r.Region, r.Endpoint, r.Source != nil, r.Previous != nil, len(r.Answers))
}

// GoString returns the same as String.
func (r RefreshRequest) GoString() string { return r.String() }

// Credentials are temporary AWS credentials.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	// Expires is when the credentials stop working; zero if they never expire.
	Expires time.Time
	// AccountID is the AWS account the credentials belong to, where known.
	AccountID string
	// ARN is the identity the credentials act as, where known.
	ARN string
}

// CanExpire reports whether the credentials have an expiry time.
func (c Credentials) CanExpire() bool { return !c.Expires.IsZero() }

// String describes the credentials without the secret key or session token, so that
// printing them by mistake leaks nothing.
func (c Credentials) String() string {
	exp := "never"
	if c.CanExpire() {
		exp = c.Expires.UTC().Format(time.RFC3339)
	}
	return fmt.Sprintf("Credentials{AccessKeyID: %q, Expires: %s, AccountID: %q, ARN: %q}",
		c.AccessKeyID, exp, c.AccountID, c.ARN)
}

// GoString returns the same as String.
func (c Credentials) GoString() string { return c.String() }

// Error is a failed refresh as a source reports it.
type Error struct {
	// Code is a short machine-readable cause, e.g. an AWS error code such as
	// "AccessDenied", or "InvalidConfig".
	Code string
	// Message says what went wrong. It must not contain secrets.
	Message string
	// Retryable is true when trying again later may succeed (throttling, a network
	// error, a 5xx); false when it cannot without a change (access denied, bad config).
	Retryable bool
	// Prompts are what the source needs a person to answer before it can refresh
	// (code CodeInputRequired): a host that can ask the person at its caller's
	// terminal asks, and refreshes again with RefreshRequest.Answers. Since SDK 1.4;
	// a 1.3 host shows Message, which must say what to do without a prompt.
	Prompts []Prompt
}

// CodeInputRequired is the code of an error whose Prompts a person must answer.
const CodeInputRequired = "InputRequired"

// Prompt is one question a source asks the person at the caller's terminal.
type Prompt struct {
	// ID names the answer in RefreshRequest.Answers, e.g. "mfa:" and the device's
	// serial. At most MaxSummaryLen bytes.
	ID string
	// Text is what the terminal shows, e.g. "MFA code for arn:aws:iam::…:mfa/ana: ".
	// At most MaxSummaryLen bytes; the host removes control characters.
	Text string
	// Secret hides what is typed (echo off).
	Secret bool
}

// InputRequired returns the error of a source that cannot refresh until a person
// answers prompts. message says what to do where nobody can be asked (set
// mfa_token_command, say); it is what a host that cannot prompt shows.
func InputRequired(message string, prompts ...Prompt) *Error {
	return &Error{Code: CodeInputRequired, Message: message, Prompts: prompts}
}

// Error implements error.
func (e *Error) Error() string {
	if e.Code == "" {
		return e.Message
	}
	return e.Code + ": " + e.Message
}

// Permanent returns an error that retrying cannot fix.
func Permanent(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Retryable returns an error that may go away if the refresh is tried again later.
func Retryable(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Retryable: true}
}

// AsError returns err as an *Error: itself (or the *Error it wraps), or a retryable
// Error with code "RefreshFailed" for any other error.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: "RefreshFailed", Message: err.Error(), Retryable: true}
}

package pluginrpc

import (
	"fmt"
	"time"

	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	refresherv1 "github.com/brs-go/brs/internal/pluginrpc/internal/proto/v1"
	"github.com/brs-go/brs/shared"
)

// This file converts between the public Go types and the generated protobuf messages.
// Every function is total: malformed input from the other side of the wire becomes an
// error, never a panic.

func schemaToProto(r *shared.SchemaResponse) *refresherv1.GetSchemaResponse {
	s := r.Schema
	out := &refresherv1.GetSchemaResponse{Description: s.Description, Environment: r.Environment, EnvironmentDeclared: r.Environment != nil}
	for _, a := range s.Attributes {
		p := &refresherv1.Attribute{
			Name: a.Name, Type: string(a.Type), Required: a.Required,
			Sensitive: a.Sensitive, Description: a.Description, Command: a.Command,
		}
		if a.Type == shared.TypeDuration {
			// A string to a host that knows no durations; DurationBounds says what it is.
			p.Type, p.Duration = string(shared.TypeString), &refresherv1.DurationBounds{}
			if a.Min != 0 {
				p.Duration.Min = durationpb.New(a.Min)
			}
			if a.Max != 0 {
				p.Duration.Max = durationpb.New(a.Max)
			}
		}
		out.Attributes = append(out.Attributes, p)
	}
	return out
}

// boundFromProto converts a duration bound; one that is not a valid duration is -1,
// which shared.CheckSchema refuses.
func boundFromProto(d *durationpb.Duration) time.Duration {
	if d == nil {
		return 0
	}
	if d.CheckValid() != nil {
		return -1
	}
	return d.AsDuration()
}

// schemaFromProto converts a plugin's schema, its texts bounded, and at most
// shared.MaxEnvironment+1 environment names kept (one more than the host accepts, so
// that shared.CheckEnvironment says there were too many). Whether the host can use
// it is shared.CheckSchemaResponse's to say.
func schemaFromProto(p *refresherv1.GetSchemaResponse) *shared.SchemaResponse {
	s := shared.Schema{Description: shared.Clean(p.GetDescription(), shared.MaxMessageLen)}
	for _, a := range p.GetAttributes() {
		attr := shared.Attribute{
			Name: shared.Clean(a.GetName(), shared.MaxSummaryLen), Type: shared.Type(shared.Clean(a.GetType(), shared.MaxSummaryLen)),
			Required: a.GetRequired(), Sensitive: a.GetSensitive(), Description: shared.Clean(a.GetDescription(), shared.MaxMessageLen),
			Command: a.GetCommand(),
		}
		if d := a.GetDuration(); d != nil && (attr.Type == shared.TypeString || attr.Type == shared.TypeDuration) {
			attr.Type = shared.TypeDuration
			attr.Min, attr.Max = boundFromProto(d.GetMin()), boundFromProto(d.GetMax())
		}
		s.Attributes = append(s.Attributes, attr)
	}
	env := p.GetEnvironment()
	var names []string // nil: the plugin does not say what it reads
	if len(env) > 0 || p.GetEnvironmentDeclared() {
		names = make([]string, 0, min(len(env), shared.MaxEnvironment+1))
	}
	for i, n := range env {
		if i > shared.MaxEnvironment {
			break
		}
		names = append(names, shared.Clean(n, shared.MaxSummaryLen))
	}
	return &shared.SchemaResponse{Schema: s, Environment: names}
}

func diagnosticsToProto(ds shared.Diagnostics) []*refresherv1.Diagnostic {
	out := make([]*refresherv1.Diagnostic, 0, len(ds))
	for _, d := range ds {
		sev := refresherv1.Diagnostic_ERROR
		if d.Severity == shared.SeverityWarning {
			sev = refresherv1.Diagnostic_WARNING
		}
		out = append(out, &refresherv1.Diagnostic{Severity: sev, Summary: d.Summary, Detail: d.Detail, Attribute: d.Attribute})
	}
	return out
}

// diagnosticsFromProto converts a plugin's diagnostics, bounded: at most
// shared.MaxDiagnostics of them, each text cut and escaped.
func diagnosticsFromProto(ps []*refresherv1.Diagnostic) shared.Diagnostics {
	out := make(shared.Diagnostics, 0, min(len(ps), shared.MaxDiagnostics+1))
	for i, p := range ps {
		if i == shared.MaxDiagnostics {
			out = append(out, shared.Diagnostic{Severity: shared.SeverityError, Summary: "Too many diagnostics",
				Detail: fmt.Sprintf("the plugin reported %d diagnostics; the %d after the first %d were left out", len(ps), len(ps)-shared.MaxDiagnostics, shared.MaxDiagnostics)})
			break
		}
		// Anything but an explicit warning counts as an error: a diagnostic from a
		// newer plugin must not slip through as harmless.
		sev := shared.SeverityError
		if p.GetSeverity() == refresherv1.Diagnostic_WARNING {
			sev = shared.SeverityWarning
		}
		out = append(out, shared.Diagnostic{Severity: sev, Summary: shared.Clean(p.GetSummary(), shared.MaxSummaryLen),
			Detail: shared.Clean(p.GetDetail(), shared.MaxMessageLen), Attribute: shared.Clean(p.GetAttribute(), shared.MaxSummaryLen)})
	}
	return out
}

func credentialsToProto(c *shared.Credentials) *refresherv1.Credentials {
	if c == nil {
		return nil
	}
	p := &refresherv1.Credentials{
		AccessKeyId: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken,
		AccountId: c.AccountID, Arn: c.ARN,
	}
	if c.CanExpire() {
		p.Expires = timestamppb.New(c.Expires)
	}
	return p
}

func credentialsFromProto(p *refresherv1.Credentials) (*shared.Credentials, error) {
	if p == nil {
		return nil, nil
	}
	c := &shared.Credentials{
		AccessKeyID: p.GetAccessKeyId(), SecretAccessKey: p.GetSecretAccessKey(), SessionToken: p.GetSessionToken(),
		AccountID: p.GetAccountId(), ARN: p.GetArn(),
	}
	if p.Expires != nil {
		if err := p.Expires.CheckValid(); err != nil {
			return nil, fmt.Errorf("invalid expiration: %w", err)
		}
		c.Expires = p.Expires.AsTime()
	}
	return c, nil
}

func requestToProto(r *shared.RefreshRequest) *refresherv1.RefreshRequest {
	return &refresherv1.RefreshRequest{
		Role: r.Role, ConfigJson: r.Config, Region: r.Region, Endpoint: r.Endpoint,
		Source: credentialsToProto(r.Source), Previous: credentialsToProto(r.Previous),
		Answers: r.Answers,
	}
}

func requestFromProto(p *refresherv1.RefreshRequest) (*shared.RefreshRequest, error) {
	src, err := credentialsFromProto(p.GetSource())
	if err != nil {
		return nil, fmt.Errorf("source credentials: %w", err)
	}
	prev, err := credentialsFromProto(p.GetPrevious())
	if err != nil {
		return nil, fmt.Errorf("previous credentials: %w", err)
	}
	answers := p.GetAnswers()
	if len(answers) > shared.MaxPrompts {
		return nil, fmt.Errorf("%d answers, at most %d", len(answers), shared.MaxPrompts)
	}
	for id, a := range answers {
		if len(id) > shared.MaxSummaryLen || len(a) > shared.MaxAnswerLen {
			return nil, fmt.Errorf("an answer longer than %d bytes, or an id longer than %d", shared.MaxAnswerLen, shared.MaxSummaryLen)
		}
	}
	if len(answers) == 0 {
		answers = nil
	}
	return &shared.RefreshRequest{
		Role: p.GetRole(), Config: shared.Config(p.GetConfigJson()), Region: p.GetRegion(), Endpoint: p.GetEndpoint(),
		Source: src, Previous: prev, Answers: answers,
	}, nil
}

func validateRequestToProto(r *shared.ValidateRequest) *refresherv1.ValidateConfigRequest {
	p := &refresherv1.ValidateConfigRequest{Role: r.Role, ConfigJson: r.Config, Region: r.Region, Endpoint: r.Endpoint, HasSourceRole: r.HasSourceRole}
	if r.RefreshTimeout > 0 {
		p.RefreshTimeout = durationpb.New(r.RefreshTimeout)
	}
	return p
}

// validateRequestFromProto converts the host's request; a refresh timeout that is not
// a positive duration counts as unknown (zero).
func validateRequestFromProto(p *refresherv1.ValidateConfigRequest) *shared.ValidateRequest {
	r := &shared.ValidateRequest{Role: p.GetRole(), Config: shared.Config(p.GetConfigJson()), Region: p.GetRegion(),
		Endpoint: p.GetEndpoint(), HasSourceRole: p.GetHasSourceRole()}
	if d := p.GetRefreshTimeout(); d != nil && d.CheckValid() == nil && d.AsDuration() > 0 {
		r.RefreshTimeout = d.AsDuration()
	}
	return r
}

func errorToProto(err error) *refresherv1.Error {
	e := shared.AsError(err)
	p := &refresherv1.Error{Code: e.Code, Message: e.Message, Retryable: e.Retryable}
	for _, q := range e.Prompts {
		p.Prompts = append(p.Prompts, &refresherv1.Prompt{Id: q.ID, Text: q.Text, Secret: q.Secret})
	}
	return p
}

// errorFromProto is the source's error as the host takes it: code and message cut
// and escaped, the prompts of an InputRequired error checked and cleaned. An error
// with prompts the host cannot ask (too many, an empty or overlong id, another code)
// loses them: the host shows its message instead.
func errorFromProto(e *refresherv1.Error) *shared.Error {
	out := &shared.Error{Code: shared.Clean(e.GetCode(), shared.MaxSummaryLen), Message: shared.Clean(e.GetMessage(), shared.MaxMessageLen), Retryable: e.GetRetryable()}
	ps := e.GetPrompts()
	if len(ps) == 0 || len(ps) > shared.MaxPrompts || out.Code != shared.CodeInputRequired {
		return out
	}
	seen := make(map[string]bool, len(ps))
	for _, p := range ps {
		id := p.GetId()
		if id == "" || len(id) > shared.MaxSummaryLen || shared.Clean(id, shared.MaxSummaryLen) != id || seen[id] {
			out.Prompts = nil
			return out
		}
		seen[id] = true
		out.Prompts = append(out.Prompts, shared.Prompt{ID: id, Text: shared.Clean(p.GetText(), shared.MaxSummaryLen), Secret: p.GetSecret()})
	}
	return out
}

package shared

import (
	"errors"
	"fmt"
	"strings"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/brs-go/brs/shared/internal/proto"
)

// This file converts between the public Go types and the generated protobuf messages.
// Every function is total: malformed input from the other side of the wire becomes an
// error, never a panic.

func schemaToProto(s Schema) *proto.GetSchemaResponse {
	out := &proto.GetSchemaResponse{Description: s.Description}
	for _, a := range s.Attributes {
		out.Attributes = append(out.Attributes, &proto.Attribute{
			Name: a.Name, Type: string(a.Type), Required: a.Required,
			Sensitive: a.Sensitive, Description: a.Description,
		})
	}
	return out
}

func schemaFromProto(p *proto.GetSchemaResponse) (Schema, error) {
	s := Schema{Description: clean(p.GetDescription(), MaxMessageLen)}
	seen := make(map[string]bool, len(p.GetAttributes()))
	for _, a := range p.GetAttributes() {
		t := Type(a.GetType())
		if !t.Valid() {
			return Schema{}, fmt.Errorf("attribute %q has unsupported type %q", clean(a.GetName(), MaxSummaryLen), clean(a.GetType(), MaxSummaryLen))
		}
		if a.GetName() == "" {
			return Schema{}, fmt.Errorf("schema has an attribute with no name")
		}
		if len(a.GetName()) > MaxSummaryLen || strings.IndexFunc(a.GetName(), func(r rune) bool { return r <= ' ' || r > '~' }) >= 0 {
			return Schema{}, fmt.Errorf("attribute %q: a name must be at most %d printable ASCII characters", clean(a.GetName(), MaxSummaryLen), MaxSummaryLen)
		}
		if seen[a.GetName()] {
			return Schema{}, fmt.Errorf("attribute %q is declared twice", a.GetName())
		}
		seen[a.GetName()] = true
		s.Attributes = append(s.Attributes, Attribute{
			Name: a.GetName(), Type: t, Required: a.GetRequired(),
			Sensitive: a.GetSensitive(), Description: clean(a.GetDescription(), MaxMessageLen),
		})
	}
	return s, nil
}

func diagnosticsToProto(ds Diagnostics) []*proto.Diagnostic {
	out := make([]*proto.Diagnostic, 0, len(ds))
	for _, d := range ds {
		sev := proto.Diagnostic_ERROR
		if d.Severity == SeverityWarning {
			sev = proto.Diagnostic_WARNING
		}
		out = append(out, &proto.Diagnostic{Severity: sev, Summary: d.Summary, Detail: d.Detail, Attribute: d.Attribute})
	}
	return out
}

// diagnosticsFromProto converts a plugin's diagnostics, bounded: at most
// MaxDiagnostics of them, each text cut and escaped.
func diagnosticsFromProto(ps []*proto.Diagnostic) Diagnostics {
	out := make(Diagnostics, 0, min(len(ps), MaxDiagnostics+1))
	for i, p := range ps {
		if i == MaxDiagnostics {
			out = append(out, Diagnostic{Severity: SeverityError, Summary: "Too many diagnostics",
				Detail: fmt.Sprintf("the plugin reported %d diagnostics; the %d after the first %d were left out", len(ps), len(ps)-MaxDiagnostics, MaxDiagnostics)})
			break
		}
		// Anything but an explicit warning counts as an error: a diagnostic from a
		// newer plugin must not slip through as harmless.
		sev := SeverityError
		if p.GetSeverity() == proto.Diagnostic_WARNING {
			sev = SeverityWarning
		}
		out = append(out, Diagnostic{Severity: sev, Summary: clean(p.GetSummary(), MaxSummaryLen),
			Detail: clean(p.GetDetail(), MaxMessageLen), Attribute: clean(p.GetAttribute(), MaxSummaryLen)})
	}
	return out
}

func credentialsToProto(c *Credentials) *proto.Credentials {
	if c == nil {
		return nil
	}
	p := &proto.Credentials{
		AccessKeyId: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken,
		AccountId: c.AccountID, Arn: c.ARN,
	}
	if c.CanExpire() {
		p.Expires = timestamppb.New(c.Expires)
	}
	return p
}

func credentialsFromProto(p *proto.Credentials) (*Credentials, error) {
	if p == nil {
		return nil, nil
	}
	c := &Credentials{
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

func requestToProto(r Request) *proto.RefreshRequest {
	return &proto.RefreshRequest{
		Role: r.Role, ConfigJson: r.Config, Region: r.Region, Endpoint: r.Endpoint,
		Source: credentialsToProto(r.Source), Previous: credentialsToProto(r.Previous),
	}
}

func requestFromProto(p *proto.RefreshRequest) (Request, error) {
	src, err := credentialsFromProto(p.GetSource())
	if err != nil {
		return Request{}, fmt.Errorf("source credentials: %w", err)
	}
	prev, err := credentialsFromProto(p.GetPrevious())
	if err != nil {
		return Request{}, fmt.Errorf("previous credentials: %w", err)
	}
	return Request{
		Role: p.GetRole(), Config: Config(p.GetConfigJson()), Region: p.GetRegion(), Endpoint: p.GetEndpoint(),
		Source: src, Previous: prev,
	}, nil
}

func errorToProto(err error) *proto.Error {
	e := AsError(err)
	return &proto.Error{Code: e.Code, Message: e.Message, Retryable: e.Retryable}
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

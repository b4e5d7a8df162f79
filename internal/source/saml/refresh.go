package saml

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"

	"github.com/brs-go/brs/internal/source/internal/respond"
	"github.com/brs-go/brs/internal/source/internal/shellcmd"
	"github.com/brs-go/brs/internal/source/internal/stsparams"
	"github.com/brs-go/brs/plugin/awserr"
	"github.com/brs-go/brs/shared"
)

// Refresh runs saml_command, picks the role from the assertion it prints, exchanges
// the assertion for the role's credentials with AssumeRoleWithSAML, and returns them.
// Roles that run the same saml_command share one run while its assertion is valid
// (signin).
// Errors are *shared.Error: see errors.go for which are retryable.
func (r *Refresher) Refresh(ctx context.Context, req *shared.RefreshRequest) (*shared.RefreshResponse, error) {
	return respond.Credentials(r.refresh(ctx, req))
}

// refresh is Refresh with the credentials as a value.
func (r *Refresher) refresh(ctx context.Context, req *shared.RefreshRequest) (shared.Credentials, error) {
	s, ds := parseConfig(req.Config)
	if ds.HasErrors() {
		return shared.Credentials{}, shared.InvalidConfig("saml", ds)
	}
	if req.Source != nil {
		return shared.Credentials{}, shared.Permanent("SourceRoleUnsupported",
			"AssumeRoleWithSAML is not signed (the SAML assertion is the identity), so a saml role cannot use a source_role's credentials; remove source_role from the role")
	}
	si, err := r.signIn(ctx, s, req.Role)
	if err != nil {
		return shared.Credentials{}, err
	}
	b64, doc := si.b64, si.doc
	p, err := si.resp.choose(s.RoleARN, s.PrincipalARN)
	if err != nil {
		return shared.Credentials{}, err
	}

	client := awssts.NewFromConfig(aws.Config{
		Region:      r.regionFor(ctx, req),
		HTTPClient:  r.httpClient,
		Credentials: anonymous,
	}, func(o *awssts.Options) {
		if req.Endpoint != "" {
			o.BaseEndpoint = aws.String(req.Endpoint)
		}
		o.Retryer = awserr.Retryer()
	})
	start := time.Now()
	res, err := client.AssumeRoleWithSAML(ctx, s.input(p, b64))
	if err != nil {
		r.forget(s, si)
		e := classify(ctx, err, p, []string{b64, string(doc)})
		r.log.Debug("AssumeRoleWithSAML failed", "role", req.Role, "code", e.Code, "retryable", e.Retryable)
		return shared.Credentials{}, e
	}
	creds, err := credentialsFrom(res)
	if err != nil {
		return shared.Credentials{}, err
	}
	r.log.Debug("assumed role with SAML", "role", req.Role, "role_arn", p.role, "principal_arn", p.principal,
		"access_key_id", creds.AccessKeyID, "expires", creds.Expires.Format(time.RFC3339), "took", time.Since(start).String())
	return creds, nil
}

// input returns the AssumeRoleWithSAML parameters of the settings for pair p. STS
// takes the session name from the assertion's RoleSessionName attribute.
func (s settings) input(p pair, assertion string) *awssts.AssumeRoleWithSAMLInput {
	in := &awssts.AssumeRoleWithSAMLInput{
		RoleArn:         aws.String(p.role),
		PrincipalArn:    aws.String(p.principal),
		SAMLAssertion:   aws.String(assertion),
		DurationSeconds: aws.Int32(int32(s.duration / time.Second)),
	}
	if s.Policy != "" {
		in.Policy = aws.String(s.Policy)
	}
	for _, a := range s.PolicyARNs {
		in.PolicyArns = append(in.PolicyArns, types.PolicyDescriptorType{Arn: aws.String(a)})
	}
	return in
}

// credentialsFrom converts a successful AssumeRoleWithSAML response.
func credentialsFrom(out *awssts.AssumeRoleWithSAMLOutput) (shared.Credentials, error) {
	c := out.Credentials
	if c == nil || aws.ToString(c.AccessKeyId) == "" || aws.ToString(c.SecretAccessKey) == "" || aws.ToString(c.SessionToken) == "" || c.Expiration == nil {
		return shared.Credentials{}, shared.Retryable("InvalidResponse", "AssumeRoleWithSAML answered without complete credentials")
	}
	creds := shared.Credentials{
		AccessKeyID:     aws.ToString(c.AccessKeyId),
		SecretAccessKey: aws.ToString(c.SecretAccessKey),
		SessionToken:    aws.ToString(c.SessionToken),
		Expires:         c.Expiration.UTC(),
	}
	if u := out.AssumedRoleUser; u != nil {
		creds.ARN = aws.ToString(u.Arn)
		creds.AccountID = stsparams.AccountID(creds.ARN)
	}
	return creds, nil
}

// base64Run matches a long run of base64 characters: an assertion (or part of one)
// printed by a debug trace in another wrapping than on standard output.
var base64Run = regexp.MustCompile(`[A-Za-z0-9+/=]{40,}`)

// samlXML matches a SAML Response or Assertion in XML, from its start tag to its last
// end tag; samlXMLOpen one whose end tag is missing, to the end.
var (
	samlXML     = regexp.MustCompile(`(?s)<([\w.-]+:)?(Response|Assertion)[\s>].*</([\w.-]+:)?(Response|Assertion)>`)
	samlXMLOpen = regexp.MustCompile(`(?s)<([\w.-]+:)?(Response|Assertion)[\s>].*`)
)

// redactAssertion is how saml_command's standard error is cleaned before it reaches
// the log: the host cannot redact the assertion, which it never sees. It is held until
// the command ends; then every line of what the command printed on standard output
// (the assertion, whole or wrapped), any long run of base64 and any SAML Response or
// Assertion in XML are replaced.
func redactAssertion(stderr, stdout []byte) []byte {
	for _, line := range bytes.Fields(stdout) {
		if len(line) >= 16 {
			stderr = bytes.ReplaceAll(stderr, line, []byte("[REDACTED]"))
		}
	}
	stderr = base64Run.ReplaceAll(stderr, []byte("[REDACTED]"))
	stderr = samlXML.ReplaceAll(stderr, []byte("[REDACTED]"))
	return samlXMLOpen.ReplaceAll(stderr, []byte("[REDACTED]"))
}

// runCommand runs saml_command and returns what it printed. Its failures are
// permanent, as those of the process source are: the host asks again after a while
// rather than re-running a failing sign-in in a loop. The command's environment is
// the minimal one, the variables named in inherit_env and env's (see
// shellcmd.Environ).
func (r *Refresher) runCommand(ctx context.Context, s settings) ([]byte, error) {
	out, err := shellcmd.Run(ctx, shellcmd.Command{
		Line:      s.SAMLCommand,
		Inherit:   s.InheritEnv,
		Env:       shellcmd.EnvPairs(s.Env),
		Timeout:   s.timeout,
		MaxOutput: maxOutput,
		Stderr:    r.stderr,
		Redact:    redactAssertion,
	})
	var timeout *shellcmd.TimeoutError
	var exit *shellcmd.ExitError
	switch {
	case err == nil:
		return out, nil
	case ctx.Err() != nil:
		return nil, shared.Retryable("Canceled", "the refresh was cancelled while saml_command ran, and saml_command was killed; "+
			"a sign-in that waits for you needs a longer refresh { timeout } (30s by default) as well as timeout")
	case errors.As(err, &timeout):
		return nil, shared.Permanent("SAMLCommandTimeout",
			"saml_command %v, with everything it started; raise timeout if it needs longer, and see its standard error in the brs log", timeout)
	case errors.As(err, &exit):
		return nil, shared.Permanent("SAMLCommandFailed", "saml_command %v; its standard error is in the brs log", exit)
	case errors.Is(err, shellcmd.ErrOutputTooLarge):
		return nil, shared.Permanent("InvalidSAMLResponse",
			"saml_command printed more than %d KiB, which is not a SAMLResponse; it must print only the base64 SAMLResponse on standard output", maxOutput>>10)
	default:
		return nil, shared.Permanent("SAMLCommandFailed", "saml_command %v", err)
	}
}

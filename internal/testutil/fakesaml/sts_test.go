package fakesaml_test

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/brs-go/brs/internal/clock"
	"github.com/brs-go/brs/internal/testutil/fakesaml"
)

const (
	provider = "arn:aws:iam::111122223333:saml-provider/okta"
	role     = "arn:aws:iam::111122223333:role/dev"
	other    = "arn:aws:iam::111122223333:role/admin"
)

// setup starts a fake STS trusting a new IdP for provider, with a fake clock.
func setup(t *testing.T) (*fakesaml.IdP, *fakesaml.STS, *clock.Fake, *sts.Client) {
	idp := fakesaml.NewIdP(t, "http://idp.example.com/metadata")
	c := clock.NewFake(time.Now())
	f := fakesaml.Start(t, fakesaml.Options{Providers: map[string]fakesaml.Provider{provider: idp.Provider()}, Clock: c})
	client := sts.New(sts.Options{Region: "us-east-1", BaseEndpoint: aws.String(f.URL), Credentials: aws.AnonymousCredentials{}})
	return idp, f, c, client
}

// call calls AssumeRoleWithSAML for role at f and returns the AWS error code ("" on success).
func call(t *testing.T, client *sts.Client, roleARN, principal, assertion string, duration int32) (*sts.AssumeRoleWithSAMLOutput, string) {
	t.Helper()
	out, err := client.AssumeRoleWithSAML(context.Background(), &sts.AssumeRoleWithSAMLInput{
		RoleArn: aws.String(roleARN), PrincipalArn: aws.String(principal), SAMLAssertion: aws.String(assertion),
		DurationSeconds: aws.Int32(duration),
	})
	if err == nil {
		return out, ""
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("not an API error: %v", err)
	}
	return nil, ae.ErrorCode() + ": " + ae.ErrorMessage()
}

// TestAccepts: a well-formed assertion signed by the provider's IdP, with the
// assertion or the whole response signed, either order of the pair, gives
// credentials for the role, capped by SessionDuration.
func TestAccepts(t *testing.T) {
	idp, f, c, client := setup(t)
	for _, a := range []fakesaml.Assertion{
		{Roles: []string{role + "," + provider}, Issued: c.Now()},
		{Roles: []string{provider + "," + role}, Issued: c.Now(), SignResponse: true, Audience: fakesaml.AudienceURN},
	} {
		out, code := call(t, client, role, provider, idp.Response(t, a), 3600)
		if code != "" {
			t.Fatalf("%+v: %s", a, code)
		}
		if aws.ToString(out.AssumedRoleUser.Arn) != "arn:aws:sts::111122223333:assumed-role/dev/alice@example.com" ||
			!out.Credentials.Expiration.Equal(c.Now().Add(time.Hour).UTC().Truncate(time.Second)) {
			t.Errorf("answer %v, expires %v", aws.ToString(out.AssumedRoleUser.Arn), out.Credentials.Expiration)
		}
	}
	out, code := call(t, client, role, provider, idp.Response(t, fakesaml.Assertion{Roles: []string{role + "," + provider}, Issued: c.Now(), SessionDuration: 20 * time.Minute}), 3600)
	if code != "" || !out.Credentials.Expiration.Equal(c.Now().Add(20*time.Minute).UTC().Truncate(time.Second)) {
		t.Errorf("SessionDuration: %s, expires %v", code, out.Credentials.Expiration)
	}
	if f.Calls() != 3 {
		t.Errorf("%d calls", f.Calls())
	}
}

// tamper decodes a response, replaces old by new in its XML and encodes it again.
func tamper(t *testing.T, b64, old, new string) string {
	t.Helper()
	doc, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), old) {
		t.Fatalf("%q is not in the response", old)
	}
	return base64.StdEncoding.EncodeToString([]byte(strings.Replace(string(doc), old, new, 1)))
}

// TestRefuses: each check the fake makes, as AWS does, refuses what it should.
func TestRefuses(t *testing.T) {
	idp, _, c, client := setup(t)
	stranger := fakesaml.NewIdP(t, "http://idp.example.com/metadata")
	good := fakesaml.Assertion{Roles: []string{role + "," + provider}, Issued: c.Now()}
	signedResp := good
	signedResp.SignResponse = true
	unsigned := good
	unsigned.Unsigned = true
	wrongAudience := good
	wrongAudience.Audience = "https://app.example.com/saml"
	noName := good
	noName.SessionName = "x"
	otherRole := good
	otherRole.Roles = []string{other + "," + provider}
	stale := good
	stale.Issued = c.Now().Add(-6 * time.Minute)
	stale.Lifetime = time.Hour
	future := good
	future.Issued = c.Now().Add(2 * time.Minute)

	cases := map[string]struct {
		assertion, role, principal string
		duration                   int32
		want                       string
	}{
		"tampered role":             {tamper(t, idp.Response(t, good), "role/dev", "role/adm"), role, provider, 3600, "InvalidIdentityToken: Response signature invalid"},
		"tampered signed response":  {tamper(t, idp.Response(t, signedResp), "alice@example.com", "mallory@example.com"), role, provider, 3600, "InvalidIdentityToken: Response signature invalid"},
		"unsigned":                  {idp.Response(t, unsigned), role, provider, 3600, "InvalidIdentityToken: Response signature invalid"},
		"signed by another IdP":     {stranger.Response(t, good), role, provider, 3600, "InvalidIdentityToken: Response signature invalid"},
		"wrong audience":            {idp.Response(t, wrongAudience), role, provider, 3600, "InvalidIdentityToken: Invalid SAML response: the audience"},
		"role not in assertion":     {idp.Response(t, otherRole), role, provider, 3600, "AccessDenied"},
		"bad session name":          {idp.Response(t, noName), role, provider, 3600, "InvalidIdentityToken: Invalid SAML response: RoleSessionName"},
		"issued over 5 minutes ago": {idp.Response(t, stale), role, provider, 3600, "ExpiredTokenException"},
		"not valid yet":             {idp.Response(t, future), role, provider, 3600, "InvalidIdentityToken: Invalid SAML response: the assertion is not valid yet"},
		"unknown provider":          {idp.Response(t, good), role, "arn:aws:iam::111122223333:saml-provider/other", 3600, "InvalidIdentityToken: SAML provider"},
		"duration over the role's":  {idp.Response(t, good), role, provider, 7200, "ValidationError"},
		"not base64":                {"not base64!", role, provider, 3600, "InvalidIdentityToken: Invalid base64"},
		"too long":                  {strings.Repeat("A", 100004), role, provider, 3600, "ValidationError"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if _, code := call(t, client, tc.role, tc.principal, tc.assertion, tc.duration); !strings.HasPrefix(code, tc.want) {
				t.Errorf("got %q, want %q", code, tc.want)
			}
		})
	}
}

// TestExpires: an assertion accepted now is refused once its NotOnOrAfter has passed
// by the fake's clock.
func TestExpires(t *testing.T) {
	idp, _, c, client := setup(t)
	b64 := idp.Response(t, fakesaml.Assertion{Roles: []string{role + "," + provider}, Issued: c.Now(), Lifetime: 2 * time.Minute})
	if _, code := call(t, client, role, provider, b64, 900); code != "" {
		t.Fatal(code)
	}
	c.Advance(2 * time.Minute)
	if _, code := call(t, client, role, provider, b64, 900); !strings.HasPrefix(code, "ExpiredTokenException") {
		t.Errorf("after NotOnOrAfter: %q", code)
	}
}

// TestSignatureWrapping: a second, unsigned assertion granting another role, placed
// before the signed one, or the signed assertion moved out of the way while the
// signature reference still resolves, is refused: the fake reads only the element its
// signature covers.
func TestSignatureWrapping(t *testing.T) {
	idp, _, c, client := setup(t)
	signed := idp.Response(t, fakesaml.Assertion{Roles: []string{role + "," + provider}, Issued: c.Now()})
	doc, _ := base64.StdEncoding.DecodeString(signed)
	evil, err := idp.ResponseXML(fakesaml.Assertion{Roles: []string{other + "," + provider}, Issued: c.Now(), Unsigned: true})
	if err != nil {
		t.Fatal(err)
	}
	start := strings.Index(evil, "<saml:Assertion")
	end := strings.Index(evil, "</saml:Assertion>") + len("</saml:Assertion>")
	injected := strings.Replace(string(doc), "<saml:Assertion", evil[start:end]+"<saml:Assertion", 1)
	if _, code := call(t, client, other, provider, base64.StdEncoding.EncodeToString([]byte(injected)), 3600); code == "" {
		t.Error("an injected unsigned assertion was accepted")
	}
}

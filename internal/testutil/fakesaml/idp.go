package fakesaml

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
)

// The values AWS requires of an assertion for it.
const (
	// AudienceAWS is the audience of assertions for AWS sign-in; AWS also accepts
	// AudienceURN.
	AudienceAWS = "https://signin.aws.amazon.com/saml"
	// AudienceURN is the other audience AWS accepts.
	AudienceURN = "urn:amazon:webservices"
	// RecipientAWS is the Recipient of the SubjectConfirmationData AWS requires.
	RecipientAWS = "https://signin.aws.amazon.com/saml"
	// RoleAttribute holds "role ARN,provider ARN" pairs.
	RoleAttribute = "https://aws.amazon.com/SAML/Attributes/Role"
	// RoleSessionNameAttribute holds the session name, which AWS requires.
	RoleSessionNameAttribute = "https://aws.amazon.com/SAML/Attributes/RoleSessionName"
	// SessionDurationAttribute optionally caps the session, in seconds.
	SessionDurationAttribute = "https://aws.amazon.com/SAML/Attributes/SessionDuration"
)

// The SAML 2.0 namespaces.
const (
	nsProtocol  = "urn:oasis:names:tc:SAML:2.0:protocol"
	nsAssertion = "urn:oasis:names:tc:SAML:2.0:assertion"
)

// IdP is a test SAML identity provider: an entity ID and a signing key with its
// self-signed certificate.
type IdP struct {
	// EntityID is the Issuer of its responses.
	EntityID string
	// Certificate is the signing certificate, as registered in IAM's SAML provider
	// metadata.
	Certificate *x509.Certificate
	key         *rsa.PrivateKey
}

// NewIdP returns an identity provider with a new 2048-bit RSA key and a certificate
// valid from 2000 to 2100 (so that a fake clock anywhere between works).
func NewIdP(t testing.TB, entityID string) *IdP {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: entityID},
		NotBefore:    time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &IdP{EntityID: entityID, Certificate: cert, key: key}
}

// Provider is the SAML provider of STS's Options that trusts this identity provider.
func (i *IdP) Provider() Provider { return Provider{Issuer: i.EntityID, Certificate: i.Certificate} }

// Assertion says what a Response holds. The zero value of a field is the value a
// well-configured identity provider sends AWS.
type Assertion struct {
	// Roles are the Role attribute's values, "role ARN,provider ARN" (either order).
	// None: no Role attribute.
	Roles []string
	// SessionName is the RoleSessionName attribute; default "alice@example.com".
	SessionName string
	// SessionDuration, if set, is the SessionDuration attribute.
	SessionDuration time.Duration
	// Audience defaults to AudienceAWS.
	Audience string
	// Issued is the IssueInstant; NotBefore is Issued-1m, NotOnOrAfter
	// Issued+Lifetime. Required: use the STS fake's clock.
	Issued time.Time
	// Lifetime defaults to 5 minutes.
	Lifetime time.Duration
	// SignResponse signs the Response instead of the Assertion.
	SignResponse bool
	// Unsigned leaves both unsigned.
	Unsigned bool
}

// Response returns a signed SAMLResponse holding a, base64-encoded as an identity
// provider posts it.
func (i *IdP) Response(t testing.TB, a Assertion) string {
	t.Helper()
	x, err := i.ResponseXML(a)
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString([]byte(x))
}

// ResponseXML returns the signed SAMLResponse holding a, as XML.
func (i *IdP) ResponseXML(a Assertion) (string, error) {
	if a.SessionName == "" {
		a.SessionName = "alice@example.com"
	}
	if a.Audience == "" {
		a.Audience = AudienceAWS
	}
	if a.Lifetime == 0 {
		a.Lifetime = 5 * time.Minute
	}
	ts := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
	issued, before, after := ts(a.Issued), ts(a.Issued.Add(-time.Minute)), ts(a.Issued.Add(a.Lifetime))

	var attrs strings.Builder
	attribute := func(name string, values ...string) {
		fmt.Fprintf(&attrs, `<saml:Attribute Name=%q>`, name)
		for _, v := range values {
			fmt.Fprintf(&attrs, `<saml:AttributeValue>%s</saml:AttributeValue>`, escape(v))
		}
		attrs.WriteString(`</saml:Attribute>`)
	}
	if len(a.Roles) > 0 {
		attribute(RoleAttribute, a.Roles...)
	}
	attribute(RoleSessionNameAttribute, a.SessionName)
	if a.SessionDuration > 0 {
		attribute(SessionDurationAttribute, fmt.Sprint(int(a.SessionDuration/time.Second)))
	}
	assertion := fmt.Sprintf(`<saml:Assertion xmlns:saml=%[1]q ID="_a%[2]s" IssueInstant=%[3]q Version="2.0">`+
		`<saml:Issuer>%[4]s</saml:Issuer>`+
		`<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">%[5]s</saml:NameID>`+
		`<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">`+
		`<saml:SubjectConfirmationData NotOnOrAfter=%[6]q Recipient=%[7]q/></saml:SubjectConfirmation></saml:Subject>`+
		`<saml:Conditions NotBefore=%[8]q NotOnOrAfter=%[6]q><saml:AudienceRestriction><saml:Audience>%[9]s</saml:Audience></saml:AudienceRestriction></saml:Conditions>`+
		`<saml:AuthnStatement AuthnInstant=%[3]q><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`+
		`<saml:AttributeStatement>%[10]s</saml:AttributeStatement></saml:Assertion>`,
		nsAssertion, randomID(), issued, escape(i.EntityID), escape(a.SessionName), after, RecipientAWS, before, escape(a.Audience), attrs.String())

	el, err := parse(assertion)
	if err != nil {
		return "", err
	}
	if !a.SignResponse && !a.Unsigned {
		if el, err = i.sign(el); err != nil {
			return "", err
		}
	}
	resp, err := parse(fmt.Sprintf(`<samlp:Response xmlns:samlp=%q xmlns:saml=%q ID="_r%s" Version="2.0" IssueInstant=%q Destination=%q>`+
		`<saml:Issuer>%s</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:Response>`,
		nsProtocol, nsAssertion, randomID(), issued, RecipientAWS, escape(i.EntityID)))
	if err != nil {
		return "", err
	}
	resp.AddChild(el)
	if a.SignResponse {
		if resp, err = i.sign(resp); err != nil {
			return "", err
		}
	}
	doc := etree.NewDocument()
	doc.SetRoot(resp)
	return doc.WriteToString()
}

// sign returns el with an enveloped signature, placed after its Issuer as the SAML
// schema wants it.
func (i *IdP) sign(el *etree.Element) (*etree.Element, error) {
	ctx, err := dsig.NewSigningContext(i.key, [][]byte{i.Certificate.Raw})
	if err != nil {
		return nil, err
	}
	ctx.Canonicalizer = dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("")
	signed, err := ctx.SignEnveloped(el)
	if err != nil {
		return nil, err
	}
	sig := signed.RemoveChildAt(len(signed.Child) - 1)
	signed.InsertChildAt(1, sig)
	return signed, nil
}

// parse parses one element.
func parse(s string) (*etree.Element, error) {
	doc := etree.NewDocument()
	if err := doc.ReadFromString(s); err != nil {
		return nil, err
	}
	return doc.Root(), nil
}

// escape escapes s for XML text or an attribute value.
func escape(s string) string {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;")
	return r.Replace(s)
}

func randomID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return fmt.Sprintf("%x", b)
}

package fakesaml

import (
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/brs-go/brs/internal/clock"
)

// RequestID is the request ID of every answer.
const RequestID = "fake-saml-request-id"

// Provider is an IAM SAML provider: the identity provider's entity ID and signing
// certificate, from the metadata document uploaded to IAM.
type Provider struct {
	Issuer      string
	Certificate *x509.Certificate
}

// Options says what the fake STS knows.
type Options struct {
	// Providers maps SAML provider ARNs (PrincipalArn) to the identity provider they
	// trust.
	Providers map[string]Provider
	// Clock tells the time the assertions' time window and the credentials'
	// expiry are judged by; nil: the system clock.
	Clock clock.Clock
	// MaxSessionDuration is every role's; zero: 1h, as AWS's default.
	MaxSessionDuration time.Duration
}

// STS is a fake of AWS STS's AssumeRoleWithSAML. It checks what AWS checks:
//
//   - the request: POST, Action AssumeRoleWithSAML, RoleArn, PrincipalArn and
//     SAMLAssertion (4 to 100,000 characters) present, DurationSeconds 900 to the
//     role's MaxSessionDuration (ValidationError); no signature is needed;
//   - PrincipalArn names a known SAML provider (InvalidIdentityToken);
//   - the SAMLAssertion is a base64 SAML 2.0 Response whose Response, or else its one
//     Assertion, carries an XML signature that verifies with the provider's
//     certificate ("Response signature invalid"); everything below is read from the
//     signed element as verified, so content outside the signature is never
//     trusted;
//   - the assertion's Issuer is the provider's, it has a Subject NameID, a bearer
//     SubjectConfirmationData whose Recipient is https://signin.aws.amazon.com/saml,
//     and an AudienceRestriction with AudienceAWS or AudienceURN
//     (InvalidIdentityToken);
//   - the time window: IssueInstant at most 5 minutes old, Conditions NotBefore <= now <
//     NotOnOrAfter and SubjectConfirmationData NotOnOrAfter after now, by Options.Clock
//     (ExpiredTokenException, "Token must be redeemed within 5 minutes of issuance");
//   - the Role attribute holds the RoleArn,PrincipalArn pair, in either order
//     (AccessDenied), and the RoleSessionName attribute is 2 to 64 characters of
//     [\w+=,.@-] (InvalidIdentityToken).
//
// The credentials it answers with expire after DurationSeconds or the assertion's
// SessionDuration, whichever is shorter. It does not evaluate trust or session
// policies.
type STS struct {
	*httptest.Server

	opts Options

	mu     sync.Mutex
	forms  []url.Values
	calls  int
	issued []string // access key IDs issued
}

// Start starts a fake STS, stopped when t ends.
func Start(t testing.TB, o Options) *STS {
	t.Helper()
	if o.Clock == nil {
		o.Clock = clock.Real{}
	}
	if o.MaxSessionDuration == 0 {
		o.MaxSessionDuration = time.Hour
	}
	f := &STS{opts: o}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

// Calls returns how many AssumeRoleWithSAML calls succeeded.
func (f *STS) Calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

// Requests returns the forms of every request received, answered or refused.
func (f *STS) Requests() []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.forms)
}

// stsError is an AWS error answer.
type stsError struct {
	status        int
	code, message string
}

func invalid(msg string) *stsError { return &stsError{400, "InvalidIdentityToken", msg} }

func (f *STS) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.forms = append(f.forms, form)
	f.mu.Unlock()

	answer, e := f.handle(r, form)
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("X-Amzn-Requestid", RequestID)
	if e != nil {
		w.WriteHeader(e.status)
		fmt.Fprintf(w, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error>
  <RequestId>%s</RequestId>
</ErrorResponse>`, e.code, escape(e.message), RequestID)
		return
	}
	f.mu.Lock()
	f.calls++
	f.mu.Unlock()
	io.WriteString(w, answer)
}

// handle checks one request and returns the XML answer.
func (f *STS) handle(r *http.Request, form url.Values) (string, *stsError) {
	if r.Method != http.MethodPost {
		return "", &stsError{400, "InvalidAction", "only POST is served"}
	}
	if a := form.Get("Action"); a != "AssumeRoleWithSAML" {
		return "", &stsError{400, "InvalidAction", "Could not find operation " + a}
	}
	roleARN, principal, b64 := form.Get("RoleArn"), form.Get("PrincipalArn"), form.Get("SAMLAssertion")
	if roleARN == "" || principal == "" || b64 == "" {
		return "", &stsError{400, "ValidationError", "RoleArn, PrincipalArn and SAMLAssertion are required"}
	}
	if len(b64) < 4 || len(b64) > 100000 {
		return "", &stsError{400, "ValidationError", "1 validation error detected: Value at 'SAMLAssertion' failed to satisfy constraint: Member must have length less than or equal to 100000"}
	}
	dur := time.Hour
	if s := form.Get("DurationSeconds"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 900 || n > 43200 {
			return "", &stsError{400, "ValidationError", fmt.Sprintf("1 validation error detected: Value '%s' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200", s)}
		}
		dur = time.Duration(n) * time.Second
	}
	if dur > f.opts.MaxSessionDuration {
		return "", &stsError{400, "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."}
	}
	prov, ok := f.opts.Providers[principal]
	if !ok {
		return "", invalid("SAML provider " + principal + " does not exist")
	}
	doc, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return "", invalid("Invalid base64 SAML response")
	}
	a, e := f.verify(doc, prov)
	if e != nil {
		return "", e
	}
	if !slices.Contains(a.pairs, [2]string{roleARN, principal}) {
		return "", &stsError{403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML"}
	}
	if a.sessionDuration > 0 && a.sessionDuration < dur {
		dur = a.sessionDuration
	}

	parts := strings.SplitN(roleARN, ":", 6)
	account, role := parts[4], strings.TrimPrefix(parts[5], "role/")
	id := "ASIA" + strings.ToUpper(randomHex(8))
	f.mu.Lock()
	f.issued = append(f.issued, id)
	f.mu.Unlock()
	expires := f.opts.Clock.Now().Add(dur).UTC().Truncate(time.Second)
	return fmt.Sprintf(`<AssumeRoleWithSAMLResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithSAMLResult>
    <Audience>%[1]s</Audience>
    <AssumedRoleUser><Arn>arn:aws:sts::%[2]s:assumed-role/%[3]s/%[4]s</Arn><AssumedRoleId>AROAFAKESAML:%[4]s</AssumedRoleId></AssumedRoleUser>
    <Credentials>
      <AccessKeyId>%[5]s</AccessKeyId><SecretAccessKey>%[6]s</SecretAccessKey>
      <SessionToken>%[7]s</SessionToken><Expiration>%[8]s</Expiration>
    </Credentials>
    <Issuer>%[9]s</Issuer>
    <NameQualifier>fake</NameQualifier>
    <Subject>%[10]s</Subject>
    <SubjectType>persistent</SubjectType>
  </AssumeRoleWithSAMLResult>
  <ResponseMetadata><RequestId>%[11]s</RequestId></ResponseMetadata>
</AssumeRoleWithSAMLResponse>`, escape(a.audience), account, escape(role), escape(a.sessionName), id, randomHex(20), "FwoG"+randomHex(40),
		expires.Format(time.RFC3339), escape(prov.Issuer), escape(a.subject), RequestID), nil
}

// verified is what the fake read from a verified assertion.
type verified struct {
	pairs           [][2]string // role ARN, provider ARN
	sessionName     string
	sessionDuration time.Duration
	subject         string
	audience        string
}

var sessionName = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)

// verify checks the signature, issuer, subject, audience and time window of a
// SAMLResponse, and reads its attributes from the element the signature covers.
func (f *STS) verify(doc []byte, prov Provider) (verified, *stsError) {
	d := etree.NewDocument()
	if err := d.ReadFromBytes(doc); err != nil {
		return verified{}, invalid("Invalid SAML response: not XML")
	}
	root := d.Root()
	if root == nil || root.Tag != "Response" || root.NamespaceURI() != nsProtocol {
		return verified{}, invalid("Invalid SAML response: not a SAML 2.0 Response")
	}
	vc := dsig.NewDefaultValidationContext(&dsig.MemoryX509CertificateStore{Roots: []*x509.Certificate{prov.Certificate}})
	var assertion *etree.Element
	if child(root, dsig.Namespace, "Signature") != nil {
		resp, err := vc.Validate(root)
		if err != nil {
			return verified{}, invalid("Response signature invalid")
		}
		as := children(resp, nsAssertion, "Assertion")
		if len(as) != 1 {
			return verified{}, invalid("Invalid SAML response: it must hold exactly one Assertion")
		}
		assertion = as[0]
	} else {
		as := children(root, nsAssertion, "Assertion")
		if len(as) != 1 {
			return verified{}, invalid("Invalid SAML response: it must hold exactly one Assertion")
		}
		if child(as[0], dsig.Namespace, "Signature") == nil {
			return verified{}, invalid("Response signature invalid: neither the Response nor the Assertion is signed")
		}
		a, err := vc.Validate(as[0])
		if err != nil {
			return verified{}, invalid("Response signature invalid")
		}
		assertion = a
	}

	var v verified
	if iss := child(assertion, nsAssertion, "Issuer"); iss == nil || strings.TrimSpace(iss.Text()) != prov.Issuer {
		return verified{}, invalid("Issuer of the assertion is not that of the SAML provider")
	}
	now := f.opts.Clock.Now()
	issued, err := time.Parse(time.RFC3339, assertion.SelectAttrValue("IssueInstant", ""))
	if err != nil {
		return verified{}, invalid("Invalid SAML response: IssueInstant")
	}
	if now.Sub(issued) > 5*time.Minute {
		return verified{}, &stsError{400, "ExpiredTokenException", "Token must be redeemed within 5 minutes of issuance"}
	}
	subject := child(assertion, nsAssertion, "Subject")
	nameID := child(subject, nsAssertion, "NameID")
	if nameID == nil || strings.TrimSpace(nameID.Text()) == "" {
		return verified{}, invalid("Invalid SAML response: no Subject NameID")
	}
	v.subject = strings.TrimSpace(nameID.Text())
	conf := child(child(subject, nsAssertion, "SubjectConfirmation"), nsAssertion, "SubjectConfirmationData")
	if conf == nil || conf.SelectAttrValue("Recipient", "") != RecipientAWS {
		return verified{}, invalid("Invalid SAML response: the SubjectConfirmationData Recipient must be " + RecipientAWS)
	}
	if e := checkWindow(now, "", conf.SelectAttrValue("NotOnOrAfter", "")); e != nil {
		return verified{}, e
	}
	cond := child(assertion, nsAssertion, "Conditions")
	if cond == nil {
		return verified{}, invalid("Invalid SAML response: no Conditions")
	}
	if e := checkWindow(now, cond.SelectAttrValue("NotBefore", ""), cond.SelectAttrValue("NotOnOrAfter", "")); e != nil {
		return verified{}, e
	}
	for _, ar := range children(cond, nsAssertion, "AudienceRestriction") {
		for _, au := range children(ar, nsAssertion, "Audience") {
			if a := strings.TrimSpace(au.Text()); a == AudienceAWS || a == AudienceURN {
				v.audience = a
			}
		}
	}
	if v.audience == "" {
		return verified{}, invalid("Invalid SAML response: the audience must be " + AudienceAWS + " or " + AudienceURN)
	}
	for _, st := range children(assertion, nsAssertion, "AttributeStatement") {
		for _, at := range children(st, nsAssertion, "Attribute") {
			var values []string
			for _, av := range children(at, nsAssertion, "AttributeValue") {
				values = append(values, strings.TrimSpace(av.Text()))
			}
			switch at.SelectAttrValue("Name", "") {
			case RoleAttribute:
				for _, val := range values {
					a, b, _ := strings.Cut(val, ",")
					a, b = strings.TrimSpace(a), strings.TrimSpace(b)
					if strings.Contains(a, ":saml-provider/") {
						a, b = b, a
					}
					v.pairs = append(v.pairs, [2]string{a, b})
				}
			case RoleSessionNameAttribute:
				if len(values) == 1 {
					v.sessionName = values[0]
				}
			case SessionDurationAttribute:
				if len(values) == 1 {
					n, err := strconv.Atoi(values[0])
					if err != nil || n < 900 || n > 43200 {
						return verified{}, invalid("Invalid SAML response: SessionDuration must be 900 to 43200 seconds")
					}
					v.sessionDuration = time.Duration(n) * time.Second
				}
			}
		}
	}
	if !sessionName.MatchString(v.sessionName) {
		return verified{}, invalid("Invalid SAML response: RoleSessionName is required, 2 to 64 characters of [\\w+=,.@-]")
	}
	return v, nil
}

// checkWindow checks now against NotBefore (optional) and NotOnOrAfter (required).
func checkWindow(now time.Time, notBefore, notOnOrAfter string) *stsError {
	if notBefore != "" {
		nb, err := time.Parse(time.RFC3339, notBefore)
		if err != nil {
			return invalid("Invalid SAML response: NotBefore")
		}
		if now.Before(nb) {
			return invalid("Invalid SAML response: the assertion is not valid yet (NotBefore)")
		}
	}
	na, err := time.Parse(time.RFC3339, notOnOrAfter)
	if err != nil {
		return invalid("Invalid SAML response: NotOnOrAfter")
	}
	if !now.Before(na) {
		return &stsError{400, "ExpiredTokenException", "Token must be redeemed within 5 minutes of issuance"}
	}
	return nil
}

// child returns the first child element of el (which may be nil) with the namespace
// and tag, or nil.
func child(el *etree.Element, ns, tag string) *etree.Element {
	if el == nil {
		return nil
	}
	if cs := children(el, ns, tag); len(cs) > 0 {
		return cs[0]
	}
	return nil
}

// children returns the child elements of el with the namespace and tag.
func children(el *etree.Element, ns, tag string) []*etree.Element {
	var out []*etree.Element
	for _, c := range el.ChildElements() {
		if c.Tag == tag && c.NamespaceURI() == ns {
			out = append(out, c)
		}
	}
	return out
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

package saml

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/brs-go/brs/shared"
)

// maxOutput bounds what saml_command may print. A SAMLResponse that offers dozens of
// roles is tens of KiB; STS takes at most maxAssertionLen characters.
const maxOutput = 1 << 20

// maxAssertionLen is the longest SAMLAssertion STS accepts, in base64 characters (the
// AssumeRoleWithSAML API reference).
const maxAssertionLen = 100000

// maxPairs bounds how many role/provider pairs are read from an assertion.
const maxPairs = 1000

// roleAttribute is the SAML attribute whose values are the role/provider pairs the
// user may assume.
const roleAttribute = "https://aws.amazon.com/SAML/Attributes/Role"

// The SAML 2.0 namespaces.
const (
	nsProtocol  = "urn:oasis:names:tc:SAML:2.0:protocol"
	nsAssertion = "urn:oasis:names:tc:SAML:2.0:assertion"
	statusOK    = "urn:oasis:names:tc:SAML:2.0:status:Success"
)

// pair is one value of the Role attribute: a role and the SAML provider that vouches
// for it.
type pair struct {
	role, principal string
}

// samlResponse is what the source reads of a SAMLResponse.
type samlResponse struct {
	pairs      []pair // the Role attribute's valid values, without duplicates
	malformed  int    // Role attribute values that are not a role,provider pair
	status     string // the Response's top-level StatusCode
	assertions int    // Assertion elements
	encrypted  int    // EncryptedAssertion elements

	// issued is the earliest IssueInstant of the assertions (zero if one has none
	// that parses, or there is an encrypted one); notOnOrAfter the earliest of their
	// Conditions' and SubjectConfirmationData's NotOnOrAfter (zero if none parses).
	issued       time.Time
	notOnOrAfter time.Time
	noIssued     bool // an assertion without a readable IssueInstant
}

// decodeOutput returns the base64 SAMLResponse saml_command printed, without the
// whitespace a helper may have wrapped it with, and the decoded XML. Neither ever
// appears in an error.
func decodeOutput(out []byte) (b64 string, doc []byte, err error) {
	b64 = strings.Join(strings.Fields(string(out)), "")
	if b64 == "" {
		return "", nil, shared.Permanent("SAMLCommandFailed", "saml_command printed nothing on standard output; it must print the base64 SAMLResponse")
	}
	doc, err = base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return "", nil, shared.Permanent("InvalidSAMLResponse",
			"saml_command printed something that is not base64 (%d characters); it must print the SAMLResponse the identity provider posts, base64-encoded as posted", len(b64))
	}
	if len(b64) > maxAssertionLen {
		return "", nil, shared.Permanent("InvalidSAMLResponse",
			"saml_command printed a SAMLResponse of %d base64 characters; STS takes at most %d", len(b64), maxAssertionLen)
	}
	return b64, doc, nil
}

// parseResponse reads the Role attribute, status and assertions of a SAMLResponse.
// It does not verify the signature: STS does. Go's encoding/xml expands no external
// entity and limits nesting; the document is bounded by maxOutput.
func parseResponse(doc []byte) (samlResponse, error) {
	var resp samlResponse
	d := xml.NewDecoder(bytes.NewReader(doc))
	var stack []xml.Name
	inRole := false  // inside the Role Attribute
	var value []byte // the text of the current AttributeValue
	inValue := false // inside one of its AttributeValues
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// The decoder's error names a line and an element, never content.
			return samlResponse{}, shared.Permanent("InvalidSAMLResponse",
				"the SAMLResponse saml_command printed is not well-formed XML: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) == 0 && (t.Name.Space != nsProtocol || t.Name.Local != "Response") {
				return samlResponse{}, shared.Permanent("InvalidSAMLResponse",
					"what saml_command printed decodes to XML whose root element is %q, not a SAML 2.0 Response (%s)", short(t.Name.Local), nsProtocol)
			}
			stack = append(stack, t.Name)
			switch {
			case t.Name.Space == nsAssertion && t.Name.Local == "Assertion":
				resp.assertions++
				resp.issuedAt(attr(t, "IssueInstant"))
			case t.Name.Space == nsAssertion && t.Name.Local == "EncryptedAssertion":
				resp.encrypted++
				resp.noIssued = true
			case t.Name.Space == nsAssertion && (t.Name.Local == "Conditions" || t.Name.Local == "SubjectConfirmationData"):
				resp.expiresAt(attr(t, "NotOnOrAfter"))
			case t.Name.Space == nsAssertion && t.Name.Local == "Attribute":
				inRole = attr(t, "Name") == roleAttribute
			case inRole && t.Name.Space == nsAssertion && t.Name.Local == "AttributeValue":
				inValue, value = true, value[:0]
			case len(stack) == 3 && t.Name.Space == nsProtocol && t.Name.Local == "StatusCode" &&
				stack[1] == (xml.Name{Space: nsProtocol, Local: "Status"}):
				resp.status = attr(t, "Value")
			}
		case xml.CharData:
			if inValue {
				value = append(value, t...)
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
			switch {
			case inValue && t.Name.Local == "AttributeValue":
				inValue = false
				resp.add(string(value))
			case inRole && t.Name.Local == "Attribute":
				inRole = false
			}
		}
	}
	if resp.noIssued {
		resp.issued = time.Time{}
	}
	return resp, nil
}

// issuedAt records an assertion's IssueInstant.
func (r *samlResponse) issuedAt(v string) {
	t, err := time.Parse(time.RFC3339Nano, v)
	switch {
	case err != nil:
		r.noIssued = true
	case r.issued.IsZero() || t.Before(r.issued):
		r.issued = t
	}
}

// expiresAt records a NotOnOrAfter time; one that does not parse is not recorded
// (STS refuses such an assertion, and the role then forgets it).
func (r *samlResponse) expiresAt(v string) {
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil && (r.notOnOrAfter.IsZero() || t.Before(r.notOnOrAfter)) {
		r.notOnOrAfter = t
	}
}

// add records one value of the Role attribute.
func (r *samlResponse) add(value string) {
	a, b, ok := strings.Cut(strings.TrimSpace(value), ",")
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	var p pair
	switch {
	case !ok:
	case isRoleARN(a) && isProviderARN(b):
		p = pair{role: a, principal: b}
	case isProviderARN(a) && isRoleARN(b):
		p = pair{role: b, principal: a}
	}
	if p.role == "" {
		r.malformed++
		return
	}
	if !slices.Contains(r.pairs, p) && len(r.pairs) < maxPairs {
		r.pairs = append(r.pairs, p)
	}
}

// attr returns the value of the attribute of e called local, in no namespace.
func attr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Space == "" && a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// short cuts s for a message.
func short(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}

// choose returns the role/provider pair to assume: the one the assertion offers that
// matches role_arn and principal_arn where they are set. Its errors list the role
// ARNs the assertion offers (not the assertion).
func (r samlResponse) choose(roleARN, principalARN string) (pair, error) {
	if len(r.pairs) == 0 {
		switch {
		case r.assertions == 0 && r.encrypted == 0:
			status := r.status
			if status == "" {
				status = "none"
			}
			return pair{}, shared.Permanent("InvalidSAMLResponse",
				"the SAMLResponse saml_command printed holds no assertion (its status is %s): the sign-in at the identity provider failed", short(status))
		case r.encrypted > 0 && r.assertions == 0 && roleARN != "" && principalARN != "":
			// An encrypted assertion cannot be read here; STS decrypts it.
			return pair{role: roleARN, principal: principalARN}, nil
		case r.encrypted > 0 && r.assertions == 0:
			return pair{}, shared.Permanent("SAMLRoleNotFound",
				"the SAML assertion is encrypted, so brs cannot read the roles it offers: set both role_arn and principal_arn")
		case r.malformed > 0:
			return pair{}, shared.Permanent("SAMLRoleNotFound",
				"the SAML assertion's Role attribute (%s) holds %d value(s), none of them a pair \"role ARN,SAML provider ARN\": check the attribute's mapping at the identity provider", roleAttribute, r.malformed)
		}
		return pair{}, shared.Permanent("SAMLRoleNotFound",
			"the SAML assertion has no Role attribute (%s): the identity provider must send one, with values \"role ARN,SAML provider ARN\", for AWS to accept it", roleAttribute)
	}
	var match []pair
	for _, p := range r.pairs {
		if (roleARN == "" || p.role == roleARN) && (principalARN == "" || p.principal == principalARN) {
			match = append(match, p)
		}
	}
	switch len(match) {
	case 1:
		return match[0], nil
	case 0:
		what := "role_arn " + roleARN
		switch {
		case roleARN == "":
			what = "principal_arn " + principalARN
		case principalARN != "":
			what += " with principal_arn " + principalARN
		}
		return pair{}, shared.Permanent("SAMLRoleNotFound",
			"%s is not among the roles the SAML assertion offers: %s", what, r.list(r.pairs))
	}
	hint := "set role_arn to one of them"
	if roleARN != "" {
		hint = "set principal_arn to one of the providers it comes with"
	}
	return pair{}, shared.Permanent("SAMLRoleAmbiguous",
		"the SAML assertion offers %d matching roles: %s; %s", len(match), r.list(match), hint)
}

// list describes pairs for a message: the role ARNs, each with its provider when a
// role comes with several.
func (r samlResponse) list(pairs []pair) string {
	count := map[string]int{}
	for _, p := range pairs {
		count[p.role]++
	}
	var out []string
	for _, p := range pairs {
		s := p.role
		if count[p.role] > 1 {
			s += " (with " + p.principal + ")"
		}
		out = append(out, s)
	}
	return strings.Join(out, ", ")
}

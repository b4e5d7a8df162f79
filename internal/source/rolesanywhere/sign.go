package rolesanywhere

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// The signing algorithms of IAM Roles Anywhere, and its service name in the scope.
const (
	algRSA   = "AWS4-X509-RSA-SHA256"
	algECDSA = "AWS4-X509-ECDSA-SHA256"
	service  = "rolesanywhere"

	amzDateFormat = "20060102T150405Z"
)

// algorithm returns the signing algorithm of key, or "" for a kind of key Roles
// Anywhere does not take.
func algorithm(key crypto.Signer) string {
	switch key.Public().(type) {
	case *rsa.PublicKey:
		return algRSA
	case *ecdsa.PublicKey:
		return algECDSA
	}
	return ""
}

// sign adds the X-Amz-* headers and the Authorization header to req, whose body is
// body, for region at now: SigV4's canonical request and string to sign, signed with
// id's private key over SHA-256 and with the certificate's serial number as the
// credential (aws_signing_helper's CreateRequestSignFunction).
func sign(req *http.Request, body []byte, id identity, region string, now time.Time) error {
	alg := algorithm(id.key)
	if alg == "" {
		return fmt.Errorf("the private key is neither RSA nor ECDSA")
	}
	date := now.UTC().Format(amzDateFormat)
	req.Header.Set("X-Amz-Date", date)
	req.Header.Set("X-Amz-X509", base64.StdEncoding.EncodeToString(id.leaf.Raw))
	if len(id.chain) > 0 {
		parts := make([]string, len(id.chain))
		for i, c := range id.chain {
			parts[i] = base64.StdEncoding.EncodeToString(c.Raw)
		}
		req.Header.Set("X-Amz-X509-Chain", strings.Join(parts, ","))
	}
	canonical, signed := canonicalRequest(req, body)
	scope := date[:8] + "/" + region + "/" + service + "/aws4_request"
	h := sha256.Sum256([]byte(alg + "\n" + date + "\n" + scope + "\n" + hexSHA256([]byte(canonical))))
	sig, err := id.key.Sign(rand.Reader, h[:], crypto.SHA256)
	if err != nil {
		return fmt.Errorf("signing with the private key: %w", err)
	}
	req.Header.Set("Authorization", alg+" Credential="+id.leaf.SerialNumber.String()+"/"+scope+
		", SignedHeaders="+signed+", Signature="+hex.EncodeToString(sig))
	return nil
}

// signedHeaders are the headers the signature covers, in SigV4's (sorted) order:
// every header brs sets except Authorization and User-Agent, as aws_signing_helper
// signs. The canonical headers follow this order; sorting "name:value" lines instead
// would put x-amz-x509-chain before x-amz-x509.
var signedHeaders = []string{"content-type", "host", "x-amz-date", "x-amz-x509", "x-amz-x509-chain"}

// canonicalRequest returns SigV4's canonical request of req and the list of signed
// headers.
func canonicalRequest(req *http.Request, body []byte) (canonical, signed string) {
	var names, lines []string
	for _, name := range signedHeaders {
		v := req.Header.Get(name)
		if name == "host" {
			v = req.URL.Host
		}
		if v == "" {
			continue
		}
		names = append(names, name)
		lines = append(lines, name+":"+strings.Join(strings.Fields(v), " "))
	}
	path := req.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	query := strings.ReplaceAll(req.URL.Query().Encode(), "+", "%20")
	signed = strings.Join(names, ";")
	canonical = strings.Join([]string{req.Method, path, query, strings.Join(lines, "\n") + "\n", signed, hexSHA256(body)}, "\n")
	return canonical, signed
}

func hexSHA256(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

package webidentity_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"
)

// fakeSTS is a loopback stand-in for AWS STS, for what MinIO cannot show: MinIO
// reports every refused token as InvalidParameterValue, returns no AssumedRoleUser
// ARN and never answers with AWS's throttling or server errors. It records each
// request's form and Authorization header and answers with a canned AWS-shaped
// response. It checks no token: that is tested against MinIO.
type fakeSTS struct {
	*httptest.Server

	mu       sync.Mutex
	forms    []url.Values
	auths    []string
	status   int    // 0: success
	code     string // AWS error code when status != 0
	errorMsg string
}

func startFakeSTS(t *testing.T) *fakeSTS {
	t.Helper()
	f := &fakeSTS{}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

// failWith makes every later request fail with an AWS error response.
func (f *fakeSTS) failWith(status int, code, msg string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.status, f.code, f.errorMsg = status, code, msg
}

// requests returns the forms received so far.
func (f *fakeSTS) requests() []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]url.Values(nil), f.forms...)
}

// authorizations returns the Authorization headers received so far.
func (f *fakeSTS) authorizations() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.auths...)
}

const (
	fakeAccessKeyID = "ASIAFAKEWEBIDENTITY1"
	fakeSecret      = "fake-secret-access-key-from-the-fake-sts"
	fakeToken       = "fake-session-token-from-the-fake-sts"
	fakeRoleARN     = "arn:aws:sts::123456789012:assumed-role/pods/brs-pods"
)

func (f *fakeSTS) serve(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.forms = append(f.forms, r.PostForm)
	f.auths = append(f.auths, r.Header.Get("Authorization"))
	status, code, msg := f.status, f.code, f.errorMsg
	f.mu.Unlock()

	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("X-Amzn-Requestid", "fake-request-id")
	if status != 0 {
		w.WriteHeader(status)
		fmt.Fprintf(w, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error>
  <RequestId>fake-request-id</RequestId>
</ErrorResponse>`, code, msg)
		return
	}
	expires := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	fmt.Fprintf(w, `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>system:serviceaccount:default:app</SubjectFromWebIdentityToken>
    <Audience>sts.amazonaws.com</Audience>
    <AssumedRoleUser><Arn>%s</Arn><AssumedRoleId>AROAFAKE:brs-pods</AssumedRoleId></AssumedRoleUser>
    <Credentials>
      <AccessKeyId>%s</AccessKeyId><SecretAccessKey>%s</SecretAccessKey>
      <SessionToken>%s</SessionToken><Expiration>%s</Expiration>
    </Credentials>
    <Provider>oidc.eks.us-east-1.amazonaws.com/id/FAKE</Provider>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata><RequestId>fake-request-id</RequestId></ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>`, fakeRoleARN, fakeAccessKeyID, fakeSecret, fakeToken, expires)
}

package fakests

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"
)

// The secret access key and session token of the credentials every success returns.
const (
	Secret       = "fake-secret-access-key-from-the-fake-sts"
	SessionToken = "fake-session-token-from-the-fake-sts"
)

// RequestID is the request ID of every answer.
const RequestID = "fake-request-id"

// Options says how the fake answers a successful call.
type Options struct {
	// Action is the STS action answered, e.g. "AssumeRole": the response is an
	// <ActionResponse> holding an <ActionResult>.
	Action string

	// AccessKeyID, RoleARN and AssumedRoleID are those of the credentials and the
	// assumed role user every success returns.
	AccessKeyID   string
	RoleARN       string
	AssumedRoleID string

	// ResultHead and ResultTail are extra XML elements of the result, before the
	// AssumedRoleUser and after the Credentials.
	ResultHead string
	ResultTail string
}

// STS is a running fake STS. Its embedded server's URL is the endpoint to call.
type STS struct {
	*httptest.Server

	opts Options

	mu       sync.Mutex
	forms    []url.Values
	auths    []string
	status   int    // 0: success
	code     string // AWS error code when status != 0
	errorMsg string
}

// Start starts a fake STS that answers as opts says, stopped when t ends.
func Start(t testing.TB, opts Options) *STS {
	t.Helper()
	f := &STS{opts: opts}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

// FailWith makes every later request fail with an AWS error response.
func (f *STS) FailWith(status int, code, msg string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.status, f.code, f.errorMsg = status, code, msg
}

// Requests returns the forms received so far.
func (f *STS) Requests() []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]url.Values(nil), f.forms...)
}

// Authorizations returns the Authorization headers received so far.
func (f *STS) Authorizations() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.auths...)
}

func (f *STS) serve(w http.ResponseWriter, r *http.Request) {
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
	w.Header().Set("X-Amzn-Requestid", RequestID)
	if status != 0 {
		w.WriteHeader(status)
		fmt.Fprintf(w, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error>
  <RequestId>%s</RequestId>
</ErrorResponse>`, code, msg, RequestID)
		return
	}
	o := f.opts
	expires := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	fmt.Fprintf(w, `<%[1]sResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <%[1]sResult>%[2]s
    <AssumedRoleUser><Arn>%[3]s</Arn><AssumedRoleId>%[4]s</AssumedRoleId></AssumedRoleUser>
    <Credentials>
      <AccessKeyId>%[5]s</AccessKeyId><SecretAccessKey>%[6]s</SecretAccessKey>
      <SessionToken>%[7]s</SessionToken><Expiration>%[8]s</Expiration>
    </Credentials>%[9]s
  </%[1]sResult>
  <ResponseMetadata><RequestId>%[10]s</RequestId></ResponseMetadata>
</%[1]sResponse>`, o.Action, o.ResultHead, o.RoleARN, o.AssumedRoleID, o.AccessKeyID, Secret, SessionToken, expires, o.ResultTail, RequestID)
}

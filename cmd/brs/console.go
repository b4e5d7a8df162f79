package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/brs-go/brs/shared"
)

const (
	// defaultFederationEndpoint is the AWS sign-in federation endpoint of the
	// commercial partition.
	defaultFederationEndpoint = "https://signin.aws.amazon.com/federation"
	// maxSigninResponse caps how much of the federation endpoint's answer is read; the
	// answer is a small JSON object.
	maxSigninResponse = 64 << 10
)

// consoleURLs returns the federation endpoint and the console home of the partition of
// region ("" for the commercial partition's defaults).
func consoleURLs(region string) (federation, home string) {
	q := ""
	if region != "" {
		q = "console/home?region=" + url.QueryEscape(region)
	}
	switch {
	case strings.HasPrefix(region, "us-gov-"):
		return "https://signin.amazonaws-us-gov.com/federation", "https://console.amazonaws-us-gov.com/" + q
	case strings.HasPrefix(region, "cn-"):
		return "https://signin.amazonaws.cn/federation", "https://console.amazonaws.cn/" + q
	case region != "":
		return defaultFederationEndpoint, "https://" + region + ".console.aws.amazon.com/" + q
	}
	return defaultFederationEndpoint, "https://console.aws.amazon.com/"
}

// federationTimeout bounds the getSigninToken request, connection included. A variable
// so that a test can shorten it.
var federationTimeout = 30 * time.Second

// setupConsole registers the flags of `brs console ROLE`.
func setupConsole(fs *flag.FlagSet) runFunc {
	open := fs.Bool("open", false, "open the URL in the default browser (xdg-open, or open on macOS) instead of printing it")
	dest := fs.String("destination", "", "the console page to land on; default the console home, in the role's region")
	endpoint := fs.String("federation-endpoint", "", "the sign-in federation endpoint; default $BRS_FEDERATION_ENDPOINT, else the one of the role's partition, "+defaultFederationEndpoint+" for most")
	return func(ctx context.Context, c *cli, args []string) int {
		return runConsole(ctx, c, args[0], *open, *dest, *endpoint)
	}
}

// runConsole is `brs console ROLE`.
func runConsole(ctx context.Context, c *cli, role string, open bool, dest, endpoint string) int {
	if endpoint == "" {
		endpoint, _ = c.lookupEnv("BRS_FEDERATION_ENDPOINT")
	}
	if endpoint != "" {
		if err := checkFederationEndpoint(endpoint); err != nil {
			return c.commandUsageError(lookupCommand("console"), "%v", err)
		}
	}
	if dest != "" {
		if u, err := url.Parse(dest); err != nil || u.Scheme != "https" || u.Host == "" {
			return c.commandUsageError(lookupCommand("console"), "invalid --destination %q: give an https URL of the AWS console", dest)
		}
	}
	f, code := c.fetchRole(ctx, role, fetchOptions{})
	if f == nil {
		return code
	}
	creds := f.creds
	if creds.SessionToken == "" {
		return c.errorf("role %q has long-term credentials (no session token), and the AWS console signs in only with temporary ones: use a role whose source gives temporary credentials, such as sts or sso", role)
	}
	federation, home := consoleURLs(f.region)
	if endpoint == "" {
		endpoint = federation
	}
	if dest == "" {
		dest = home
	}
	token, err := signinToken(ctx, endpoint, creds)
	if err != nil {
		return c.errorf("console: role %q: %v", role, err)
	}
	login := endpoint + "?" + url.Values{
		"Action":      {"login"},
		"Issuer":      {"brs"},
		"Destination": {dest},
		"SigninToken": {token},
	}.Encode()
	if open {
		if err := openBrowser(ctx, login); err != nil {
			// The URL is still useful: stdout is the one place it may go.
			fmt.Fprintf(c.stderr, "brs: console: could not open a browser (%v); the sign-in URL follows on stdout\n", err)
		} else {
			return exitOK
		}
	}
	if _, err := fmt.Fprintln(c.stdout, login); err != nil {
		return c.errorf("writing to stdout: %v", err)
	}
	return exitOK
}

// checkFederationEndpoint refuses an endpoint the credentials must not be sent to:
// anything but an https URL, except http to a loopback address (127.0.0.0/8, ::1,
// "localhost"), where nothing crosses the network. The request carries the secret
// access key; over plain http anyone on the path would read it.
func checkFederationEndpoint(endpoint string) error {
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" || u.User != nil {
		return fmt.Errorf("invalid federation endpoint %q: give an https URL", endpoint)
	}
	switch {
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && isLoopbackHost(u.Hostname()):
		return nil
	case u.Scheme == "http":
		return fmt.Errorf("federation endpoint %q is plain http to a host that is not loopback: the request carries the role's secret key, so brs sends it only over https (http only to 127.0.0.1, ::1 or localhost)", endpoint)
	}
	return fmt.Errorf("invalid federation endpoint %q: give an https URL", endpoint)
}

// isLoopbackHost reports whether host (without port) names this machine's loopback
// interface: "localhost" or an address in 127.0.0.0/8 or ::1.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}

// signinToken exchanges temporary credentials for a console sign-in token at the
// federation endpoint (Action=getSigninToken). Errors never hold the credentials, the
// token or the answer's body.
func signinToken(ctx context.Context, endpoint string, creds shared.Credentials) (string, error) {
	session, err := json.Marshal(struct {
		ID    string `json:"sessionId"`
		Key   string `json:"sessionKey"`
		Token string `json:"sessionToken"`
	}{creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken})
	if err != nil {
		return "", err
	}
	if err := checkFederationEndpoint(endpoint); err != nil {
		return "", err // checked by the caller; again here, next to the secret it guards
	}
	q := url.Values{"Action": {"getSigninToken"}, "Session": {string(session)}}
	ctx, cancel := context.WithTimeout(ctx, federationTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint+"?"+q.Encode(), nil)
	if err != nil {
		return "", fmt.Errorf("getSigninToken: invalid endpoint %q", endpoint)
	}
	client := &http.Client{
		// The request carries the credentials: it goes to the endpoint and nowhere else.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := client.Do(req)
	if err != nil {
		// *url.Error quotes the URL, which holds the credentials: keep only the cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		if ctx.Err() != nil {
			return "", fmt.Errorf("getSigninToken at %s: no answer within %v", endpoint, federationTimeout)
		}
		return "", fmt.Errorf("getSigninToken at %s: %v", endpoint, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxSigninResponse+1))
	switch {
	case err != nil:
		return "", fmt.Errorf("getSigninToken at %s: reading the answer: %v", endpoint, errors.Unwrap(err))
	case resp.StatusCode != http.StatusOK:
		return "", fmt.Errorf("getSigninToken at %s answered %s: the credentials were refused (the console takes temporary credentials from AssumeRole, SSO or GetFederationToken, not from GetSessionToken)", endpoint, resp.Status)
	case len(body) > maxSigninResponse:
		return "", fmt.Errorf("getSigninToken at %s answered more than %d KiB: not a sign-in token", endpoint, maxSigninResponse>>10)
	}
	var doc struct{ SigninToken string }
	if err := json.Unmarshal(body, &doc); err != nil || doc.SigninToken == "" {
		return "", fmt.Errorf("getSigninToken at %s answered without a SigninToken", endpoint)
	}
	return doc.SigninToken, nil
}

// openBrowser opens u with the desktop's URL handler.
func openBrowser(ctx context.Context, u string) error {
	name := "xdg-open"
	if runtime.GOOS == "darwin" {
		name = "open"
	}
	path, err := exec.LookPath(name)
	if err != nil {
		return fmt.Errorf("no %s", name)
	}
	// The URL goes on the handler's command line, as with every tool that opens a
	// browser; the handler's output is not shown, lest it echo the URL.
	cmd := exec.CommandContext(ctx, path, u)
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %v", name, err)
	}
	return nil
}

package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha1"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/testutil/miniotest"
	"github.com/brs-go/brs/internal/testutil/needtool"
	"github.com/brs-go/brs/internal/testutil/oidctest"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/internal/testutil/ssotest"
)

// secretRoles are the roles of the file TestNoSecretInAnyOutput writes: one per
// built-in source, a second process role (MinIO's root keys, long-term) and an sts
// role chained from it with source_role.
var secretRoles = []string{"sts", "web", "sso", "proc", "proc-root", "chained", "ecs", "iot"}

// secretsHCL is that file. Every role has an endpoint where brs whoami finds an
// STS: the sts and web_identity roles' is a front of MinIO that answers
// GetCallerIdentity itself (MinIO lacks it), the sso role's a front of the fake
// portal that does the same; the process, ecs and iot sources do not use the role's
// endpoint, so theirs is the MinIO front too, only for whoami.
const secretsHCL = `role "sts" {
  source   = "sts"
  region   = "us-east-1"
  endpoint = %[1]q
  config {
    role_arn = "arn:aws:iam::123456789012:role/brs-secrets"
    duration = "15m"
  }
}

role "web" {
  source   = "web_identity"
  region   = "us-east-1"
  endpoint = %[1]q
  config {
    role_arn   = "arn:aws:iam::123456789012:role/brs-web"
    token_file = %[2]q
    duration   = "15m"
  }
}

role "sso" {
  source   = "sso"
  region   = "eu-west-1"
  endpoint = %[3]q
  config {
    sso_session   = %[4]q
    sso_start_url = "https://d-1234567890.awsapps.com/start"
    sso_region    = "eu-west-1"
    account_id    = "111122223333"
    role_name     = "ReadOnly"
    cache_dir     = %[5]q
    oidc_endpoint = %[6]q
  }
}

role "proc" {
  source   = "process"
  endpoint = %[1]q
  config {
    command = %[7]q
    env = {
      PROC_HELPER_TOKEN = %[8]q
    }
  }
}

role "proc-root" {
  source   = "process"
  endpoint = %[1]q
  config {
    command     = %[9]q
    inherit_env = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]
  }
}

role "chained" {
  source      = "sts"
  source_role = "proc-root"
  region      = "us-east-1"
  endpoint    = %[1]q
  config {
    role_arn = "arn:aws:iam::123456789012:role/brs-chained"
    duration = "15m"
  }
}

role "ecs" {
  source   = "ecs"
  endpoint = %[1]q
  config {
    uri   = %[10]q
    token = %[11]q
  }
}

role "iot" {
  source   = "iot"
  endpoint = %[1]q
  config {
    endpoint   = %[12]q
    role_alias = "brs-secrets"
    thing_name = "brs-thing"
    cert       = %[13]q
    key        = %[14]q
    ca         = %[15]q
  }
}
`

// execChild is what brs exec runs for each role: a Python program that knows only the
// container-credentials variables, fetches the role's credentials from brs's endpoint
// and writes the token and the answer to the file named by its argument — never to
// stdout or stderr, which are brs's outputs under test.
const execChild = `
import json, os, sys, urllib.request
token = os.environ["AWS_CONTAINER_AUTHORIZATION_TOKEN"]
req = urllib.request.Request(os.environ["AWS_CONTAINER_CREDENTIALS_FULL_URI"], headers={"Authorization": token})
with urllib.request.urlopen(req, timeout=20) as resp:
    body = json.load(resp)
with open(sys.argv[1], "w") as f:
    json.dump({"token": token, "credentials": body}, f)
`

// secretSet is every secret of the run, by value, with what it is. It is safe for
// concurrent use: the fakes add what they hand out from their handlers.
type secretSet struct {
	mu sync.Mutex
	m  map[string]string // value → kind
}

func (s *secretSet) add(kind string, values ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range values {
		if v == "" {
			continue
		}
		if _, ok := s.m[v]; !ok {
			s.m[v] = kind
		}
	}
}

// sorted returns the secrets, longest first (so a report names the whole secret
// rather than a shorter one it contains), then by value.
func (s *secretSet) sorted() [][2]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([][2]string, 0, len(s.m))
	for v, k := range s.m {
		out = append(out, [2]string{v, k})
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i][0]) != len(out[j][0]) {
			return len(out[i][0]) > len(out[j][0])
		}
		return out[i][0] < out[j][0]
	})
	return out
}

// checkedOutput is one text brs produced: a stream of one run, or an error string.
type checkedOutput struct {
	name string
	text string
	// allowed are the secrets this output holds by design (the credentials that
	// credential-process and env print): they are cut out before the check.
	allowed []string
}

// brsRun is one finished run of the brs binary.
type brsRun struct {
	args           []string
	stdout, stderr string
	err            error
}

func (r brsRun) String() string { return "brs " + strings.Join(r.args, " ") }

// randomSecret returns prefix followed by 26 random characters.
func randomSecret(prefix string) string { return prefix + rand.Text() }

// python3 returns the path of python3, failing the test if there is none.
func python3(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("python3", "-c", "import sys, urllib.request; print(sys.executable)").CombinedOutput()
	if err != nil {
		needtool.Missing(t, fmt.Sprintf("python3 not found or not working (%v: %s)", err, bytes.TrimSpace(out)), "apt-get install python3")
	}
	return strings.TrimSpace(string(out))
}

// credentialBody matches the secrets in an AWS answer, XML (STS) or JSON (the SSO
// portal and SSO-OIDC).
var credentialBody = regexp.MustCompile(`<(SecretAccessKey|SessionToken)>([^<]+)</|"(secretAccessKey|sessionToken|accessToken|refreshToken)"\s*:\s*"([^"]+)"`)

// stsFront is a reverse proxy in front of a server (MinIO, the fake SSO portal) that
// answers STS GetCallerIdentity itself with the package's fakeSTS, for brs whoami, and
// records every secret the server hands out. The Host header goes through unchanged,
// so MinIO's check of the SigV4 signature still passes.
func stsFront(t *testing.T, backend string, secrets *secretSet, kind string) string {
	t.Helper()
	target, err := url.Parse(backend)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ModifyResponse = func(resp *http.Response) error {
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		for _, m := range credentialBody.FindAllStringSubmatch(string(body), -1) {
			secrets.add(kind+" "+m[1]+m[3], m[2]+m[4])
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
		return nil
	}
	whoami := &fakeSTS{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); r.Method == http.MethodPost && mt == "application/x-www-form-urlencoded" {
			body, err := io.ReadAll(r.Body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
			if q, err := url.ParseQuery(string(body)); err == nil && q.Get("Action") == "GetCallerIdentity" {
				whoami.ServeHTTP(w, r)
				return
			}
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// startFakeECS starts a FAKE container credentials endpoint (the ECS agent / EKS Pod
// Identity agent cannot run here) that requires token and hands out new credentials
// at every request, recording them. After fail is set it answers 401 as to a wrong
// token.
func startFakeECS(t *testing.T, token string, secrets *secretSet, fail *atomic.Bool) string {
	t.Helper()
	var mu sync.Mutex
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("Authorization") != token || fail.Load() {
			w.WriteHeader(http.StatusUnauthorized)
			_ = json.NewEncoder(w).Encode(map[string]string{"code": "InvalidToken", "message": "wrong token"})
			return
		}
		mu.Lock()
		n++
		akid := fmt.Sprintf("ASIAFAKEECS%09d", n)
		mu.Unlock()
		secret, session := randomSecret("ecs-secret-"), randomSecret("ecs-session-")
		secrets.add("ecs-issued secret access key", secret)
		secrets.add("ecs-issued session token", session)
		_ = json.NewEncoder(w).Encode(map[string]string{
			"AccessKeyId": akid, "SecretAccessKey": secret, "Token": session,
			"Expiration": time.Now().Add(time.Hour).UTC().Format(time.RFC3339),
			"RoleArn":    "arn:aws:iam::123456789012:role/task-role",
		})
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/v1/credentials"
}

// certSerial returns a random certificate serial number.
func certSerial(t testing.TB) *big.Int {
	t.Helper()
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// issueCert returns a certificate for tmpl with a new P-256 key, signed by parent's
// key (self-signed when parent is nil), and the key as PKCS #8 PEM.
func issueCert(t testing.TB, tmpl, parent *x509.Certificate, parentKey *ecdsa.PrivateKey) (*x509.Certificate, *ecdsa.PrivateKey, []byte, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl.SerialNumber = certSerial(t)
	tmpl.NotBefore, tmpl.NotAfter = time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour)
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return cert, key, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
}

// fakeIoTDevice starts a FAKE AWS IoT credentials provider (AWS IoT cannot run here):
// TLS on 127.0.0.1 with a certificate of a CA made for the test, requiring a client
// certificate from that CA, serving role alias brs-secrets. It writes the device's
// certificate, key and the CA to dir and returns the endpoint, the three paths and
// the key's PEM. After fail is set it answers 403, as AWS IoT does when the
// certificate's policy does not allow the role alias.
func fakeIoTDevice(t *testing.T, dir string, secrets *secretSet, fail *atomic.Bool) (endpoint, certFile, keyFile, caFile string, keyPEM []byte) {
	t.Helper()
	ca, caKey, caPEM, _ := issueCert(t, &x509.Certificate{Subject: pkix.Name{CommonName: "fake AWS IoT CA"},
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature, BasicConstraintsValid: true, IsCA: true}, nil, nil)
	_, _, serverPEM, serverKey := issueCert(t, &x509.Certificate{Subject: pkix.Name{CommonName: "credentials.iot.test"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}, ca, caKey)
	_, _, devicePEM, deviceKey := issueCert(t, &x509.Certificate{Subject: pkix.Name{CommonName: "brs-thing"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}, ca, caKey)
	serverCert, err := tls.X509KeyPair(serverPEM, serverKey)
	if err != nil {
		t.Fatal(err)
	}

	var mu sync.Mutex
	n := 0
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if fail.Load() {
			w.WriteHeader(http.StatusForbidden)
			_ = json.NewEncoder(w).Encode(map[string]string{"message": "Access Denied"})
			return
		}
		if r.URL.Path != "/role-aliases/brs-secrets/credentials" || r.Header.Get("x-amzn-iot-thingname") != "brs-thing" {
			w.WriteHeader(http.StatusNotFound)
			_ = json.NewEncoder(w).Encode(map[string]string{"message": "Role alias does not exist"})
			return
		}
		mu.Lock()
		n++
		akid := fmt.Sprintf("ASIAFAKEIOT%09d", n)
		mu.Unlock()
		secret, session := randomSecret("iot-secret-"), randomSecret("iot-session-")
		secrets.add("iot-issued secret access key", secret)
		secrets.add("iot-issued session token", session)
		_ = json.NewEncoder(w).Encode(map[string]any{"credentials": map[string]string{
			"accessKeyId": akid, "secretAccessKey": secret, "sessionToken": session,
			"expiration": time.Now().Add(time.Hour).UTC().Format(time.RFC3339),
		}})
	}))
	clients := x509.NewCertPool()
	clients.AddCert(ca)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{serverCert}, ClientAuth: tls.RequireAndVerifyClientCert,
		ClientCAs: clients, MinVersion: tls.VersionTLS12}
	srv.StartTLS()
	t.Cleanup(srv.Close)

	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	return srv.URL, write("device.pem.crt", devicePEM), write("device.pem.key", deviceKey), write("ca.pem", caPEM), deviceKey
}

// writeScript writes an executable shell script and returns its path.
func writeScript(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o700); err != nil {
		t.Fatal(err)
	}
	return p
}

// parseCredentialProcess returns the secrets of a credential_process document.
func parseCredentialProcess(out string) (akid, secret, session string, err error) {
	var doc struct {
		Version                       int
		AccessKeyID                   string `json:"AccessKeyId"`
		SecretAccessKey, SessionToken string
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		return "", "", "", err
	}
	if doc.Version != 1 || doc.AccessKeyID == "" || doc.SecretAccessKey == "" {
		return "", "", "", fmt.Errorf("not a credential_process document: Version %d, AccessKeyId %q", doc.Version, doc.AccessKeyID)
	}
	return doc.AccessKeyID, doc.SecretAccessKey, doc.SessionToken, nil
}

// parseEnvScript returns the values of the export lines of brs env's output.
func parseEnvScript(out string) map[string]string {
	m := map[string]string{}
	for line := range strings.SplitSeq(out, "\n") {
		rest, ok := strings.CutPrefix(line, "export ")
		if !ok {
			continue
		}
		k, v, _ := strings.Cut(strings.TrimSuffix(rest, ";"), "=")
		v = strings.TrimSuffix(strings.TrimPrefix(v, "'"), "'")
		m[k] = strings.ReplaceAll(v, `'\''`, "'")
	}
	return m
}

// secretLines returns the lines of text that hold secret, with it replaced by <SECRET>.
func secretLines(text, secret string) []string {
	var out []string
	for line := range strings.SplitSeq(text, "\n") {
		if strings.Contains(line, secret) {
			out = append(out, strings.ReplaceAll(line, secret, "<SECRET>"))
		}
	}
	return out
}

// TestNoSecretInAnyOutput runs the real brs binary, with the real plugins of all six
// built-in sources found beside it, through every command at debug level — validate,
// plugins, status, status --json, and for every role credential-process, env, whoami
// and exec (a Python child that fetches the role from the endpoint), then serve — plus
// status once at trace level, against one brs.hcl with a role per source: sts and
// web_identity at a real MinIO (with a test OpenID provider), sso at the ssotest fake
// with a cached token close to expiry (so the refresh token and the client secret are
// sent, and the cache file rewritten), process (a script that also writes its secrets
// and a sensitive env value to its stderr), ecs and iot at fakes in this file (the
// real services cannot run here), and an sts role chained from a process role that
// hands out MinIO's root keys. whoami's GetCallerIdentity, which MinIO lacks, is
// answered by the package's fakeSTS behind a proxy. Last, four sources are made to
// fail (a JWT signed with a foreign key, a refused SSO token, ecs 401, iot 403) and
// status, credential-process, env and exec run again, so error strings are covered.
//
// It collects every secret of the run — MinIO's root secret, the web identity JWTs,
// the SSO access and refresh tokens and client secret before and after renewal, the
// ecs token, the iot private key, the process role's secrets and its helper's token,
// the serve and exec endpoint tokens, and every secret key and session token any
// server handed out (recorded by the fakes, and by the proxy in front of MinIO and the
// SSO portal) — and proves that none appears in any stderr, in any error, or in any
// stdout except where brs prints it by design: credential-process and env print the
// role's own credentials, serve prints its token in the one export line. The logs
// are checked to be non-trivial (refresh and plugin lines, the renewal, the helper's
// stderr with its secrets redacted, the endpoint's requests), so the test cannot pass
// by logging nothing.
func TestNoSecretInAnyOutput(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	python := python3(t)
	if _, err := miniotest.Binary(); err != nil {
		t.Fatalf("this test needs MinIO: %v", err)
	}

	bin := t.TempDir()
	brs := copyExecutable(t, plugintestbin.Build(t, brsPkg), bin, "brs")
	for _, src := range []string{"sts", "web_identity", "sso", "process", "ecs", "iot"} {
		copyExecutable(t, plugintestbin.Build(t, "github.com/brs-go/brs/cmd/brs-plugin-"+src), bin, "brs-plugin-"+src)
	}

	secrets := &secretSet{m: map[string]string{}}
	secrets.add("MinIO root secret", miniotest.RootPassword)
	work := t.TempDir()

	// sts and web_identity: MinIO with the OpenID provider.
	idp, minio := oidctest.StartWithMinIO(t)
	minioFront := stsFront(t, minio.Endpoint, secrets, "MinIO-issued")
	jwt := idp.Token(t, time.Hour)
	secrets.add("web identity JWT", jwt)
	secrets.add("web identity JWT signature", jwt[strings.LastIndex(jwt, ".")+1:])
	tokenFile := filepath.Join(work, "web-identity-token")
	if err := os.WriteFile(tokenFile, []byte(jwt), 0o600); err != nil {
		t.Fatal(err)
	}

	// sso: a cached token 5 minutes from expiry, inside the 15-minute renewal window.
	const ssoSession = "brs-secrets"
	sso := ssotest.Start(t)
	ssoFront := stsFront(t, sso.URL, secrets, "SSO-portal-issued")
	ssoAccess, ssoRefresh := randomSecret("sso-access-token-"), randomSecret("sso-refresh-token-")
	ssoClientID, ssoClientSecret := "brs-secrets-client", randomSecret("sso-client-secret-")
	secrets.add("SSO access token (cached)", ssoAccess)
	secrets.add("SSO refresh token (cached)", ssoRefresh)
	secrets.add("SSO client secret", ssoClientSecret)
	sso.AddAccessToken(ssoAccess)
	sso.AddRefreshToken(ssoRefresh)
	sso.AddClient(ssoClientID, ssoClientSecret)
	sso.AssignRole("111122223333", "ReadOnly")
	cacheDir := filepath.Join(work, "sso-cache")
	if err := os.Mkdir(cacheDir, 0o700); err != nil {
		t.Fatal(err)
	}
	sum := sha1.Sum([]byte(ssoSession))
	cacheFile := filepath.Join(cacheDir, hex.EncodeToString(sum[:])+".json")
	stamp := func(tm time.Time) string { return tm.UTC().Format("2006-01-02T15:04:05Z") }
	cached, err := json.Marshal(map[string]any{
		"startUrl": "https://d-1234567890.awsapps.com/start", "region": "eu-west-1",
		"accessToken": ssoAccess, "expiresAt": stamp(time.Now().Add(5 * time.Minute)),
		"clientId": ssoClientID, "clientSecret": ssoClientSecret,
		"registrationExpiresAt": stamp(time.Now().Add(90 * 24 * time.Hour)), "refreshToken": ssoRefresh,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cacheFile, cached, 0o600); err != nil {
		t.Fatal(err)
	}

	// process: a helper that prints its credentials, and tells its stderr its secrets
	// and the sensitive env value; and one that hands out MinIO's root keys from the
	// environment brs runs in, for the chained role.
	procSecret, procSession := randomSecret("proc-secret-"), randomSecret("proc-session-")
	procToken := randomSecret("proc-helper-token-")
	secrets.add("process role secret access key", procSecret)
	secrets.add("process role session token", procSession)
	secrets.add("process helper env token (sensitive)", procToken)
	procScript := writeScript(t, work, "proc-helper", fmt.Sprintf(`echo "proc helper: token=$PROC_HELPER_TOKEN secret=%[1]s session=%[2]s" >&2
printf '%%s\n' '{"Version": 1, "AccessKeyId": "ASIAPROCESSROLE00001", "SecretAccessKey": "%[1]s", "SessionToken": "%[2]s", "Expiration": "%[3]s"}'
`, procSecret, procSession, time.Now().Add(time.Hour).UTC().Format(time.RFC3339)))
	rootScript := writeScript(t, work, "root-helper", `echo "root helper: keys $AWS_ACCESS_KEY_ID / $AWS_SECRET_ACCESS_KEY" >&2
printf '{"Version": 1, "AccessKeyId": "%s", "SecretAccessKey": "%s"}\n' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY"
`)

	// ecs and iot.
	ecsToken := randomSecret("ecs-token-")
	secrets.add("ecs authorization token", ecsToken)
	var ecsFail, iotFail atomic.Bool
	ecsURI := startFakeECS(t, ecsToken, secrets, &ecsFail)
	iotEndpoint, certFile, keyFile, caFile, keyPEM := fakeIoTDevice(t, work, secrets, &iotFail)
	block, _ := pem.Decode(keyPEM)
	if block == nil {
		t.Fatal("the device key is not PEM")
	}
	for line := range strings.SplitSeq(string(keyPEM), "\n") {
		if len(line) > 16 && !strings.HasPrefix(line, "-----") {
			secrets.add("iot private key PEM line", line)
		}
	}
	secrets.add("iot private key (base64 DER)", base64.StdEncoding.EncodeToString(block.Bytes))

	cfg := filepath.Join(work, "brs.hcl")
	src := fmt.Sprintf(secretsHCL, minioFront, tokenFile, ssoFront, ssoSession, cacheDir, sso.URL,
		procScript, procToken, rootScript, ecsURI, ecsToken, iotEndpoint, certFile, keyFile, caFile)
	if err := os.WriteFile(cfg, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	baseEnv := []string{
		// The sts plugin's default chain signs AssumeRole with MinIO's root keys.
		"AWS_ACCESS_KEY_ID=" + miniotest.RootUser,
		"AWS_SECRET_ACCESS_KEY=" + miniotest.RootPassword,
		"AWS_CONFIG_FILE=" + filepath.Join(work, "no-such-config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(work, "no-such-credentials"),
		"AWS_EC2_METADATA_DISABLED=true",
		"HOME=" + work,
		"PATH=" + os.Getenv("PATH"),
		"NO_COLOR=1",
	}
	// In-process first; the agent's turn comes at the end.
	env := append(slices.Clone(baseEnv), "BRS_AGENT=off")

	runWith := func(env []string, args ...string) brsRun {
		cctx, ccancel := context.WithTimeout(ctx, time.Minute)
		defer ccancel()
		cmd := exec.CommandContext(cctx, brs, args...)
		cmd.Dir, cmd.Env = work, env
		cmd.WaitDelay = 5 * time.Second
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		return brsRun{args: args, stdout: stdout.String(), stderr: stderr.String(), err: err}
	}
	runOne := func(args ...string) brsRun { return runWith(env, args...) }
	debug := func(args ...string) []string {
		return append([]string{"--log-level", "debug", "-c", cfg}, args...)
	}

	// First, alone and at trace level: status fetches every role, and renews the SSO
	// token (later runs find it valid for an hour).
	trace := runOne(append([]string{"--log-level", "trace", "-c", cfg}, "status")...)
	if trace.err != nil {
		t.Fatalf("%s: %v\nstdout:\n%s\nstderr:\n%s", trace, trace.err, trace.stdout, trace.stderr)
	}

	// Then every command at debug level, four at a time.
	var argvs [][]string
	argvs = append(argvs, debug("validate"), debug("plugins"), debug("status"), debug("status", "--json"))
	execOut := map[string]string{}
	for _, role := range secretRoles {
		execOut[role] = filepath.Join(work, "exec-"+role+".json")
		argvs = append(argvs, debug("credential-process", role), debug("env", role), debug("whoami", role),
			debug("exec", role, "--", python, "-c", execChild, execOut[role]))
	}
	runs := make([]brsRun, len(argvs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i, argv := range argvs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			runs[i] = runOne(argv...)
		}()
	}
	wg.Wait()

	serveOut, serveErrs := serveForSecrets(ctx, t, brs, cfg, work, env, secrets)

	// Last, the error paths: four sources now fail, permanently, and their errors
	// reach stderr and status's ERROR column. The web identity token is replaced by
	// one signed with another key, which MinIO refuses.
	foreign := oidctest.SignWith(t, oidctest.NewKey(t), oidctest.KeyID, idp.Claims(time.Hour))
	secrets.add("web identity JWT (foreign key)", foreign)
	secrets.add("web identity JWT signature (foreign key)", foreign[strings.LastIndex(foreign, ".")+1:])
	if err := os.WriteFile(tokenFile, []byte(foreign), 0o600); err != nil {
		t.Fatal(err)
	}
	ecsFail.Store(true)
	iotFail.Store(true)
	sso.FailPortal(http.StatusUnauthorized, "UnauthorizedException", "Session token not found or invalid")
	failing := []string{"web", "sso", "ecs", "iot"}
	var failed []brsRun
	for _, argv := range [][]string{debug("status"), debug("status", "--json"), debug("credential-process", "web"),
		debug("credential-process", "sso"), debug("env", "ecs"), debug("exec", "iot", "--", "sh", "-c", "exit 0")} {
		r := runOne(argv...)
		failed = append(failed, r)
		if r.err == nil || !strings.Contains(r.stderr, "refresh failed") {
			t.Errorf("%s: err %v, want a failure logged as such; stderr:\n%s", r, r.err, r.stderr)
		}
	}
	for _, role := range failing {
		if !strings.Contains(failed[0].stdout, role) || !strings.Contains(failed[1].stdout, `"role": "`+role+`"`) {
			t.Errorf("status does not list role %s", role)
		}
	}
	for _, want := range []string{"InvalidParameterValue", "UnauthorizedException", "HTTP 401", "HTTP 403"} {
		if !strings.Contains(failed[1].stdout, want) {
			t.Errorf("%s: the errors lack %q:\n%s", failed[1], want, failed[1].stdout)
		}
	}

	// Every secret the run produced, now that it is over.
	for _, c := range sso.TokenCalls() {
		secrets.add("SSO client secret (sent)", c.ClientSecret)
		secrets.add("SSO refresh token (sent)", c.RefreshToken)
		secrets.add("SSO access token (renewed)", c.AccessToken)
	}
	var after map[string]any
	if b, err := os.ReadFile(cacheFile); err != nil {
		t.Fatal(err)
	} else if err := json.Unmarshal(b, &after); err != nil {
		t.Fatalf("the SSO cache file is not JSON: %v", err)
	}
	for _, k := range []string{"accessToken", "refreshToken", "clientSecret"} {
		v, _ := after[k].(string)
		secrets.add("SSO "+k+" (cache file after renewal)", v)
	}
	if after["accessToken"] == ssoAccess || after["refreshToken"] == ssoRefresh {
		t.Errorf("the SSO token was not renewed: the cache file still holds the cached tokens")
	}

	// The outputs, with what each may hold by design.
	outputs := []checkedOutput{
		{name: trace.String() + ": stdout", text: trace.stdout},
		{name: trace.String() + ": stderr", text: trace.stderr},
	}
	outputs = append(outputs, serveOut...)
	outputs = append(outputs, serveErrs...)
	for _, r := range slices.Concat([]brsRun{trace}, runs, failed) {
		if r.err != nil {
			outputs = append(outputs, checkedOutput{name: r.String() + ": error", text: r.err.Error()})
		}
	}
	for _, r := range failed {
		outputs = append(outputs, checkedOutput{name: r.String() + ": stdout", text: r.stdout},
			checkedOutput{name: r.String() + ": stderr", text: r.stderr})
	}
	for _, r := range runs {
		name := r.String()
		cmd := r.args[4]
		if r.err != nil && cmd != "whoami" {
			t.Errorf("%s: %v\nstdout:\n%s\nstderr:\n%s", name, r.err, r.stdout, r.stderr)
		}
		out := checkedOutput{name: name + ": stdout", text: r.stdout}
		switch cmd {
		case "credential-process":
			akid, secret, session, err := parseCredentialProcess(r.stdout)
			if err != nil {
				t.Errorf("%s: %v", name, err)
			}
			secrets.add("credentials of role "+r.args[5]+" (secret access key)", secret)
			secrets.add("credentials of role "+r.args[5]+" (session token)", session)
			if r.args[5] != "proc-root" && akid == miniotest.RootUser {
				t.Errorf("%s: the role got MinIO's root keys", name)
			}
			out.allowed = []string{secret, session}
		case "env":
			vars := parseEnvScript(r.stdout)
			if vars["AWS_ACCESS_KEY_ID"] == "" || vars["AWS_SECRET_ACCESS_KEY"] == "" {
				t.Errorf("%s: no credentials in:\n%s", name, r.stdout)
			}
			secrets.add("credentials of role "+r.args[5]+" (secret access key)", vars["AWS_SECRET_ACCESS_KEY"])
			secrets.add("credentials of role "+r.args[5]+" (session token)", vars["AWS_SESSION_TOKEN"])
			out.allowed = []string{vars["AWS_SECRET_ACCESS_KEY"], vars["AWS_SESSION_TOKEN"]}
		case "whoami":
			if r.err != nil || !strings.Contains(r.stdout, "arn:aws:sts::123456789012:assumed-role/whoami/") {
				t.Errorf("%s: err %v, stdout:\n%s\nstderr:\n%s", name, r.err, r.stdout, r.stderr)
			}
		case "exec":
			var got struct {
				Token       string
				Credentials map[string]string
			}
			if b, err := os.ReadFile(execOut[r.args[5]]); err != nil {
				t.Errorf("%s: the child wrote nothing: %v", name, err)
			} else if err := json.Unmarshal(b, &got); err != nil || got.Token == "" || got.Credentials["SecretAccessKey"] == "" {
				t.Errorf("%s: the child did not get credentials from the endpoint (%v)", name, err)
			}
			secrets.add("exec endpoint token (role "+r.args[5]+")", got.Token)
			secrets.add("credentials of role "+r.args[5]+" (secret access key)", got.Credentials["SecretAccessKey"])
			secrets.add("credentials of role "+r.args[5]+" (session token)", got.Credentials["Token"])
			if !strings.Contains(r.stderr, "credentials request") {
				t.Errorf("%s: the endpoint logged no request at debug level:\n%s", name, r.stderr)
			}
		}
		outputs = append(outputs, out, checkedOutput{name: name + ": stderr", text: r.stderr})
	}

	// The logs say what happened: a run that logged nothing would pass the check below.
	for _, role := range secretRoles {
		if !regexp.MustCompile(`(?m)\brefreshed: role=` + regexp.QuoteMeta(role) + ` `).MatchString(trace.stderr) {
			t.Errorf("%s: no refresh of role %q logged:\n%s", trace, role, trace.stderr)
		}
	}
	for _, want := range []string{"renewed the SSO token", "proc helper: token=[REDACTED] secret=[REDACTED] session=[REDACTED]",
		"root helper: keys " + miniotest.RootUser + " / [REDACTED]", "brs.plugin.sts", "brs.plugin.iot"} {
		if !strings.Contains(trace.stderr, want) {
			t.Errorf("%s: the log lacks %q:\n%s", trace, want, trace.stderr)
		}
	}
	for _, r := range runs {
		if !strings.Contains(r.stderr, "brs.plugin.") {
			t.Errorf("%s: no plugin line logged at debug level:\n%s", r, r.stderr)
		}
		if cmd := r.args[4]; cmd != "validate" && cmd != "plugins" && !strings.Contains(r.stderr, "refreshed: role=") {
			t.Errorf("%s: no refresh logged at debug level:\n%s", r, r.stderr)
		}
	}
	if calls := sso.TokenCalls(); len(calls) == 0 || calls[0].Status != http.StatusOK || calls[0].ClientSecret != ssoClientSecret || calls[0].RefreshToken != ssoRefresh {
		t.Errorf("SSO-OIDC CreateToken calls %d, want a renewal with the cached refresh token and client secret", len(calls))
	}

	// Agent mode: every role's credentials, env, whoami and status through an agent
	// logging at trace level, with four sources failing; then its log.
	agentRuns, agentLog := agentForSecrets(t, runWith, baseEnv, debug)
	for _, r := range agentRuns {
		role := r.args[len(r.args)-1]
		out := checkedOutput{name: r.String() + " (agent): stdout", text: r.stdout}
		switch r.args[4] {
		case "credential-process":
			_, secret, session, err := parseCredentialProcess(r.stdout)
			fails := slices.Contains(failing, role)
			if (err != nil) != fails || (r.err != nil) != fails {
				t.Errorf("%s (agent): err %v, want failure %v\nstdout:\n%s\nstderr:\n%s", r, r.err, fails, r.stdout, r.stderr)
			}
			secrets.add("credentials of role "+role+" (secret access key, agent)", secret)
			secrets.add("credentials of role "+role+" (session token, agent)", session)
			out.allowed = []string{secret, session}
		case "env":
			vars := parseEnvScript(r.stdout)
			out.allowed = []string{vars["AWS_SECRET_ACCESS_KEY"], vars["AWS_SESSION_TOKEN"]}
		case "whoami":
			if r.err != nil || !strings.Contains(r.stdout, "arn:aws:sts::123456789012:assumed-role/whoami/") {
				t.Errorf("%s (agent): err %v, stdout:\n%s\nstderr:\n%s", r, r.err, r.stdout, r.stderr)
			}
		case "status":
			if !strings.Contains(r.stdout, "Live state of the agent") && !strings.Contains(r.stdout, `"agent": {`) {
				t.Errorf("%s (agent): not the agent's state:\n%s\n%s", r, r.stdout, r.stderr)
			}
		}
		outputs = append(outputs, out, checkedOutput{name: r.String() + " (agent): stderr", text: r.stderr})
	}
	for _, want := range []string{"refreshed: config=", "role=sts", "refresh failed", "brs.agent.plugin", "[REDACTED]"} {
		if !strings.Contains(agentLog, want) {
			t.Errorf("the agent's log lacks %q:\n%s", want, agentLog)
		}
	}
	outputs = append(outputs, checkedOutput{name: "the agent's log", text: agentLog})

	// The check: no secret anywhere it is not printed by design.
	all := secrets.sorted()
	leaks := 0
	for _, o := range outputs {
		text := o.text
		allowed := slices.Clone(o.allowed)
		sort.Slice(allowed, func(i, j int) bool { return len(allowed[i]) > len(allowed[j]) })
		for _, a := range allowed {
			if a != "" {
				text = strings.ReplaceAll(text, a, "<PRINTED BY DESIGN>")
			}
		}
		for _, s := range all {
			for _, line := range secretLines(text, s[0]) {
				leaks++
				t.Errorf("LEAK in %s: %s:\n\t%s", o.name, s[1], line)
			}
		}
	}
	t.Logf("checked %d outputs of %d brs runs against %d secrets; %d leaks", len(outputs), len(runs)+len(failed)+2, len(all), leaks)
}

// serveForSecrets runs brs serve for every role, waits for the variables it prints, gets
// every role's credentials with the token (recording them) and two refusals, then
// stops it with SIGTERM. It returns serve's outputs, with its stdout's token line cut
// out, and the refusals' bodies.
func serveForSecrets(ctx context.Context, t *testing.T, brs, cfg, work string, env []string, secrets *secretSet) (outputs, refusals []checkedOutput) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	cmd := exec.CommandContext(sctx, brs, "--log-level", "debug", "-c", cfg, "serve")
	cmd.Dir, cmd.Env = work, env
	cmd.WaitDelay = 5 * time.Second
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	lines := make(chan string, 256)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()

	var stdout strings.Builder
	token, uris := "", map[string]string{}
	const tokenPrefix, uriPrefix = "export AWS_CONTAINER_AUTHORIZATION_TOKEN=", "export AWS_CONTAINER_CREDENTIALS_FULL_URI="
	for token == "" || len(uris) < len(secretRoles) {
		select {
		case line, ok := <-lines:
			if !ok {
				_ = cmd.Wait()
				t.Fatalf("brs serve ended before printing the token and every role's URI; stdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
			}
			stdout.WriteString(line + "\n")
			if v, ok := strings.CutPrefix(line, tokenPrefix); ok {
				token = v
			}
			if v, ok := strings.CutPrefix(strings.TrimPrefix(line, "# "), uriPrefix); ok {
				uris[v[strings.LastIndex(v, "/")+1:]] = v
			}
		case <-sctx.Done():
			t.Fatalf("brs serve printed no token and URIs in time; stdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
		}
	}
	secrets.add("serve endpoint token", token)

	get := func(uri, tok string) (int, []byte) {
		t.Helper()
		req, err := http.NewRequestWithContext(sctx, http.MethodGet, uri, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", uri, err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatalf("GET %s: %v", uri, err)
		}
		return resp.StatusCode, body
	}
	for _, role := range secretRoles {
		status, body := get(uris[role], token)
		var doc map[string]string
		if err := json.Unmarshal(body, &doc); status != http.StatusOK || err != nil || doc["SecretAccessKey"] == "" {
			t.Errorf("brs serve: GET role %s: %d, %v", role, status, err)
		}
		secrets.add("credentials of role "+role+" (secret access key)", doc["SecretAccessKey"])
		secrets.add("credentials of role "+role+" (session token)", doc["Token"])
	}
	wrong := strings.Repeat("0", len(token))
	for _, tc := range []struct{ what, uri, tok string }{
		{"a wrong token", uris["sts"], wrong},
		{"an unknown role", strings.TrimSuffix(uris["sts"], "/sts") + "/nope", token},
	} {
		status, body := get(tc.uri, tc.tok)
		if status < 400 {
			t.Errorf("brs serve: GET with %s: %d, want a refusal", tc.what, status)
		}
		refusals = append(refusals, checkedOutput{name: "brs serve: the answer to a GET with " + tc.what, text: string(body)})
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for line := range lines {
		stdout.WriteString(line + "\n")
	}
	err = cmd.Wait()
	if err != nil {
		refusals = append(refusals, checkedOutput{name: "brs serve: error", text: err.Error()})
		t.Errorf("brs serve after SIGTERM: %v\nstderr:\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "brs: serve: stopping") || !strings.Contains(stderr.String(), "credentials request") ||
		!strings.Contains(stderr.String(), "brs.plugin.") {
		t.Errorf("brs serve: stderr lacks the stop message, the requests or the plugins' lines:\n%s", stderr.String())
	}
	// The token is printed by design in its export line, and only there.
	out := stdout.String()
	if n := strings.Count(out, token); n != 1 || !strings.Contains(out, "\n"+tokenPrefix+token+"\n") {
		t.Errorf("brs serve: stdout holds the token %d times, want once, in its export line", n)
	}
	out = strings.Replace(out, "\n"+tokenPrefix+token+"\n", "\n"+tokenPrefix+"<PRINTED BY DESIGN>\n", 1)
	if errors.Is(sctx.Err(), context.DeadlineExceeded) {
		t.Errorf("brs serve: the deadline passed")
	}
	return []checkedOutput{
		{name: "brs serve: stdout", text: out},
		{name: "brs serve: stderr", text: stderr.String()},
	}, refusals
}

// agentForSecrets runs credential-process for every role, env and whoami of role sts,
// and status (table and JSON) through an agent of its own that logs at trace level,
// stops it, and returns the runs and the agent's log.
func agentForSecrets(t *testing.T, runWith func([]string, ...string) brsRun, baseEnv []string, debug func(...string) []string) ([]brsRun, string) {
	t.Helper()
	sock, err := os.MkdirTemp("", "brs-agent-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(sock) })
	state := t.TempDir()
	env := append(slices.Clone(baseEnv), "BRS_AGENT_SOCKET="+filepath.Join(sock, "agent.sock"),
		"XDG_STATE_HOME="+state, "BRS_AGENT_LOG_LEVEL=trace")
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		if r := runWith(env, "agent", "stop"); r.err != nil {
			t.Errorf("brs agent stop: %v\n%s%s", r.err, r.stdout, r.stderr)
		}
	}
	defer stop() // before the test's context ends, if a run panicked
	var runs []brsRun
	for _, role := range secretRoles {
		runs = append(runs, runWith(env, debug("credential-process", role)...))
	}
	runs = append(runs, runWith(env, debug("env", "sts")...), runWith(env, debug("whoami", "sts")...),
		runWith(env, debug("status")...), runWith(env, debug("status", "--json")...))
	stop()
	b, err := os.ReadFile(filepath.Join(state, "brs", "agent.log"))
	if err != nil {
		t.Fatalf("the agent's log: %v", err)
	}
	return runs, string(b)
}

//go:build linux

package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/brs-go/brs/internal/testutil/miniotest"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/internal/testutil/stsproxy"
)

// awsVaultVersion is the aws-vault release scripts/aws-vault.sh builds.
const awsVaultVersion = "v7.2.0"

// BenchmarkCredentialProcessVsAWSVault is one credential_process call of the same role
// at the same STS (MinIO on loopback, through one proxy that counts AssumeRole), side
// by side in one run, each op a real process:
//
//   - aws-vault: `aws-vault exec --json --no-session app` (aws-vault v7.2.0 built by
//     scripts/aws-vault.sh, file keyring, a role profile with role_arn and
//     source_profile): one AssumeRole per call, over TLS. --no-session because MinIO
//     has no GetSessionToken; aws-vault caches only sessions, and AssumeRole only
//     with MFA, so without MFA every call assumes the role, as it does by default.
//   - client: brs-credential-process with a warm agent;
//   - brs: `brs credential-process` with a warm agent;
//   - no-agent: `brs --no-agent credential-process` (load, sts plugin start,
//     AssumeRole, stop);
//   - hello: `func main() {}` built by the same Go, the floor of a process start;
//   - aws-vault-version: `aws-vault --version`, aws-vault starting and exiting;
//   - aws-vault-keyring: `aws-vault exec --json --no-session src`, the source
//     profile's keys from the keyring, no STS call;
//   - aws-vault-one-root: the aws-vault case with no system roots to load
//     (SSL_CERT_DIR an empty directory, SSL_CERT_FILE the front's CA alone);
//   - sts-call: aws-vault's network part alone, in this process: a new connection
//     through the same front, TLS handshake, one AssumeRole (the SDK brs links).
//
// aws-vault cannot be given an STS endpoint, so both tools reach MinIO as they would
// reach AWS STS (https://sts.us-east-1.amazonaws.com, TLS handshake and the system's
// roots included): HTTPS_PROXY names a loopback proxy that answers for AWS STS's
// names with a test CA's certificate (SSL_CERT_FILE) and forwards to the counting
// proxy (awsSTSFront); brs's role has no endpoint, as a real one would not. Reported per
// case: the median wall time, the process's CPU time (user+system, its waited-for
// children included), and AssumeRole calls per op counted at the proxy. Before
// timing, each case's answer is checked: the credentials are temporary and
// S3 ListBuckets at MinIO accepts them.
func BenchmarkCredentialProcessVsAWSVault(b *testing.B) {
	av := awsVaultBinary(b)
	if _, err := miniotest.Binary(); err != nil {
		b.Fatalf("this benchmark needs MinIO (scripts/minio.sh install): %v", err)
	}
	srv := miniotest.Start(b)
	counter := stsproxy.Start(b, srv.Endpoint)
	assumes := counter.Counter("AssumeRole")
	front := startAWSSTSFront(b, counter.URL)
	work := b.TempDir()

	var base []string // the environment of every case, without anything they read
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(name, "BRS_"), strings.HasPrefix(name, "XDG_"),
			strings.HasPrefix(name, "AWS_"), strings.EqualFold(name, "HTTPS_PROXY"),
			strings.EqualFold(name, "HTTP_PROXY"), strings.EqualFold(name, "NO_PROXY"),
			strings.EqualFold(name, "ALL_PROXY"), name == "SSL_CERT_FILE", name == "SSL_CERT_DIR",
			name == "HOME":
			continue
		}
		base = append(base, kv)
	}

	// aws-vault: its keys in an encrypted file keyring, a source and a role profile.
	avHome := filepath.Join(work, "av")
	awsConfig := benchWriteFile(b, avHome, "aws-config", `[profile src]
region = us-east-1

[profile app]
role_arn = arn:aws:iam::123456789012:role/app
source_profile = src
region = us-east-1
`)
	avEnv := append(append([]string(nil), base...),
		"HOME="+avHome,
		"AWS_CONFIG_FILE="+awsConfig,
		"AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(avHome, "none"),
		"AWS_VAULT_BACKEND=file",
		"AWS_VAULT_FILE_DIR="+filepath.Join(avHome, "keys"),
		"AWS_VAULT_FILE_PASSPHRASE=brs-benchmark",
		"AWS_EC2_METADATA_DISABLED=true",
		"HTTPS_PROXY="+front.ProxyURL,
		"SSL_CERT_FILE="+front.CAFile)
	add := exec.Command(av, "add", "--env", "src")
	add.Env = append(append([]string(nil), avEnv...),
		"AWS_ACCESS_KEY_ID="+miniotest.RootUser, "AWS_SECRET_ACCESS_KEY="+miniotest.RootPassword)
	if out, err := add.CombinedOutput(); err != nil {
		b.Fatalf("aws-vault add: %v: %s", err, out)
	}

	// brs: an sts role with no endpoint (AWS STS's own, reached through the same front
	// as aws-vault's), signed with MinIO's keys from the environment; an agent socket
	// of its own.
	sock, err := os.MkdirTemp("", "brs-agent-")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.RemoveAll(sock) })
	brsHome := filepath.Join(work, "brs")
	cfg := benchWriteFile(b, brsHome, "brs.hcl", `plugin "sts" {
  command = "`+plugintestbin.Build(b, "github.com/brs-go/brs/cmd/brs-plugin-sts")+`"
}

role "app" {
  source   = "sts"
  region   = "us-east-1"
  config {
    role_arn = "arn:aws:iam::123456789012:role/app"
    duration = "1h"
  }
}
`)
	brsEnv := append(append([]string(nil), base...),
		"HOME="+brsHome,
		"XDG_STATE_HOME="+brsHome,
		"BRS_AGENT_SOCKET="+sock+"/agent.sock",
		"AWS_ACCESS_KEY_ID="+miniotest.RootUser, "AWS_SECRET_ACCESS_KEY="+miniotest.RootPassword,
		"AWS_CONFIG_FILE="+filepath.Join(brsHome, "none"),
		"AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(brsHome, "none"),
		"AWS_EC2_METADATA_DISABLED=true",
		"HTTPS_PROXY="+front.ProxyURL,
		"SSL_CERT_FILE="+front.CAFile)
	bin := b.TempDir()
	brs := filepath.Join(bin, "brs")
	client := filepath.Join(bin, "brs-credential-process")
	copyFile(b, plugintestbin.Build(b, brsPkg), brs)
	copyFile(b, plugintestbin.Build(b, fastClientPkg), client)
	b.Cleanup(func() {
		stop := exec.Command(brs, "agent", "stop")
		stop.Env = brsEnv
		_ = stop.Run()
	})
	// Warm the agent: it loads the file and assumes the role once.
	checkTempCredentials(b, srv.Endpoint, benchExec(b, brs, brsEnv, "-c", cfg, "credential-process", "app"))

	for _, c := range []struct {
		name  string
		exe   string // "" for stsCall
		env   []string
		args  []string
		check string  // what the output is checked to be: "temporary", "root" (MinIO's keys) or ""
		want  float64 // AssumeRole calls per op
	}{
		{"aws-vault", av, avEnv, []string{"exec", "--json", "--no-session", "app"}, "temporary", 1},
		{"client", client, brsEnv, []string{"-c", cfg, "app"}, "temporary", 0},
		{"brs", brs, brsEnv, []string{"-c", cfg, "credential-process", "app"}, "temporary", 0},
		{"no-agent", brs, brsEnv, []string{"--no-agent", "-c", cfg, "credential-process", "app"}, "temporary", 1},
		{"hello", benchHelloBinary(b), base, nil, "", 0},
		// aws-vault's parts: starting and exiting; reading the config and decrypting
		// the keyring (the source profile's own keys, no STS call); its STS call alone.
		{"aws-vault-version", av, avEnv, []string{"--version"}, "", 0},
		{"aws-vault-keyring", av, avEnv, []string{"exec", "--json", "--no-session", "src"}, "root", 0},
		// aws-vault with only the front's CA as its roots (SSL_CERT_DIR an empty
		// directory): what reading and parsing the system's roots costs it, which
		// Go on Linux does once per process, before the first TLS handshake.
		{"aws-vault-one-root", av, append(append([]string(nil), avEnv...), "SSL_CERT_DIR="+b.TempDir()),
			[]string{"exec", "--json", "--no-session", "app"}, "temporary", 1},
		{"sts-call", "", nil, nil, "", 1},
	} {
		b.Run(c.name, func(b *testing.B) {
			switch c.check {
			case "temporary":
				checkTempCredentials(b, srv.Endpoint, benchExec(b, c.exe, c.env, c.args...))
			case "root":
				if k := akidOf(benchExec(b, c.exe, c.env, c.args...)); k != miniotest.RootUser {
					b.Fatalf("key %q, want MinIO's root user", k)
				}
			}
			if c.exe == "" {
				stsCall(b, front)
			}
			before := assumes.Load()
			var ds []time.Duration
			var cpu time.Duration
			for b.Loop() {
				start := time.Now()
				if c.exe == "" {
					stsCall(b, front)
				} else {
					cpu += benchExecCPU(b, c.exe, c.env, c.args...)
				}
				ds = append(ds, time.Since(start))
			}
			reportP50(b, ds)
			if c.exe != "" {
				b.ReportMetric(float64(cpu.Microseconds())/1000/float64(len(ds)), "cpu-ms/op")
			}
			perOp := float64(assumes.Load()-before) / float64(len(ds))
			b.ReportMetric(perOp, "AssumeRole/op")
			if perOp != c.want {
				b.Errorf("%v AssumeRole calls per op, want %v", perOp, c.want)
			}
		})
	}
}

// stsCall is the network part of one aws-vault call, in this process: a new
// connection through the front (CONNECT, TLS handshake), one AssumeRole signed with
// MinIO's keys, the answer parsed, by the SDK brs links.
func stsCall(b *testing.B, front *awsSTSFront) {
	b.Helper()
	pem, err := os.ReadFile(front.CAFile)
	if err != nil {
		b.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(pem)
	proxy, err := url.Parse(front.ProxyURL)
	if err != nil {
		b.Fatal(err)
	}
	tr := &http.Transport{
		Proxy:             http.ProxyURL(proxy),
		TLSClientConfig:   &tls.Config{RootCAs: roots},
		DisableKeepAlives: true,
	}
	defer tr.CloseIdleConnections()
	c := sts.New(sts.Options{
		Region:      "us-east-1",
		HTTPClient:  &http.Client{Transport: tr},
		Credentials: credentials.NewStaticCredentialsProvider(miniotest.RootUser, miniotest.RootPassword, ""),
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := c.AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn:         aws.String("arn:aws:iam::123456789012:role/app"),
		RoleSessionName: aws.String("bench"),
	})
	if err != nil {
		b.Fatalf("AssumeRole through the front: %v", err)
	}
	if out.Credentials == nil || aws.ToString(out.Credentials.SessionToken) == "" {
		b.Fatal("AssumeRole through the front: no temporary credentials")
	}
}

// awsVaultBinary returns the aws-vault scripts/aws-vault.sh builds, or skips.
func awsVaultBinary(b *testing.B) string {
	b.Helper()
	dir, err := os.UserCacheDir()
	if err != nil {
		b.Fatal(err)
	}
	p := filepath.Join(dir, "brs", "aws-vault-"+awsVaultVersion, "aws-vault")
	if _, err := os.Stat(p); err != nil {
		b.Skipf("aws-vault %s is not built: run scripts/aws-vault.sh install (%v)", awsVaultVersion, err)
	}
	out, err := exec.Command(p, "--version").CombinedOutput()
	if got := strings.TrimSpace(string(out)); err != nil || got != awsVaultVersion {
		b.Fatalf("%s --version: %q, %v; want %s (rebuild with scripts/aws-vault.sh install)", p, got, err, awsVaultVersion)
	}
	return p
}

// benchHelloBinary builds `func main() {}` with the Go that runs the benchmark.
func benchHelloBinary(b *testing.B) string {
	b.Helper()
	dir := b.TempDir()
	src := benchWriteFile(b, dir, "hello.go", "package main\n\nfunc main() {}\n")
	exe := filepath.Join(dir, "hello")
	if out, err := exec.Command("go", "build", "-o", exe, src).CombinedOutput(); err != nil {
		b.Fatalf("go build hello: %v: %s", err, out)
	}
	return exe
}

// checkTempCredentials fails unless out is credential_process JSON of temporary
// credentials (not MinIO's root keys) that S3 ListBuckets at endpoint accepts.
func checkTempCredentials(b *testing.B, endpoint, out string) {
	b.Helper()
	var doc struct {
		Version         int
		AccessKeyID     string `json:"AccessKeyId"`
		SecretAccessKey string
		SessionToken    string
		Expiration      time.Time
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		b.Fatalf("not credential_process JSON (%d bytes): %v", len(out), err)
	}
	if doc.Version != 1 || doc.AccessKeyID == "" || doc.AccessKeyID == miniotest.RootUser ||
		doc.SessionToken == "" || time.Until(doc.Expiration) < 30*time.Minute {
		b.Fatalf("want temporary credentials of version 1 valid for the role's hour, got version %d, key %q, session token %t, expiry %v",
			doc.Version, doc.AccessKeyID, doc.SessionToken != "", doc.Expiration)
	}
	c := s3.New(s3.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(endpoint),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(doc.AccessKeyID, doc.SecretAccessKey, doc.SessionToken),
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := c.ListBuckets(ctx, &s3.ListBucketsInput{}); err != nil {
		b.Fatalf("ListBuckets with the credentials: %v", err)
	}
}

// benchWriteFile writes src to dir/name (dir made 0700) and returns the file's path.
func benchWriteFile(b *testing.B, dir, name, src string) string {
	b.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		b.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
		b.Fatal(err)
	}
	return p
}

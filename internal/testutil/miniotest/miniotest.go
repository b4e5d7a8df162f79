// Package miniotest starts a real MinIO server on loopback for tests: an STS-compatible
// endpoint (AssumeRole) and S3. The binary is built by scripts/minio.sh install; a test
// that needs it fails, never skips, when it is missing.
package miniotest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// Root credentials of every test server. They are throw-away and known to the tests.
const (
	RootUser     = "brs-test-root"
	RootPassword = "brs-test-root-secret-0123456789"
)

// Server is a running MinIO.
type Server struct {
	// Endpoint is the base URL of both the STS and the S3 API, e.g. http://127.0.0.1:40123.
	Endpoint string
	dir      string
	env      []string
	cmd      *exec.Cmd
	done     chan struct{}
}

// Binary returns the path of the MinIO binary: $BRS_MINIO, else $GOPATH/bin/minio, else
// minio on $PATH.
func Binary() (string, error) {
	if p := os.Getenv("BRS_MINIO"); p != "" {
		return p, nil
	}
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		p := filepath.Join(strings.TrimSpace(string(out)), "bin", "minio")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	if p, err := exec.LookPath("minio"); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("MinIO is not installed: run scripts/minio.sh install (or set BRS_MINIO)")
}

var apiLine = regexp.MustCompile(`API:\s+(http://127\.0\.0\.1:\d+)`)

// Start starts MinIO with a throw-away data directory and stops it when the test ends.
// extraEnv entries (KEY=VALUE) are added to its environment.
func Start(t testing.TB, extraEnv ...string) *Server {
	t.Helper()
	s, err := StartServer(t.TempDir(), extraEnv...)
	if err != nil {
		t.Fatalf("miniotest: %v", err)
	}
	t.Cleanup(s.Stop)
	return s
}

// StartServer starts MinIO with its data in dir; call Stop when done. It is for
// TestMain and the demo, where there is no testing.TB.
func StartServer(dir string, extraEnv ...string) (*Server, error) {
	return start(dir, "127.0.0.1:0", extraEnv)
}

// Restart starts the server again after Stop, on the same address and data, so
// credentials it issued before and clients configured with its endpoint work again.
func (s *Server) Restart() error {
	n, err := start(s.dir, strings.TrimPrefix(s.Endpoint, "http://"), s.env)
	if err != nil {
		return err
	}
	*s = *n
	return nil
}

func start(dir, addr string, extraEnv []string) (*Server, error) {
	bin, err := Binary()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "server", filepath.Join(dir, "data"), "--address", addr)
	// If the test binary dies without cleaning up (a test timeout panics), MinIO dies
	// with it instead of living on.
	cmd.SysProcAttr = dieWithParent()
	cmd.Env = append(os.Environ(),
		"MINIO_ROOT_USER="+RootUser,
		"MINIO_ROOT_PASSWORD="+RootPassword,
		"MINIO_BROWSER=off",
		"MINIO_UPDATE=off",
		"HOME="+dir,
	)
	cmd.Env = append(cmd.Env, extraEnv...)
	// MinIO prints its banner, with the API address, on stderr (some builds on stdout):
	// read both through one pipe.
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		pr.Close()
		pw.Close()
		return nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	pw.Close()
	s := &Server{dir: dir, env: extraEnv, cmd: cmd, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(s.done) }()

	found := make(chan string, 1)
	var mu sync.Mutex
	var output strings.Builder
	go func() {
		defer pr.Close()
		sc := bufio.NewScanner(pr)
		sent := false
		for sc.Scan() {
			mu.Lock()
			if output.Len() < 8192 {
				output.WriteString(sc.Text() + "\n")
			}
			mu.Unlock()
			if m := apiLine.FindStringSubmatch(sc.Text()); m != nil && !sent {
				found <- m[1]
				sent = true
			}
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	out := func() string { mu.Lock(); defer mu.Unlock(); return output.String() }
	select {
	case s.Endpoint = <-found:
	case <-s.done:
		return nil, fmt.Errorf("MinIO exited at start:\n%s", out())
	case <-time.After(30 * time.Second):
		s.Stop()
		return nil, fmt.Errorf("MinIO printed no API address within 30s; its output:\n%s", out())
	}
	if err := s.waitReady(30 * time.Second); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

func (s *Server) waitReady(limit time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.Endpoint+"/minio/health/ready", nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("MinIO at %s not ready within %v", s.Endpoint, limit)
		case <-tick.C:
		case <-s.done:
			return fmt.Errorf("MinIO exited before it was ready")
		}
	}
}

// Stop kills the server and waits for it to exit.
func (s *Server) Stop() {
	if s.cmd.Process != nil {
		_ = s.cmd.Process.Kill()
	}
	<-s.done
}

// PID is the server's process ID.
func (s *Server) PID() int { return s.cmd.Process.Pid }

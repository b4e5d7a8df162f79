package pluginrelease

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/brs-go/brs/internal/boundedfile"
	"github.com/brs-go/brs/internal/pluginlock"
)

// Limits on what a release source may send.
const (
	maxVersionsSize = 64 << 10
	maxSumsSize     = 1 << 20
	maxSigSize      = 1 << 10
	// MaxBinarySize bounds a plugin binary: ten times a large Go program.
	MaxBinarySize = 512 << 20
	maxVersions   = 10000
)

// Source is where releases of one plugin are published.
type Source struct {
	loc    string   // as written
	base   *url.URL // for a URL source
	dir    string   // for a directory source
	client *http.Client
}

// Open returns the release source loc: an https URL, an http URL on a loopback
// address, or a directory (a relative one is taken from baseDir).
func Open(loc, baseDir string) (*Source, error) {
	s := &Source{loc: loc}
	if strings.Contains(loc, "://") {
		u, err := url.Parse(loc)
		if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
			return nil, fmt.Errorf("plugin source %q is not an https URL or a directory", loc)
		}
		if u.Scheme == "http" && !loopback(u.Hostname()) {
			return nil, fmt.Errorf("plugin source %q uses plain http to a host that is not on this machine: use https, so that nobody on the way can change the release", loc)
		}
		if u.User != nil {
			return nil, fmt.Errorf("plugin source %q has credentials in the URL; brs does not send them", redactURL(u))
		}
		u.Path = strings.TrimSuffix(u.Path, "/") + "/"
		s.base = u
		s.client = &http.Client{
			Timeout: 10 * time.Minute,
			Transport: &http.Transport{
				Proxy:                  http.ProxyFromEnvironment,
				TLSHandshakeTimeout:    15 * time.Second,
				ResponseHeaderTimeout:  30 * time.Second,
				IdleConnTimeout:        30 * time.Second,
				MaxResponseHeaderBytes: 64 << 10,
			},
			CheckRedirect: func(req *http.Request, via []*http.Request) error {
				if len(via) >= 5 {
					return errors.New("more than 5 redirects")
				}
				downgrade := via[0].URL.Scheme == "https" && req.URL.Scheme != "https"
				if downgrade || (req.URL.Scheme != "https" && !(req.URL.Scheme == "http" && loopback(req.URL.Hostname()))) {
					return fmt.Errorf("redirected to %s, which is not https", redactURL(req.URL))
				}
				return nil
			},
		}
		return s, nil
	}
	dir := loc
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(baseDir, dir)
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("plugin source %q is not an https URL or an existing directory", loc)
	}
	s.dir = dir
	return s, nil
}

// String returns the source as written.
func (s *Source) String() string { return s.loc }

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func redactURL(u *url.URL) string {
	c := *u
	c.User = nil
	c.RawQuery = ""
	return c.String()
}

// open returns the file at rel (slash-separated) in the source, and its size if known.
func (s *Source) open(ctx context.Context, rel string) (io.ReadCloser, error) {
	if s.dir != "" {
		f, err := boundedfile.Open(filepath.Join(s.dir, filepath.FromSlash(rel)))
		if err != nil {
			return nil, err
		}
		return f, nil
	}
	u := s.base.ResolveReference(&url.URL{Path: rel})
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetching %s: %w", redactURL(u), err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		if resp.StatusCode == http.StatusNotFound {
			return nil, fmt.Errorf("fetching %s: %w", redactURL(u), fs.ErrNotExist)
		}
		return nil, fmt.Errorf("fetching %s: %s", redactURL(u), resp.Status)
	}
	return resp.Body, nil
}

// read returns the whole file at rel, which must hold at most limit bytes.
func (s *Source) read(ctx context.Context, rel string, limit int64) ([]byte, error) {
	r, err := s.open(ctx, rel)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s from %s: %w", rel, s.loc, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s from %s is larger than %d bytes", rel, s.loc, limit)
	}
	return b, nil
}

// Versions returns the versions the source lists in its VERSIONS file.
func (s *Source) Versions(ctx context.Context) ([]string, error) {
	b, err := s.read(ctx, "VERSIONS", maxVersionsSize)
	if err != nil {
		return nil, fmt.Errorf("listing the versions of %s: %w", s.loc, err)
	}
	var vs []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if _, ok := pluginlock.Canonical(line); !ok {
			return nil, fmt.Errorf("the VERSIONS file of %s lists %q, which is not a semantic version", s.loc, printable(line))
		}
		if len(vs) == maxVersions {
			return nil, fmt.Errorf("the VERSIONS file of %s lists more than %d versions", s.loc, maxVersions)
		}
		vs = append(vs, line)
	}
	return vs, nil
}

// Release is one version of a plugin as its SHA256SUMS describes it.
type Release struct {
	Name, Version string
	// Sums maps each platform ("linux_amd64") to the SHA-256 of its binary.
	Sums map[string][]byte
}

var platformPart = regexp.MustCompile(`^([a-z0-9]+)_([a-z0-9]+)(\.exe)?$`)

// BinaryName returns the file name of a release's binary for platform.
func BinaryName(name, version, platform string) string {
	n := "brs-plugin-" + name + "_" + version + "_" + platform
	if strings.HasPrefix(platform, "windows_") {
		n += ".exe"
	}
	return n
}

// Release fetches the SHA256SUMS of version and, when key is set, checks its ed25519
// signature in SHA256SUMS.sig.
func (s *Source) Release(ctx context.Context, name, version string, key ed25519.PublicKey) (*Release, error) {
	sums, err := s.read(ctx, version+"/SHA256SUMS", maxSumsSize)
	if err != nil {
		return nil, fmt.Errorf("plugin %q %s: %w", name, version, err)
	}
	if key != nil {
		sig64, err := s.read(ctx, version+"/SHA256SUMS.sig", maxSigSize)
		if err != nil {
			return nil, fmt.Errorf("plugin %q %s: the plugin block has a signing_key but the release has no signature: %w", name, version, err)
		}
		sig, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(sig64)))
		if err != nil || !ed25519.Verify(key, sums, sig) {
			return nil, fmt.Errorf("plugin %q %s: SHA256SUMS.sig is not a valid signature by the plugin block's signing_key: the release was changed or signed by someone else; refusing it", name, version)
		}
	}
	r := &Release{Name: name, Version: version, Sums: map[string][]byte{}}
	prefix := "brs-plugin-" + name + "_" + version + "_"
	sc := bufio.NewScanner(bytes.NewReader(sums))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 2 {
			continue
		}
		file := strings.TrimPrefix(f[1], "*")
		rest, ok := strings.CutPrefix(file, prefix)
		if !ok {
			continue
		}
		m := platformPart.FindStringSubmatch(rest)
		if m == nil || (m[3] != "") != (m[1] == "windows") {
			continue
		}
		sum, err := hex.DecodeString(f[0])
		if err != nil || len(sum) != sha256.Size {
			return nil, fmt.Errorf("plugin %q %s: SHA256SUMS has a malformed checksum for %s", name, version, printable(file))
		}
		r.Sums[m[1]+"_"+m[2]] = sum
	}
	if len(r.Sums) == 0 {
		return nil, fmt.Errorf("plugin %q %s: SHA256SUMS lists no file named %s<os>_<arch>", name, version, prefix)
	}
	return r, nil
}

// Install puts the release's binary for platform into dir, checking that its SHA-256
// is want. A binary already there with that hash is kept. It returns the path and
// whether it downloaded anything.
func (s *Source) Install(ctx context.Context, r *Release, platform, dir string, want []byte) (string, bool, error) {
	path := pluginlock.InstallPath(dir, r.Name, r.Version, platform)
	if sum, err := fileSum(path); err == nil && bytes.Equal(sum, want) {
		return path, false, nil
	}
	if err := mkdirPrivate(dir, filepath.Dir(path)); err != nil {
		return "", false, err
	}
	rc, err := s.open(ctx, r.Version+"/"+BinaryName(r.Name, r.Version, platform))
	if err != nil {
		return "", false, fmt.Errorf("plugin %q %s: %w", r.Name, r.Version, err)
	}
	defer rc.Close()
	tmp, err := os.CreateTemp(filepath.Dir(path), ".download.*")
	if err != nil {
		return "", false, err
	}
	defer os.Remove(tmp.Name())
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(rc, MaxBinarySize+1))
	if err == nil && n > MaxBinarySize {
		err = fmt.Errorf("the binary is larger than %d MiB", MaxBinarySize>>20)
	}
	if err == nil {
		err = checkSum(h, want)
	}
	if err == nil {
		err = tmp.Chmod(0o700)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", false, fmt.Errorf("plugin %q %s for %s: %w", r.Name, r.Version, platform, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", false, err
	}
	return path, true, nil
}

// ErrChecksum is the cause of an error for a binary whose SHA-256 is not the one expected.
var ErrChecksum = errors.New("checksum mismatch")

func checkSum(h hash.Hash, want []byte) error {
	if got := h.Sum(nil); !bytes.Equal(got, want) {
		return fmt.Errorf("%w: the downloaded binary's sha256 is %x but %x was expected; the release was changed or damaged on the way, and brs refuses it", ErrChecksum, got, want)
	}
	return nil
}

func fileSum(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, io.LimitReader(f, MaxBinarySize+1)); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

// mkdirPrivate creates path and the directories between root and it with mode 0700.
func mkdirPrivate(root, path string) error {
	if err := os.MkdirAll(root, 0o700); err != nil {
		return fmt.Errorf("creating the plugin directory: %w", err)
	}
	rel, err := filepath.Rel(root, path)
	if err != nil {
		return err
	}
	cur := root
	for _, part := range strings.Split(rel, string(filepath.Separator)) {
		cur = filepath.Join(cur, part)
		if err := os.Mkdir(cur, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("creating the plugin directory: %w", err)
		}
	}
	return nil
}

// printable returns s with anything outside printable ASCII replaced, for messages
// that quote what a release source sent.
func printable(s string) string {
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return '?'
		}
		return r
	}, s)
}

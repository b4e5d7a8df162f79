// Package keyring keeps long-term AWS access keys in the operating system's keyring, so
// that no plaintext file holds them: it is the one place brs opens a keyring (for
// `brs keys` and for the sources' keyring attribute).
//
// The backends are those of github.com/99designs/keyring: Secret Service (GNOME
// Keyring, KeePassXC), macOS Keychain (darwin with cgo only), Windows Credential
// Manager, the Linux kernel's keyctl (the user keyring: it lives until logout or
// reboot), pass, and an encrypted file (JWE, PBES2-HS256+A128KW / A256GCM) under
// $XDG_DATA_HOME/brs/keyring, the default where no desktop keyring answers.
// $BRS_KEYRING_BACKEND chooses one; the file backend's passphrase comes from
// $BRS_KEYRING_PASSPHRASE or a no-echo prompt on the terminal.
package keyring

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	kr "github.com/99designs/keyring"
)

// ServiceName names brs's entries (Secret Service attribute, Keychain service, keyctl
// keyring, pass directory, WinCred prefix).
const ServiceName = "brs"

// Environment variables that configure the keyring.
const (
	// EnvBackend chooses a backend: one of Backends.
	EnvBackend = "BRS_KEYRING_BACKEND"
	// EnvPassphrase is the file backend's passphrase, for headless use.
	EnvPassphrase = "BRS_KEYRING_PASSPHRASE"
	// EnvDir is the file backend's directory.
	EnvDir = "BRS_KEYRING_DIR"
)

// Backends are the names EnvBackend accepts.
var Backends = []string{"secret-service", "keychain", "wincred", "keyctl", "pass", "file"}

// ErrNotFound is returned when no key has the name.
var ErrNotFound = errors.New("no key of that name in the keyring")

// Key is a long-term AWS access key pair. Its String method hides the secret.
type Key struct {
	AccessKeyID     string `json:"access_key_id"`
	SecretAccessKey string `json:"secret_access_key"`
}

// String gives the access key ID only.
func (k Key) String() string {
	return "Key{AccessKeyID: " + k.AccessKeyID + ", SecretAccessKey: [REDACTED]}"
}

// GoString is String, so %#v does not print the secret either.
func (k Key) GoString() string { return k.String() }

// Check reports what is wrong with k, without quoting the secret.
func (k Key) Check() error {
	if !accessKeyID.MatchString(k.AccessKeyID) {
		return errors.New("the access key ID must be 16 to 128 letters and digits, e.g. AKIAIOSFODNN7EXAMPLE")
	}
	if len(k.SecretAccessKey) < 16 || len(k.SecretAccessKey) > 128 || strings.ContainsFunc(k.SecretAccessKey, func(r rune) bool { return r <= ' ' || r > '~' }) {
		return errors.New("the secret access key must be 16 to 128 printable characters without spaces")
	}
	return nil
}

var (
	accessKeyID = regexp.MustCompile(`^[A-Z0-9]{16,128}$`)
	nameChars   = regexp.MustCompile(`^[A-Za-z0-9_.@+-]{1,64}$`)
)

// CheckName reports whether name can name a key: 1 to 64 letters, digits and _.@+-.
func CheckName(name string) error {
	if !nameChars.MatchString(name) {
		return fmt.Errorf("a key name must be 1 to 64 letters, digits and _.@+-")
	}
	return nil
}

// Options says which keyring to open. Zero values mean the environment's choice.
type Options struct {
	// Backend is one of Backends; "" means $BRS_KEYRING_BACKEND, else the first of
	// the desktop keyrings that answers, else the file.
	Backend string
	// Dir is the file backend's directory; "" means $BRS_KEYRING_DIR, else
	// $XDG_DATA_HOME/brs/keyring, else ~/.local/share/brs/keyring.
	Dir string
	// Prompt asks for the file backend's passphrase when $BRS_KEYRING_PASSPHRASE is
	// not set; nil means no prompt (an error instead).
	Prompt func(prompt string) (string, error)
	// Getenv reads the environment; nil means os.Getenv.
	Getenv func(string) string
}

// Store is an open keyring.
type Store struct {
	ring    kr.Keyring
	backend string
}

// Backend names the backend in use.
func (s *Store) Backend() string { return s.backend }

// Open opens the keyring o names.
func Open(o Options) (*Store, error) {
	getenv := o.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	backend := o.Backend
	if backend == "" {
		backend = getenv(EnvBackend)
	}
	var allowed []kr.BackendType
	switch {
	case backend == "":
		// Secret Service only when a session bus is named: without one, godbus
		// would try to start a dbus-daemon.
		if getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
			allowed = append(allowed, kr.SecretServiceBackend)
		}
		allowed = append(allowed, kr.KeychainBackend, kr.WinCredBackend, kr.FileBackend)
	case slices.Contains(Backends, backend):
		allowed = []kr.BackendType{kr.BackendType(backend)}
	default:
		return nil, fmt.Errorf("%s=%q is not a keyring backend: use one of %s", EnvBackend, backend, strings.Join(Backends, ", "))
	}
	available := kr.AvailableBackends()
	allowed = slices.DeleteFunc(allowed, func(b kr.BackendType) bool { return !slices.Contains(available, b) })
	if len(allowed) == 0 {
		return nil, fmt.Errorf("the keyring backend %q is not available on this system (this build has %v)", backend, available)
	}

	dir := o.Dir
	if dir == "" {
		dir = getenv(EnvDir)
	}
	if dir == "" {
		dir = defaultDir(getenv)
	}
	cfg := kr.Config{
		ServiceName:             ServiceName,
		FileDir:                 dir,
		FilePasswordFunc:        passphrase(getenv, o.Prompt),
		KeyCtlScope:             "user",
		LibSecretCollectionName: "login",
		PassPrefix:              ServiceName,
		WinCredPrefix:           ServiceName,
		KeychainName:            "login",
	}
	// One at a time, so the Store knows which one answered.
	var errs []string
	for _, b := range allowed {
		cfg.AllowedBackends = []kr.BackendType{b}
		ring, err := kr.Open(cfg)
		if err == nil {
			return &Store{ring: ring, backend: string(b)}, nil
		}
		errs = append(errs, string(b)+": "+scrub(err))
	}
	return nil, fmt.Errorf("opening the keyring failed (%s)", strings.Join(errs, "; "))
}

// defaultDir is the file backend's directory under XDG_DATA_HOME.
func defaultDir(getenv func(string) string) string {
	if d := getenv("XDG_DATA_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "brs", "keyring")
	}
	home := getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	return filepath.Join(home, ".local", "share", "brs", "keyring")
}

// passphrase is the file backend's passphrase function: the environment's, else the
// prompt's. An empty passphrase is refused: it would encrypt with nothing.
func passphrase(getenv func(string) string, prompt func(string) (string, error)) kr.PromptFunc {
	return func(msg string) (string, error) {
		if p := getenv(EnvPassphrase); p != "" {
			return p, nil
		}
		if prompt == nil {
			return "", fmt.Errorf("the file keyring needs a passphrase: set %s or run on a terminal", EnvPassphrase)
		}
		p, err := prompt(msg)
		if err != nil {
			return "", err
		}
		if p == "" {
			return "", errors.New("the passphrase is empty")
		}
		return p, nil
	}
}

// Get returns the key named name, or an error wrapping ErrNotFound.
func (s *Store) Get(name string) (Key, error) {
	if err := CheckName(name); err != nil {
		return Key{}, err
	}
	it, err := s.ring.Get(name)
	if errors.Is(err, kr.ErrKeyNotFound) {
		return Key{}, fmt.Errorf("key %q: %w (%s backend; add it with `brs keys add %s`)", name, ErrNotFound, s.backend, name)
	}
	if err != nil {
		return Key{}, fmt.Errorf("reading key %q from the %s keyring failed: %v", name, s.backend, scrub(err))
	}
	var k Key
	if err := json.Unmarshal(it.Data, &k); err != nil || k.Check() != nil {
		return Key{}, fmt.Errorf("the keyring entry %q is not an AWS key written by brs", name)
	}
	return k, nil
}

// Set stores k under name, replacing any key of that name.
func (s *Store) Set(name string, k Key) error {
	if err := CheckName(name); err != nil {
		return err
	}
	if err := k.Check(); err != nil {
		return err
	}
	data, err := json.Marshal(k)
	if err != nil {
		return err
	}
	err = s.ring.Set(kr.Item{Key: name, Data: data, Label: "brs AWS key " + name, Description: "AWS access key for brs"})
	if err != nil {
		return fmt.Errorf("writing key %q to the %s keyring failed: %v", name, s.backend, scrub(err))
	}
	return nil
}

// Remove deletes the key named name, or returns an error wrapping ErrNotFound.
func (s *Store) Remove(name string) error {
	if err := CheckName(name); err != nil {
		return err
	}
	names, err := s.List()
	if err != nil {
		return err
	}
	if !slices.Contains(names, name) {
		return fmt.Errorf("key %q: %w (%s backend)", name, ErrNotFound, s.backend)
	}
	if err := s.ring.Remove(name); err != nil {
		return fmt.Errorf("removing key %q from the %s keyring failed: %v", name, s.backend, scrub(err))
	}
	return nil
}

// List returns the names of the stored keys, sorted.
func (s *Store) List() ([]string, error) {
	names, err := s.ring.Keys()
	if err != nil {
		return nil, fmt.Errorf("listing the %s keyring failed: %v", s.backend, scrub(err))
	}
	names = slices.DeleteFunc(names, func(n string) bool { return CheckName(n) != nil })
	slices.Sort(names)
	return names, nil
}

// scrub bounds a backend's error text: it comes from another program (pass, D-Bus) and
// is cut to one short line.
func scrub(err error) string {
	s := strings.Join(strings.Fields(err.Error()), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

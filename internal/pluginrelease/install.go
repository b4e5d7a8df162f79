package pluginrelease

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"sort"
	"strings"

	"github.com/brs-go/brs/internal/pluginlock"
)

// Requirement is a plugin a config requires: a plugin block with source and version.
type Requirement struct {
	// Name is the plugin block's label.
	Name string
	// Source is the release source as written.
	Source string
	// Constraints are the acceptable versions.
	Constraints pluginlock.Constraints
	// SigningKey, when set, must have signed the release's SHA256SUMS.
	SigningKey ed25519.PublicKey
}

// ParseSigningKey parses "ed25519:<base64 of the 32-byte public key>".
func ParseSigningKey(s string) (ed25519.PublicKey, error) {
	b64, ok := strings.CutPrefix(s, "ed25519:")
	if !ok {
		return nil, fmt.Errorf("signing_key is \"ed25519:\" followed by the base64 of the 32-byte public key")
	}
	k, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(k) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("signing_key is \"ed25519:\" followed by the base64 of the 32-byte public key")
	}
	return ed25519.PublicKey(k), nil
}

// Options say how Install works.
type Options struct {
	// Dir is the install directory (pluginlock.DefaultDir).
	Dir string
	// Platform is the platform to install for; empty means this machine's.
	Platform string
	// BaseDir is the config file's directory, for relative directory sources.
	BaseDir string
	// Upgrade picks the newest allowed version even when the lock names another.
	Upgrade bool
	// Only, when not empty, limits upgrades to these plugins; the others keep their
	// locked versions.
	Only []string
}

// Result says what Install did for one plugin.
type Result struct {
	Name, Version, Path string
	// Downloaded is false when the binary was already installed.
	Downloaded bool
	// Previous is the version the lock named before, if it changed.
	Previous string
}

// Install installs every requirement for this platform and updates lock: entries for
// plugins no longer required are dropped. A locked version is kept unless Upgrade
// asks otherwise; a release whose hashes differ from the lock's is refused.
func Install(ctx context.Context, reqs []Requirement, lock *pluginlock.Lock, o Options) ([]Result, error) {
	if o.Platform == "" {
		o.Platform = pluginlock.Platform()
	}
	wanted := map[string]bool{}
	var results []Result
	for _, req := range reqs {
		wanted[req.Name] = true
		res, entry, err := installOne(ctx, req, lock.Entries[req.Name], o)
		if err != nil {
			return results, err
		}
		lock.Entries[req.Name] = entry
		results = append(results, res)
	}
	for name := range lock.Entries {
		if !wanted[name] {
			delete(lock.Entries, name)
		}
	}
	sort.Slice(results, func(i, j int) bool { return results[i].Name < results[j].Name })
	return results, nil
}

func installOne(ctx context.Context, req Requirement, locked *pluginlock.Entry, o Options) (Result, *pluginlock.Entry, error) {
	src, err := Open(req.Source, o.BaseDir)
	if err != nil {
		return Result{}, nil, fmt.Errorf("plugin %q: %w", req.Name, err)
	}
	upgrade := o.Upgrade && (len(o.Only) == 0 || contains(o.Only, req.Name))
	version := ""
	if locked != nil && !upgrade {
		switch {
		case locked.Source != req.Source:
			return Result{}, nil, fmt.Errorf("plugin %q: the lock file has it from %s, the config from %s; run \"brs plugins upgrade %s\" to take it from the new source",
				req.Name, locked.Source, req.Source, req.Name)
		case !req.Constraints.Allows(locked.Version):
			return Result{}, nil, fmt.Errorf("plugin %q: the locked version %s does not meet the config's version = %q; run \"brs plugins upgrade %s\" to pick a version that does",
				req.Name, locked.Version, req.Constraints, req.Name)
		}
		version = locked.Version
	}
	if version == "" {
		versions, err := src.Versions(ctx)
		if err != nil {
			return Result{}, nil, fmt.Errorf("plugin %q: %w", req.Name, err)
		}
		version = req.Constraints.Newest(versions)
		if version == "" {
			return Result{}, nil, fmt.Errorf("plugin %q: no version at %s meets version = %q (it has %s)",
				req.Name, req.Source, req.Constraints, summarize(versions))
		}
	}
	rel, err := src.Release(ctx, req.Name, version, req.SigningKey)
	if err != nil {
		return Result{}, nil, err
	}
	entry := &pluginlock.Entry{Name: req.Name, Source: req.Source, Version: version, Constraints: req.Constraints.String(), Hashes: rel.Sums}
	if locked != nil && locked.Version == version && locked.Source == req.Source {
		for p, h := range locked.Hashes {
			if got, ok := rel.Sums[p]; ok && !bytes.Equal(got, h) {
				return Result{}, nil, fmt.Errorf("plugin %q %s: the release at %s lists sha256 %x for %s, but the lock file recorded %x: the release changed after it was locked; brs refuses it. If the publisher really re-released it, check why, then run \"brs plugins upgrade %s\"",
					req.Name, version, req.Source, got, p, h, req.Name)
			}
		}
		// Keep platforms the lock knows that this SHA256SUMS no longer lists.
		for p, h := range locked.Hashes {
			if _, ok := entry.Hashes[p]; !ok {
				entry.Hashes[p] = h
			}
		}
	}
	want, ok := entry.Hashes[o.Platform]
	if !ok {
		return Result{}, nil, fmt.Errorf("plugin %q %s has no binary for %s (the release offers %s)", req.Name, version, o.Platform, platforms(entry.Hashes))
	}
	path, downloaded, err := src.Install(ctx, rel, o.Platform, o.Dir, want)
	if err != nil {
		return Result{}, nil, err
	}
	res := Result{Name: req.Name, Version: version, Path: path, Downloaded: downloaded}
	if locked != nil && locked.Version != version {
		res.Previous = locked.Version
	}
	return res, entry, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func platforms(m map[string][]byte) string {
	ps := make([]string, 0, len(m))
	for p := range m {
		ps = append(ps, p)
	}
	sort.Strings(ps)
	return strings.Join(ps, ", ")
}

func summarize(vs []string) string {
	if len(vs) == 0 {
		return "none"
	}
	if len(vs) > 10 {
		return strings.Join(vs[len(vs)-10:], ", ") + fmt.Sprintf(" and %d older", len(vs)-10)
	}
	return strings.Join(vs, ", ")
}

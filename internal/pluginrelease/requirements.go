package pluginrelease

import (
	"sort"

	"github.com/hashicorp/hcl/v2"

	"github.com/brs-go/brs/internal/config"
	"github.com/brs-go/brs/internal/pluginlock"
)

// Requirements returns the plugins the config file at path requires from a release
// source (plugin blocks with source and version), sorted by name, and the config's
// diagnostics.
func Requirements(path string) ([]Requirement, hcl.Diagnostics) {
	file, diags := config.Parse(path)
	if diags.HasErrors() {
		return nil, diags
	}
	var reqs []Requirement
	for _, p := range file.Plugins {
		if p.Source == "" {
			continue
		}
		c, err := pluginlock.ParseConstraints(p.Version)
		if err != nil {
			continue // Parse reported it
		}
		r := Requirement{Name: p.Name, Source: p.Source, Constraints: c}
		if p.SigningKey != "" {
			if r.SigningKey, err = ParseSigningKey(p.SigningKey); err != nil {
				continue // Parse reported it
			}
		}
		reqs = append(reqs, r)
	}
	sort.Slice(reqs, func(i, j int) bool { return reqs[i].Name < reqs[j].Name })
	return reqs, diags
}

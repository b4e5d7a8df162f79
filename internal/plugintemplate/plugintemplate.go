// Package plugintemplate holds the template module that "brs plugin new" writes: a
// copy of examples/plugin, kept in step with it by go generate and a test. Its go.mod
// is stored as go.mod.txt, since a go.mod would make the copy a module of its own.
package plugintemplate

//go:generate sh -c "rm -rf _template && mkdir _template && cd ../../examples/plugin && git ls-files -z | xargs -0 -I{} cp --parents {} ../../internal/plugintemplate/_template/ && mv ../../internal/plugintemplate/_template/go.mod ../../internal/plugintemplate/_template/go.mod.txt"

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

//go:embed all:_template
var files embed.FS

// Options say what the new plugin is called and what it builds against.
type Options struct {
	// Name is the source name roles will use, e.g. "vault".
	Name string
	// Module is the Go module path; default example.com/brs-plugin-NAME.
	Module string
	// SDKVersion is the version of github.com/brs-go/brs to require.
	SDKVersion string
	// BRSDir, when set, adds a replace directive to a local brs checkout.
	BRSDir string
}

var nameRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// Write writes the template module into dir, which must not exist or be empty, with
// the example's names replaced by o's.
func Write(dir string, o Options) error {
	if !nameRE.MatchString(o.Name) {
		return fmt.Errorf("plugin name %q: use lower-case letters, digits and \"_\", starting with a letter (it is the source name roles write)", o.Name)
	}
	if o.Module == "" {
		o.Module = "example.com/brs-plugin-" + o.Name
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("%s exists and is not empty: choose a new directory", dir)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	replacer := strings.NewReplacer(
		"example.com/brs-plugin-file", o.Module,
		"brs-plugin-file", "brs-plugin-"+o.Name,
		`Name: "file"`, `Name: "`+o.Name+`"`,
		`plugin "file"`, `plugin "`+o.Name+`"`,
		`source = "file"`, `source = "`+o.Name+`"`,
	)
	return fs.WalkDir(files, "_template", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(path, "_template"), "/"), ".txt")
		target := filepath.Join(dir, filepath.FromSlash(rel))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := files.ReadFile(path)
		if err != nil {
			return err
		}
		text := replacer.Replace(string(b))
		if rel == "go.mod" {
			text = goMod(text, o)
		}
		return os.WriteFile(target, []byte(text), 0o644)
	})
}

// goMod points the template's go.mod at a released SDK, or at a local checkout.
func goMod(text string, o Options) string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		switch {
		case strings.HasPrefix(line, "replace github.com/brs-go/brs"),
			strings.HasPrefix(line, "// Builds against the brs next to this directory"),
			strings.HasPrefix(line, "// drops this line and requires a released version"):
			continue
		case strings.Contains(line, "github.com/brs-go/brs v"):
			if o.SDKVersion != "" {
				line = "\tgithub.com/brs-go/brs " + o.SDKVersion
			}
		}
		out = append(out, line)
	}
	text = strings.TrimRight(strings.Join(out, "\n"), "\n") + "\n"
	if o.BRSDir != "" {
		text += "\n// A local brs checkout, for development; remove to build against the release.\nreplace github.com/brs-go/brs => " + filepath.ToSlash(o.BRSDir) + "\n"
	}
	return text
}

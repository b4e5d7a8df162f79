package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/brs-go/brs/internal/boundedfile"
	"github.com/brs-go/brs/internal/filetrust"
)

// maxFileSize bounds what file() reads: it is meant for secrets, tokens and
// checksums, and an unbounded read would let a typo such as file("/dev/zero") hang
// the host.
const maxFileSize = 1 << 20

// newEvalContext returns the context every expression in a brs file is evaluated in:
// no variables, and the functions env, which reads lookupEnv (this process's
// environment when nil), and file, which resolves relative paths against baseDir. What the functions return is recorded in s.
func newEvalContext(baseDir string, lookupEnv func(string) (string, bool), s *seen) *hcl.EvalContext {
	return &hcl.EvalContext{
		Functions: map[string]function.Function{
			"env":  envFunc(lookupEnv, s),
			"file": fileFunc(baseDir, s),
		},
	}
}

// envNotSetError is what env returns for an unset variable without default. Its
// message names nothing, so that HCL's own diagnostic text cannot leak anything.
type envNotSetError struct{ name string }

func (e *envNotSetError) Error() string { return "environment variable not set" }

// fileError is what file returns when it cannot read a file. Its message names
// nothing; path and reason are for the rewritten diagnostic.
type fileError struct {
	path   string
	reason string
	// trust is set when the file was refused for its owner or mode.
	trust *filetrust.Error
}

func (e *fileError) Error() string { return "cannot read file" }

// envFunc returns env(name) and env(name, default), which reads lookupEnv (this
// process's environment when nil) and records the variable's value in s.
func envFunc(lookupEnv func(string) (string, bool), s *seen) function.Function {
	if lookupEnv == nil {
		lookupEnv = os.LookupEnv
	}
	return function.New(&function.Spec{
		Description: "Returns the value of an environment variable, or the default given as second argument when the variable is not set.",
		Params:      []function.Parameter{{Name: "name", Type: cty.String}},
		VarParam:    &function.Parameter{Name: "default", Type: cty.String},
		Type:        function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			if len(args) > 2 {
				return cty.NilVal, function.NewArgErrorf(2, "env takes a name and at most one default")
			}
			name := args[0].AsString()
			if name == "" {
				return cty.NilVal, function.NewArgErrorf(0, "the name must not be empty")
			}
			if v, ok := lookupEnv(name); ok {
				s.record(v)
				return cty.StringVal(v), nil
			}
			if len(args) == 2 {
				return args[1], nil
			}
			return cty.NilVal, &envNotSetError{name: name}
		},
	})
}

// fileFunc returns file(path), which reads a UTF-8 text file and records its content
// in s; relative paths are relative to baseDir.
func fileFunc(baseDir string, s *seen) function.Function {
	return function.New(&function.Spec{
		Description: "Returns the contents of a text file. A relative path is relative to the directory of the brs file.",
		Params:      []function.Parameter{{Name: "path", Type: cty.String}},
		Type:        function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			path := args[0].AsString()
			if path == "" {
				return cty.NilVal, function.NewArgErrorf(0, "the path must not be empty")
			}
			if !filepath.IsAbs(path) {
				path = filepath.Join(baseDir, path)
			}
			b, err := readFile(path)
			if err != nil {
				return cty.NilVal, err
			}
			s.record(string(b))
			return cty.StringVal(string(b)), nil
		},
	})
}

// readFile reads the regular UTF-8 file at path, up to maxFileSize bytes. It refuses
// what is not a regular file (a named pipe would block, a device never end), on
// Linux the files of procfs, sysfs and the other kernel file systems (boundedfile),
// and a file that another user could have written (filetrust). The checks are made
// on the open file, so no symbolic link or bind mount can get around them.
func readFile(path string) ([]byte, error) {
	fail := func(err error) ([]byte, error) {
		reason := err.Error()
		var be *boundedfile.Error
		if errors.As(err, &be) {
			reason = be.Reason
		}
		return nil, &fileError{path: path, reason: reason}
	}
	f, err := boundedfile.Open(path)
	if err != nil {
		return fail(err)
	}
	defer f.Close()
	if err := filetrust.Check(f, "file"); err != nil {
		var te *filetrust.Error
		if errors.As(err, &te) {
			return nil, &fileError{path: path, trust: te}
		}
		return fail(err)
	}
	b, err := boundedfile.Read(f, maxFileSize)
	if err != nil {
		return fail(err)
	}
	if !utf8.Valid(b) {
		return nil, &fileError{path: path, reason: "it is not UTF-8 text"}
	}
	return b, nil
}

// reasonOf returns why an operation on a file failed, without the file's name.
func reasonOf(err error) string {
	var be *boundedfile.Error
	if errors.As(err, &be) {
		return be.Reason
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// cleanDiags rewrites the diagnostics of failed env and file calls into ones that
// say what happened, and drops every diagnostic's expression and evaluation context:
// a diagnostic writer would print the values of the variables that a for expression
// binds, and those may hold what env or file returned.
func cleanDiags(diags hcl.Diagnostics) hcl.Diagnostics {
	for _, d := range diags {
		rewriteCallDiag(d)
		d.Expression = nil
		d.EvalContext = nil
	}
	return diags
}

// rewriteCallDiag turns HCL's generic "Error in function call" for env and file
// into a specific diagnostic. The variable name or path appears only when the
// call's argument is written literally, since it could otherwise come from a secret.
func rewriteCallDiag(d *hcl.Diagnostic) {
	if d.Summary != "Error in function call" {
		return // not a call error, or rewritten already
	}
	extra, ok := hcl.DiagnosticExtra[hclsyntax.FunctionCallDiagExtra](d)
	if !ok || extra.FunctionCallError() == nil {
		return
	}
	call, _ := d.Expression.(*hclsyntax.FunctionCallExpr)
	literal := call != nil && len(call.Args) > 0 && !hasCall(call.Args[0])
	var envErr *envNotSetError
	var fileErr *fileError
	switch err := extra.FunctionCallError(); {
	case errors.As(err, &envErr):
		pointAt(d, call)
		d.Summary = "Environment variable not set"
		if literal {
			d.Detail = fmt.Sprintf("The environment variable %q is not set. Set it, or give env a default as its second argument, e.g. env(%q, \"\").", envErr.name, envErr.name)
		} else {
			d.Detail = "The environment variable that this call names is not set. Set it, or give env a default as its second argument."
		}
	case errors.As(err, &fileErr) && fileErr.trust != nil:
		pointAt(d, call)
		d.Summary = "Untrusted file"
		if literal {
			d.Detail = upperFirst(fileErr.trust.Error()) + "."
		} else {
			te := fileErr.trust
			d.Detail = fmt.Sprintf("Refusing the file that this call names: it, or a directory or link on the way to it (owner %d, mode %v), could be changed by another user than you or root, who could make brs run their commands with your AWS credentials. Make the file yours and not writable by others (chmod go-w), in a directory only you or root can write.",
				te.Owner, te.Mode)
		}
	case errors.As(err, &fileErr):
		pointAt(d, call)
		d.Summary = "Cannot read file"
		if literal {
			d.Detail = fmt.Sprintf("Cannot read %s: %s.", fileErr.path, fileErr.reason)
		} else {
			d.Detail = fmt.Sprintf("Cannot read the file that this call names: %s.", fileErr.reason)
		}
	}
}

// pointAt makes d's subject the whole of call, when known.
func pointAt(d *hcl.Diagnostic, call *hclsyntax.FunctionCallExpr) {
	if call != nil {
		d.Subject = call.Range().Ptr()
		d.Context = nil
	}
}

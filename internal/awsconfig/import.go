package awsconfig

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// Input is what Import reads: the text of an AWS config file and of the shared
// credentials file, with the paths they are named by in comments and warnings.
type Input struct {
	ConfigPath      string
	Config          string
	CredentialsPath string
	// Credentials is the credentials file's text, "" when there is none. Its secrets
	// are read only to know which profiles hold keys; no value of it is written out.
	Credentials string
	// Profiles limits the import to these profiles and the profiles they take their
	// credentials from; empty for every profile.
	Profiles []string
	// KeysToKeyring makes the roles name their long-term keys in the OS keyring
	// (keyring = NAME) instead of the AWS profile (keyring.go).
	KeysToKeyring bool
}

// Result is an imported brs config file.
type Result struct {
	// HCL is the brs config file, formatted. It holds no secret.
	HCL []byte
	// Roles are the names of the roles in it, in order.
	Roles []string
	// Warnings say, one line each, what could not be imported or needs a hand; each
	// is also a comment in HCL.
	Warnings []string
	// SigningProfiles are the AWS profiles that roles name with profile = NAME: brs
	// reads them from the AWS files at refresh time.
	SigningProfiles []string
}

// UnknownProfileError is returned when Input.Profiles names a profile the files do not
// define.
type UnknownProfileError struct {
	Profile string
	// Known are the profiles the files define.
	Known []string
}

func (e *UnknownProfileError) Error() string {
	return fmt.Sprintf("no AWS profile %q in the config or credentials file; profiles there: %s", e.Profile, strings.Join(e.Known, ", "))
}

// Import translates the profiles of an AWS config file (and its credentials file) into
// a brs config file: role_arn profiles become sts roles (source_profile chains become
// source_role chains, and a source profile with long-term keys is named with the sts
// source's profile attribute, so the keys stay in the AWS files), SSO profiles sso
// roles, web identity profiles web_identity roles, credential_process profiles process
// roles. What cannot be translated is written as a comment and returned as a warning.
func Import(in Input) (*Result, error) {
	cfg := load(in.ConfigPath, in.Config, in.CredentialsPath, in.Credentials)
	t := &translator{
		cfg: cfg, credsPath: in.CredentialsPath,
		plans: map[string]*plan{}, names: map[string]string{}, taken: map[string]bool{},
		cycles: map[string]string{}, touched: map[string]bool{},
	}
	for _, n := range cfg.order {
		t.names[n] = t.roleName(n)
	}
	want := cfg.order
	if len(in.Profiles) > 0 {
		want = nil
		for _, n := range in.Profiles {
			if cfg.profiles[n] == nil {
				return nil, &UnknownProfileError{Profile: n, Known: slices.Clone(cfg.order)}
			}
			if !slices.Contains(want, n) {
				want = append(want, n)
			}
		}
	}
	for _, n := range want {
		t.translate(n)
	}
	if in.KeysToKeyring {
		t.useKeyring()
	}

	res := &Result{}
	f := hclwrite.NewEmptyFile()
	body := f.Body()
	header := []string{
		fmt.Sprintf("brs config imported from %s by brs import.", in.ConfigPath),
		"Secrets stay in the AWS files: a role signed by long-term keys names their AWS",
		"profile (profile = NAME) and brs reads them at each refresh. Check it with: brs validate",
	}
	if len(in.Profiles) > 0 {
		header = append(header, "Profiles: "+strings.Join(quoteAll(in.Profiles), ", ")+", and those they take their credentials from.")
	}
	comment(body, header...)
	if len(in.Profiles) == 0 {
		for _, n := range cfg.notes {
			body.AppendNewline()
			comment(body, "Not imported: "+n)
			res.Warnings = append(res.Warnings, n)
		}
	}
	for _, n := range cfg.order {
		if !t.touched[n] {
			continue
		}
		pl := t.plans[n]
		if pl.baseOnly && len(pl.usedBy) > 0 {
			res.SigningProfiles = append(res.SigningProfiles, n)
		}
		body.AppendNewline()
		res.Roles = append(res.Roles, writePlan(body, pl, t, res)...)
	}
	if len(res.Roles) == 0 {
		// brs refuses a file without roles; say why this one has none.
		body.AppendNewline()
		comment(body, "No profile could be imported, so this file declares no role and brs validate refuses it.")
	}
	res.HCL = hclwrite.Format(f.Bytes())
	return res, nil
}

// writePlan writes one profile's comments and blocks, adds its warnings to res and
// returns the names of the roles written.
func writePlan(body *hclwrite.Body, pl *plan, t *translator, res *Result) []string {
	p := pl.p
	what := fmt.Sprintf("AWS profile %q (%s:%d)", p.name, p.file, p.line)
	if m := pl.main(); m != nil && m.name != p.name {
		what += fmt.Sprintf(", named %q here: a role name holds only letters, digits, _ . and -", m.name)
	}
	var lines []string
	switch {
	case pl.baseOnly && len(pl.usedBy) > 0:
		lines = append(lines, what+fmt.Sprintf(": long-term keys in %s, never copied here.", p.keysWhere(t.credsPath)),
			fmt.Sprintf("They sign the AssumeRole of %s (profile = %q); brs keeps no role of its own for them.", strings.Join(quoteAll(pl.usedBy), ", "), p.name))
	case pl.baseOnly:
		msg := fmt.Sprintf("holds keys only, and brs keeps temporary credentials, so there is nothing to import. To assume a role with them, give that role's profile source_profile = %s and import again, or write a role with source = \"sts\" and profile = %q", p.name, p.name)
		lines = append(lines, what+": not imported: "+msg+".")
		res.Warnings = append(res.Warnings, fmt.Sprintf("profile %q: %s", p.name, msg))
	default:
		lines = append(lines, what)
	}
	for _, n := range pl.notes {
		lines = append(lines, "Note: "+n+".")
	}
	imported := len(pl.roles) > 0 || pl.baseOnly && len(pl.usedBy) > 0
	for _, prob := range pl.problems {
		if imported {
			lines = append(lines, "To do: "+prob+".")
		} else {
			lines = append(lines, "Not imported: "+prob+".")
		}
		res.Warnings = append(res.Warnings, fmt.Sprintf("profile %q: %s", p.name, prob))
	}
	comment(body, lines...)
	var names []string
	for i, r := range pl.roles {
		if i > 0 {
			body.AppendNewline()
		}
		writeRole(body, r)
		names = append(names, r.name)
	}
	return names
}

// writeRole writes one role block.
func writeRole(body *hclwrite.Body, r *role) {
	blk := body.AppendNewBlock("role", []string{r.name})
	b := blk.Body()
	b.SetAttributeValue("source", cty.StringVal(r.source))
	if r.sourceRole != "" {
		b.SetAttributeValue("source_role", cty.StringVal(r.sourceRole))
	}
	if r.region != "" {
		b.SetAttributeValue("region", cty.StringVal(r.region))
	}
	if r.endpoint != "" {
		b.SetAttributeValue("endpoint", cty.StringVal(r.endpoint))
	}
	for _, n := range r.notes {
		comment(b, n+".")
	}
	if r.timeout != "" {
		rb := b.AppendNewBlock("refresh", nil).Body()
		comment(rb, "Time to answer the MFA prompt.")
		rb.SetAttributeValue("timeout", cty.StringVal(r.timeout))
	}
	cb := b.AppendNewBlock("config", nil).Body()
	for _, a := range r.attrs {
		if a.comment != "" {
			comment(cb, a.comment+".")
		}
		cb.SetAttributeValue(a.name, cty.StringVal(a.value))
	}
}

// comment appends "# line" comments to body. Lines are made single-line first.
func comment(body *hclwrite.Body, lines ...string) {
	var toks hclwrite.Tokens
	for _, l := range lines {
		toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenComment, Bytes: []byte("# " + oneLine(l) + "\n")})
	}
	body.AppendUnstructuredTokens(toks)
}

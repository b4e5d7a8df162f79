package config

import (
	"fmt"
	"strings"
	"testing"
)

// stsRoles is a file of n roles of the sts source, as host's BenchmarkLoadOneRole
// writes it.
func stsRoles(n int) []byte {
	var b strings.Builder
	b.WriteString("plugin \"sts\" {\n  command = \"/bin/sts\"\n}\n")
	for i := range n {
		fmt.Fprintf(&b, "role \"r%04d\" {\n  source = \"sts\"\n  region = \"us-east-1\"\n  config {\n    role_arn = \"arn:aws:iam::123456789012:role/r%04d\"\n    duration = \"1h\"\n  }\n}\n", i, i)
	}
	return []byte(b.String())
}

// BenchmarkParse is the parse of a file of n sts roles: "all" reads every role
// (ParseSource: brs validate, the agent), "one" the one role a command needs
// (ParseSourceOnly: brs credential-process r0000 without the agent).
func BenchmarkParse(b *testing.B) {
	for _, n := range []int{1, 1000, 10000} {
		src := stsRoles(n)
		b.Run(fmt.Sprintf("roles=%d/all", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, diags := ParseSource(src, "brs.hcl"); diags.HasErrors() {
					b.Fatal(diags)
				}
			}
		})
		b.Run(fmt.Sprintf("roles=%d/one", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if f, diags := ParseSourceOnly(src, "brs.hcl", []string{"r0000"}); diags.HasErrors() || len(f.Roles) != 1 {
					b.Fatal(diags)
				}
			}
		})
	}
}

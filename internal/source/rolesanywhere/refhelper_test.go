package rolesanywhere_test

import (
	"context"
	"encoding/json"
	"os/exec"
	"testing"
	"time"

	fake "github.com/brs-go/brs/internal/testutil/fakerolesanywhere"
	"github.com/brs-go/brs/internal/testutil/needtool"
)

// installHelper says how to get AWS's reference client.
const installHelper = "scripts/aws-signing-helper.sh install (builds github.com/aws/rolesanywhere-credential-helper v1.4.0 with cgo into ~/.cache/brs and links aws_signing_helper into GOBIN)"

// TestReferenceHelperAgainstFake: AWS's own aws_signing_helper (v1.4.0, a client
// nobody here wrote) gets credentials from the fake, with an RSA and an EC key and an
// intermediate: the fake checks requests as the helper signs them, so its acceptance
// of brs's requests (the other tests) means brs signs as AWS's client does. The
// signed headers of both are compared too.
func TestReferenceHelperAgainstFake(t *testing.T) {
	helper := needtool.Path(t, "aws_signing_helper", installHelper)
	w := newWorld(t, fake.Config{})
	inter := w.ca.Intermediate(t, "issuing CA")
	for _, rsa := range []bool{false, true} {
		id := inter.Issue(t, fake.Leaf{RSA: rsa})
		cert := fake.WriteFile(t, w.dir, "ref.pem", id.CertPEM)
		key := fake.WriteFile(t, w.dir, "ref.key", id.KeyPEM(t))
		chain := fake.WriteFile(t, w.dir, "ref-chain.pem", inter.PEM)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		out, err := exec.CommandContext(ctx, helper, "credential-process", "--certificate", cert, "--private-key", key, "--intermediates", chain,
			"--trust-anchor-arn", w.f.TrustAnchorARN, "--profile-arn", w.f.ProfileARN, "--role-arn", fake.DefaultRole,
			"--endpoint", w.f.URL, "--session-duration", "900").Output()
		cancel()
		if err != nil {
			t.Fatalf("aws_signing_helper (rsa=%v): %v; the fake refused: %q", rsa, err, w.f.Refusals())
		}
		var doc struct{ AccessKeyId string }
		_ = json.Unmarshal(out, &doc)
		calls := w.f.Calls()
		ref := calls[len(calls)-1]
		if doc.AccessKeyId != ref.AccessKeyID || ref.Chain != 1 || ref.DurationSeconds != 900 || ref.Serial != id.Cert.SerialNumber.String() {
			t.Errorf("rsa=%v: helper printed %s, the fake saw %+v", rsa, doc.AccessKeyId, ref)
		}

		// brs, with the same files, signs the same headers.
		creds, err := refresh(t, w.f.URL, with(w.attrs(), "certificate", cert, "private_key", key, "certificate_chain", chain))
		if err != nil {
			t.Fatal(err)
		}
		calls = w.f.Calls()
		ours := calls[len(calls)-1]
		if ours.AccessKeyID != creds.AccessKeyID || ours.Algorithm != ref.Algorithm || ours.SignedHeaders != ref.SignedHeaders {
			t.Errorf("rsa=%v: brs signed %+v, aws_signing_helper %+v", rsa, ours, ref)
		}
	}
}

package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// defaultWhoamiRegion signs GetCallerIdentity for a role without a region when the
// environment names none either: STS answers it in every region.
const defaultWhoamiRegion = "us-east-1"

// setupWhoami is `brs whoami [--json] ROLE`.
func setupWhoami(fs *flag.FlagSet) runFunc {
	asJSON := fs.Bool("json", false, "print JSON for scripts")
	return func(ctx context.Context, c *cli, args []string) int {
		return runWhoami(ctx, c, args[0], *asJSON)
	}
}

// whoamiDoc is the output of `brs whoami --json`.
type whoamiDoc struct {
	Role        string `json:"role"`
	Account     string `json:"account"`
	Arn         string `json:"arn"`
	UserID      string `json:"user_id"`
	AccessKeyID string `json:"access_key_id"`
	Expires     string `json:"expires,omitempty"`
}

func runWhoami(ctx context.Context, c *cli, role string, asJSON bool) int {
	f, code := c.fetchRole(ctx, role, fetchOptions{})
	if f == nil {
		return code
	}
	return c.whoami(ctx, role, f, asJSON)
}

// whoami calls GetCallerIdentity with a role's fetched credentials and prints the
// answer.
func (c *cli) whoami(ctx context.Context, role string, f *fetchedRole, asJSON bool) int {
	creds, source, region, endpoint := f.creds, f.source, f.region, f.endpoint
	provider := credentials.StaticCredentialsProvider{Value: aws.Credentials{
		AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey, SessionToken: creds.SessionToken,
		Source: "brs", CanExpire: creds.CanExpire(), Expires: creds.Expires}}
	for _, v := range []string{"AWS_REGION", "AWS_DEFAULT_REGION"} {
		if region == "" {
			region, _ = c.lookupEnv(v)
		}
	}
	if region == "" {
		region = defaultWhoamiRegion
	}
	opts := sts.Options{Region: region, Credentials: provider}
	where := "STS in " + region
	if endpoint != "" {
		opts.BaseEndpoint = aws.String(endpoint)
		where = "STS at " + endpoint
	}
	out, err := sts.New(opts).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return c.errorf("whoami: role %q: GetCallerIdentity (%s) with key %s failed: %v", role, where, creds.AccessKeyID, err)
	}
	doc := whoamiDoc{Role: role, Account: aws.ToString(out.Account), Arn: aws.ToString(out.Arn),
		UserID: aws.ToString(out.UserId), AccessKeyID: creds.AccessKeyID, Expires: rfc3339(creds.Expires)}
	if asJSON {
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(doc)
	} else {
		var b strings.Builder
		row := func(k, v string) { fmt.Fprintf(&b, "%-8s %s\n", k, v) }
		row("role", fmt.Sprintf("%s (source %s)", role, source))
		row("account", doc.Account)
		row("arn", doc.Arn)
		row("user id", doc.UserID)
		key := doc.AccessKeyID
		if creds.CanExpire() {
			key += fmt.Sprintf(", expires %s (in %s)", doc.Expires, humanDuration(creds.Expires.Sub(c.now())))
		}
		row("key", key)
		_, err = fmt.Fprint(c.stdout, b.String())
	}
	if err != nil {
		return c.errorf("writing to stdout: %v", err)
	}
	return exitOK
}

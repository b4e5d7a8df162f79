package main

import (
	"os"
	"slices"
	"strings"
)

// Why these variables: the default credential chains of the AWS SDKs try other sources
// before the container endpoint, so `brs exec` removes or neutralises every one of them
// in the command's environment. The orders, as read in the sources:
//
// botocore 1.43 (credentials.create_credential_resolver): environment variables
// (AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY, token from AWS_SECURITY_TOKEN before
// AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION), assume-role from the profile in
// AWS_CONFIG_FILE, web identity (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN, or the
// profile), SSO, the shared credentials file (AWS_SHARED_CREDENTIALS_FILE), login,
// credential_process, the config file's keys, AWS_CREDENTIAL_FILE, the boto2 files
// ($BOTO_CONFIG, else /etc/boto.cfg and ~/.boto), and only then the container
// endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI before FULL_URI;
// AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE before AWS_CONTAINER_AUTHORIZATION_TOKEN),
// then IMDS. The profile is AWS_PROFILE, else AWS_DEFAULT_PROFILE, else "default".
//
// aws-sdk-go-v2 config 1.33 (resolveCredentialChain): environment keys
// (AWS_ACCESS_KEY_ID or AWS_ACCESS_KEY, AWS_SECRET_ACCESS_KEY or AWS_SECRET_KEY,
// AWS_SESSION_TOKEN), web identity from the environment, then the profile
// (AWS_PROFILE/AWS_DEFAULT_PROFILE, from AWS_CONFIG_FILE and
// AWS_SHARED_CREDENTIALS_FILE): source_profile, static keys, credential_source, web
// identity, SSO, login, credential_process; then the container endpoint
// (RELATIVE_URI before FULL_URI, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE over the
// token), then IMDS.
//
// The Java, JavaScript and older Go SDKs put environment, web identity and profile
// before the container endpoint too.

// scrubbedVars are removed from the command's environment: each would make an SDK use
// other credentials than the endpoint's, or the endpoint with another token.
var scrubbedVars = []string{
	"AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY",
	"AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_CREDENTIAL_EXPIRATION",
	"AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME",
	"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
	"AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
	"AWS_CREDENTIAL_FILE",
	// The account of the parent's credentials, not the role's: account-based
	// endpoints (DynamoDB) would use it. The endpoint sends the role's AccountId.
	"AWS_ACCOUNT_ID",
}

// profileVars select a profile of the AWS files; removed unless the files are kept.
var profileVars = []string{"AWS_PROFILE", "AWS_DEFAULT_PROFILE"}

// fileVars name the AWS files, which are read before the endpoint: they are pointed at
// the null device (an empty file no one can write) unless --keep-aws-config is given.
// BOTO_CONFIG replaces botocore's /etc/boto.cfg and ~/.boto.
var fileVars = []string{"AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "BOTO_CONFIG"}

// execEnv is what brs exec puts into the command's environment.
type execEnv struct {
	// uri and token locate the endpoint.
	uri, token string
	// region is the role's region, or "" to leave AWS_REGION as it is.
	region string
	// keepAWSConfig leaves the AWS files and the profile variables alone.
	keepAWSConfig bool
}

// childEnv returns environ with every variable that would win over the endpoint
// removed, and the endpoint's variables set.
func childEnv(environ []string, e execEnv) []string {
	drop := slices.Clone(scrubbedVars)
	if !e.keepAWSConfig {
		drop = append(drop, profileVars...)
		drop = append(drop, fileVars...)
	}
	if e.region != "" {
		drop = append(drop, "AWS_REGION", "AWS_DEFAULT_REGION")
	}
	out := make([]string, 0, len(environ)+8)
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if !slices.Contains(drop, name) {
			out = append(out, kv)
		}
	}
	out = append(out,
		"AWS_CONTAINER_CREDENTIALS_FULL_URI="+e.uri,
		"AWS_CONTAINER_AUTHORIZATION_TOKEN="+e.token,
	)
	if !e.keepAWSConfig {
		for _, v := range fileVars {
			out = append(out, v+"="+os.DevNull)
		}
	}
	if e.region != "" {
		out = append(out, "AWS_REGION="+e.region, "AWS_DEFAULT_REGION="+e.region)
	}
	return out
}

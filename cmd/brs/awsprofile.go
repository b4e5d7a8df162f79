package main

import (
	"bufio"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// credentialKeys are the profile settings that make an AWS SDK take credentials from
// the profile rather than from the container endpoint.
var credentialKeys = []string{
	"aws_access_key_id", "credential_process", "sso_session", "sso_start_url", "sso_account_id",
	"role_arn", "web_identity_token_file", "credential_source", "source_profile", "login_session",
}

// awsFile is one of the AWS shared files and how it names profiles.
type awsFile struct {
	path string
	// prefixed is true for the config file, where a profile other than default is
	// [profile NAME]; the credentials file uses [NAME].
	prefixed bool
}

// profileCredentials finds, for `brs exec --keep-aws-config`, the settings of the
// profile the command will use (AWS_PROFILE, else AWS_DEFAULT_PROFILE, else default)
// that would win over the endpoint. It returns the profile and "FILE: key" items;
// files that cannot be read are skipped.
func profileCredentials(lookupEnv func(string) (string, bool)) (string, []string) {
	profile := "default"
	for _, v := range []string{"AWS_PROFILE", "AWS_DEFAULT_PROFILE"} {
		if p, _ := lookupEnv(v); p != "" {
			profile = p
			break
		}
	}
	home, _ := lookupEnv("HOME")
	file := func(env, name string, prefixed bool) awsFile {
		if p, _ := lookupEnv(env); p != "" {
			return awsFile{p, prefixed}
		}
		return awsFile{filepath.Join(home, ".aws", name), prefixed}
	}
	var found []string
	for _, f := range []awsFile{file("AWS_CONFIG_FILE", "config", true), file("AWS_SHARED_CREDENTIALS_FILE", "credentials", false)} {
		for _, k := range iniKeys(f, profile) {
			if slices.Contains(credentialKeys, k) {
				found = append(found, f.path+": "+k)
			}
		}
	}
	return profile, found
}

// iniKeys returns the keys set in the section of profile in f.
func iniKeys(f awsFile, profile string) []string {
	fh, err := os.Open(f.path)
	if err != nil {
		return nil
	}
	defer fh.Close()
	want := []string{profile}
	if f.prefixed {
		want = []string{"profile " + profile}
		if profile == "default" {
			want = append(want, "default")
		}
	}
	var keys []string
	in := false
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || line[0] == '#' || line[0] == ';':
		case line[0] == '[' && strings.HasSuffix(line, "]"):
			name := strings.Join(strings.Fields(line[1:len(line)-1]), " ")
			in = slices.Contains(want, name)
		case in:
			if k, _, ok := strings.Cut(line, "="); ok {
				keys = append(keys, strings.ToLower(strings.TrimSpace(k)))
			}
		}
	}
	return keys
}

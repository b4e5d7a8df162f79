// Package filecreds is a brs credential source that reads AWS credentials from a JSON
// file in the credential_process format, which another program keeps up to date:
//
//	{"Version": 1, "AccessKeyId": "ASIA…", "SecretAccessKey": "…",
//	 "SessionToken": "…", "Expiration": "2026-01-02T15:04:05Z"}
//
// The file is read again at every refresh, so the host picks up what the writer last
// wrote; the writer should replace it atomically (write a temporary file, then rename
// it). A role's config block names the file (path) and may refuse a file that has not
// been rewritten for too long (max_age, a duration attribute); or it names a URL that
// serves the same document (url, with an optional bearer token), fetched with
// plugin/httpsource.
//
// It is the example of a third-party plugin: it uses only the public brs packages
// shared (the Refresher interface), plugin (Serve, Logger, plugintest) and
// plugin/httpsource.
package filecreds

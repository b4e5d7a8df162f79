// Package pluginrelease fetches third-party plugin releases, checks them against their
// SHA256SUMS and a lock file, and installs them into the user's plugin directory.
//
// A release source is an HTTPS URL (plain http only on loopback) or a directory that
// holds:
//
//	VERSIONS                                         one version per line
//	<version>/SHA256SUMS                             sha256sum output for every file
//	<version>/SHA256SUMS.sig                         optional: base64 ed25519 signature
//	<version>/brs-plugin-<name>_<version>_<os>_<arch>[.exe]
//
// Installed binaries live in <dir>/<name>/<version>/<os>_<arch>/, directories 0700.
package pluginrelease

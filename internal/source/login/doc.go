// Package login is the built-in "login" credential source: the credentials of a
// session made by `aws login` (AWS CLI 2.32 and later), which the AWS CLI keeps in
// ~/.aws/login/cache, refreshed with the sign-in service's CreateOAuth2Token as the
// AWS SDKs do.
//
// The cache file of a login_session (the profile's value, the ARN of the signed-in
// identity) is ~/.aws/login/cache (or cache_dir, else AWS_LOGIN_CACHE_DIRECTORY) /
// hex(SHA-256(login_session)).json. It holds short-lived credentials (15 minutes), a
// refresh token and the session's private DPoP key (P-256, PEM). When the credentials
// are within 10 minutes of their expiry the source spends the refresh token at
// POST /v1/token with a DPoP proof (RFC 9449: an ES256 JWT with the public key in its
// jwk header and htm, htu, iat and a fresh jti among its claims), and writes the new
// credentials and the rotated refresh token back atomically (a temporary file, mode
// 0600, renamed over the old one), keeping every field it does not know, in the
// format aws-sdk-go-v2's credentials/logincreds and botocore read.
//
// Unlike logincreds, which it otherwise follows, it reads the cache with a size cap,
// refuses a cache file that another user could change or read (it holds a private
// key) or that sits in a directory others can write, parses the key without
// panicking on a damaged file, pads the jwk's coordinates to 32 bytes as RFC 7518
// requires, renews ahead of expiry, keeps a renewed token in memory when the file
// cannot be written (the old refresh token is spent), and serializes renewals of one
// session within the process. It reuses the SDK's sign-in client (service/signin).
//
// A session that has expired, or whose cache file is missing, is a permanent error
// that says to run `aws login`.
//
// cmd/brs-plugin-login serves New() as a plugin; host.WithRefresher can run it
// in-process.
package login

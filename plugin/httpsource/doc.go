// Package httpsource is an HTTP client for credential sources that fetch credentials
// (or what they exchange for credentials) over HTTP: a Vault-style secrets server, a
// container credentials endpoint, a device's token service. Every answer comes from
// another machine and is treated as hostile until bounded:
//
//   - Each request ends by Options.Timeout or the context's deadline (pass Refresh's
//     context, whose deadline is the host's refresh timeout), whichever comes first,
//     including the time spent reading the body: a server that sends its headers and
//     then holds the connection open without finishing the body cannot hold a refresh.
//   - Redirects are never followed, to any host: a credentials endpoint has no reason
//     to redirect, and following one would send the request's token to an address the
//     config does not name (and, for a same-host redirect, to a path, port or scheme
//     it does not name). A 3xx answer is a permanent "Redirect" error.
//   - The body is read up to Options.MaxBody (64 KiB by default); a longer one is an
//     "InvalidResponse" error, not a larger allocation. DecodeJSON decodes it, and its
//     errors say where the JSON is wrong without quoting it.
//   - TLS 1.2 or later, verified against the system's roots or Options.RootCAs, which
//     LoadCAFile reads from a PEM bundle with a size bound; a client certificate with
//     Options.Certificates. TLS failures are permanent errors that say which side
//     refused what.
//   - Options.AllowAddr checks every address a connection is made to, after name
//     resolution, so a host name cannot be made to lead elsewhere later.
//   - Status codes map to *shared.Error as a host expects (StatusError): 429 and 5xx
//     retryable, other 4xx and 3xx permanent. A 429 or 503 with a Retry-After of at
//     most Options.MaxRetryWait (2s by default) is waited out and the request sent
//     once more, if the wait ends before the deadline; a longer Retry-After is said in
//     the error, and the host's own backoff applies.
//   - No error holds the value of a header that may carry a secret (Authorization,
//     Proxy-Authorization, Cookie, and any header whose name says token, secret, key,
//     auth, session or password), nor Request.Secrets, nor the URL's query or user
//     information: every message the package makes is redacted of them.
//
// Errors are *shared.Error, ready to return from Refresh; Options.Advice appends a
// source's own advice to them by code.
package httpsource

// Package fakests is a fake of AWS STS for tests: a loopback HTTP server that records
// each request's form and Authorization header and answers with a canned AWS-shaped
// response, or with the AWS error response it was told to fail with. It checks no
// signature and no token, and never answers with AWS's throttling or server errors
// unless told to; what it cannot show is tested against MinIO.
//
// Verifying is another fake, for GetSessionToken, MFA and AssumeRole signed with
// temporary credentials (which MinIO refuses): it checks SigV4 signatures, MFA codes and
// durations as AWS STS does.
package fakests

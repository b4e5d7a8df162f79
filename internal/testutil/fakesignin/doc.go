// Package fakesignin is a FAKE of the AWS sign-in service's token endpoint, the one
// that `aws login` sessions are refreshed at: CreateOAuth2Token with grant type
// refresh_token, POST /v1/token, as aws-sdk-go-v2's service/signin client (used by
// credentials/logincreds and by brs's login source) sends and parses it.
//
// No real sign-in service can be reached here, and nothing in this package was checked
// against one. It checks what RFC 9449 (DPoP) and the SDKs' clients say the real one
// checks, and refuses a request that fails any of these:
//
//   - the DPoP header holds one compact JWS whose header is typ "dpop+jwt", alg
//     "ES256" and a public jwk (kty EC, crv P-256, no private part), and whose
//     signature (raw r||s, 64 bytes) verifies with that jwk over SHA-256;
//   - its claims: htm is the request's method, htu the request's URL without query or
//     fragment, iat within the acceptance window of the server's clock, and jti not
//     seen before within that window (a replayed proof is refused);
//   - the body: grantType refresh_token, a clientId, and a refresh token the fake
//     issued, not yet spent (refresh tokens rotate: each use returns a new one and
//     retires the old), of a session that has not expired, for the same client;
//   - the proof's key is the one the session is bound to (a proof signed with another
//     key, however valid, is refused).
//
// It answers with the JSON shape of the SDKs' clients: {"accessToken":
// {"accessKeyId", "secretAccessKey", "sessionToken"}, "expiresIn", "refreshToken",
// "tokenType": "aws_sigv4"}; errors are 400 with {"__type", "error", "message"}: an
// expired session AccessDeniedException / TOKEN_EXPIRED (as both SDKs expect), a bad
// proof ValidationException / INVALID_REQUEST, a spent, unknown or wrongly bound
// refresh token InvalidGrantException / invalid_grant. The error codes for the last
// two are the fake's choice: what the real service answers there is not documented.
// The credentials it issues are made up and work nowhere.
package fakesignin

// Package ssotest is a FAKE of AWS IAM Identity Center for tests: one loopback HTTP
// server that speaks the wire format of the two APIs the sso source calls, as the
// aws-sdk-go-v2 clients (service/sso, service/ssooidc) send and parse it:
//
//   - the portal's GetRoleCredentials: GET /federation/credentials?account_id=&role_name=
//     with the access token in the x-amz-sso_bearer_token header, answering
//     {"roleCredentials": {"accessKeyId", "secretAccessKey", "sessionToken",
//     "expiration": epoch milliseconds}};
//   - SSO-OIDC's CreateToken with grant type refresh_token: POST /token with a JSON
//     body, answering {"accessToken", "expiresIn", "refreshToken", "tokenType"}.
//
// Errors are AWS-shaped: the code in the x-amzn-ErrorType header (with the service
// URI suffix AWS adds), {"message"} bodies for the portal and OAuth-style {"error",
// "error_description"} bodies for SSO-OIDC.
//
// It is not AWS: no real IAM Identity Center exists here, and nothing in this package
// was checked against one. It knows only the tokens, clients and role assignments a
// test gives it, issues made-up credentials that no AWS service accepts, and
// implements no other operation (device authorization, RegisterClient, ListAccounts).
package ssotest

// Package endpoint serves brs credentials over HTTP in the format of the AWS container
// credentials endpoint (what ECS and EKS Pod Identity provide), so that any AWS SDK —
// botocore, the Java, JavaScript and Go SDKs, the AWS CLI — in any process can use a
// brs role without knowing about brs:
//
//	AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1:PORT/roles/NAME
//	AWS_CONTAINER_AUTHORIZATION_TOKEN=TOKEN
//
// A GET of /roles/NAME with the header "Authorization: TOKEN" answers
//
//	{"AccessKeyId":"ASIA…","SecretAccessKey":"…","Token":"…",
//	 "Expiration":"2026-01-02T15:04:05Z","AccountId":"…","RoleArn":"…"}
//
// The server listens on loopback only (Listen refuses any other address), every
// request must carry the per-run random token (NewToken) — one for every role
// (NewHandler) or one per role (NewPerRoleHandler) — and answers are never cached
// (Cache-Control: no-store).
//
// Any local process can connect, so the server bounds what a client without the
// token can hold (Limits): headers within ReadHeaderTimeout, no request body (413,
// answered without reading it), every refusal closes its connection, headers capped
// at MaxHeaderBytes, at most MaxConns connections open at once.
package endpoint

// Package ecs is the built-in "ecs" credential source: it reads temporary credentials
// from a container credentials endpoint, the HTTP endpoint that the Amazon ECS agent
// serves to the containers of a task (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI), that the
// EKS Pod Identity agent serves to pods (AWS_CONTAINER_CREDENTIALS_FULL_URI and
// AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE), and that `brs serve` and `brs exec` serve.
//
// It follows the rules of the AWS SDKs (aws-sdk-go-v2's config and
// credentials/endpointcreds, botocore's ContainerProvider):
//
//   - relative_uri is appended to http://169.254.170.2, the ECS agent's address;
//   - a uri with plain http must point at a loopback address (127.0.0.0/8, ::1, or
//     localhost resolving only to loopback addresses), the ECS agent's 169.254.170.2,
//     or the EKS Pod Identity agent's 169.254.170.23 or fd00:ec2::23; any host may be
//     used with https. Like botocore, and unlike aws-sdk-go-v2, no other host name is
//     accepted for plain http: resolving names is a network call, which Validate must
//     not make. The address is checked again when the connection is made, after name
//     resolution, so a name cannot be made to resolve elsewhere later;
//   - the token, or the contents of token_file (read again at every refresh, because
//     EKS Pod Identity rotates it), is sent as the Authorization header. Unlike the
//     SDKs, whitespace around the file's contents is removed, so a token file written
//     with a trailing newline works;
//   - the answer is JSON with AccessKeyId, SecretAccessKey, Token and Expiration, and
//     optionally AccountId and RoleArn; failures are JSON {"code", "message"}.
//
// Plain-http requests never go through a proxy and redirects are never followed, so
// the token is only ever sent to the configured endpoint.
//
// cmd/brs-plugin-ecs serves New() as a plugin; host.WithRefresher can run it in-process.
package ecs

// Package fakerolesanywhere is a FAKE of IAM Roles Anywhere's CreateSession for tests
// (no emulator of the service exists: neither MinIO nor moto implements it), and a
// small PKI to issue the certificates it trusts.
//
// The fake checks what the real service checks before it answers, from the request
// as it arrives on the wire, without sharing code with the client under test:
//   - POST /sessions with profileArn, roleArn and trustAnchorArn (query or JSON body)
//     naming its trust anchor, its profile and a role the profile lists;
//   - an Authorization header AWS4-X509-RSA-SHA256 or AWS4-X509-ECDSA-SHA256 whose
//     Credential is the certificate's serial number (decimal), X-Amz-Date's day, the
//     fake's region and "rolesanywhere", and whose SignedHeaders cover host,
//     x-amz-date, x-amz-x509 and x-amz-x509-chain when sent;
//   - X-Amz-Date within 5 minutes of its clock;
//   - the signature: it rebuilds SigV4's canonical request and string to sign and
//     verifies the signature with the public key of the X-Amz-X509 certificate
//     (RSA PKCS #1 v1.5 or ECDSA ASN.1 over SHA-256), the algorithm matching the key;
//   - the certificate: valid now, an end entity with digitalSignature, chaining to the
//     trust anchor's CA through the X-Amz-X509-Chain intermediates (at most 5);
//   - durationSeconds within 900..43200 and roleSessionName only when the profile
//     accepts one.
//
// It answers 201 with {"credentialSet": [{"credentials": {...}, "assumedRoleUser",
// "roleArn"}], "subjectArn"} or an error {"message"} with the status and
// x-amzn-ErrorType the real service uses (AccessDeniedException 403,
// ValidationException 400, ResourceNotFoundException 404). Credentials live
// min(durationSeconds, the profile's duration).
package fakerolesanywhere

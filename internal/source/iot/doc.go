// Package iot is the built-in "iot" credential source: it gets temporary credentials
// from the AWS IoT Core credentials provider, which exchanges a device's X.509
// certificate for the credentials of an IAM role that a role alias names:
//
//	GET https://ENDPOINT/role-aliases/ROLE_ALIAS/credentials
//	x-amzn-iot-thingname: THING_NAME
//
// over TLS with client authentication (the device's certificate and private key). The
// answer is {"credentials": {"accessKeyId", "secretAccessKey", "sessionToken",
// "expiration"}}.
//
// The certificate, the private key and the CA bundle are PEM files, read again at
// every refresh, so that a rotated certificate is used from the next refresh on
// without a restart. Validate only checks the paths; it reads no file. No message, log
// line or diagnostic holds any part of the key.
//
// cmd/brs-plugin-iot serves New() as a plugin; host.WithRefresher can run it in-process.
package iot

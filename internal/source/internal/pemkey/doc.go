// Package pemkey reads the X.509 certificates and private keys of the sources that
// authenticate with a certificate (roles_anywhere): PEM files holding RSA and EC keys
// in PKCS #1, SEC 1 or PKCS #8 form, and PKCS #8 keys encrypted with a passphrase
// (PBES2: PBKDF2 with HMAC-SHA-1/224/256/384/512 and AES-CBC, OpenSSL's scheme since
// 1.1 and its `openssl pkcs8 -topk8 -v2 aes-256-cbc` output).
//
// Keys come back as a crypto.Signer, so that keys held elsewhere (PKCS #11, a TPM)
// can take their place later. Errors never quote what a key file holds, nor the
// passphrase.
package pemkey

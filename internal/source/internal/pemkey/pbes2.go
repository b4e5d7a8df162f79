package pemkey

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509/pkix"
	"encoding/asn1"
	"hash"
)

// MaxIterations bounds PBKDF2's iteration count, so that a key file cannot make a
// refresh spin for minutes. OpenSSL writes 2048, current guidance is 600,000 with
// HMAC-SHA-256; 4,000,000 takes about two seconds here.
const MaxIterations = 4_000_000

var (
	oidPBES2  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
	oidScrypt = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 11591, 4, 11}

	// prfs are PBKDF2's pseudo-random functions (RFC 8018 appendix B.1).
	prfs = map[string]func() hash.Hash{
		"1.2.840.113549.2.7":  sha1.New,
		"1.2.840.113549.2.8":  sha256.New224,
		"1.2.840.113549.2.9":  sha256.New,
		"1.2.840.113549.2.10": sha512.New384,
		"1.2.840.113549.2.11": sha512.New,
	}
	// aesCBC are the AES-CBC encryption schemes with their key sizes (RFC 8018
	// appendix B.2.5, NIST's OIDs).
	aesCBC = map[string]int{
		"2.16.840.1.101.3.4.1.2":  16,
		"2.16.840.1.101.3.4.1.22": 24,
		"2.16.840.1.101.3.4.1.42": 32,
	}
	// pbes1 are the PKCS #5 v1.5 and PKCS #12 schemes (DES, RC2, RC4, 3DES),
	// named so that the error says what the key is.
	pbes1 = map[string]string{
		"1.2.840.113549.1.5.3":    "PBES1 (MD5 and DES)",
		"1.2.840.113549.1.5.10":   "PBES1 (SHA-1 and DES)",
		"1.2.840.113549.1.12.1.3": "PKCS #12 PBE (SHA-1 and 3DES)",
		"1.2.840.113549.1.12.1.6": "PKCS #12 PBE (SHA-1 and RC2)",
	}
)

// encryptedPrivateKeyInfo is PKCS #8's EncryptedPrivateKeyInfo (RFC 5958).
type encryptedPrivateKeyInfo struct {
	Algorithm     pkix.AlgorithmIdentifier
	EncryptedData []byte
}

// pbes2Params is RFC 8018's PBES2-params.
type pbes2Params struct {
	KeyDerivationFunc pkix.AlgorithmIdentifier
	EncryptionScheme  pkix.AlgorithmIdentifier
}

// pbkdf2Params is RFC 8018's PBKDF2-params with a specified salt.
type pbkdf2Params struct {
	Salt           []byte
	IterationCount int
	KeyLength      int                      `asn1:"optional"`
	PRF            pkix.AlgorithmIdentifier `asn1:"optional"`
}

// DecryptPKCS8 decrypts the DER of a PKCS #8 EncryptedPrivateKeyInfo encrypted with
// PBES2 (PBKDF2, AES-CBC) and returns the DER of the PrivateKeyInfo inside.
func DecryptPKCS8(der, passphrase []byte) ([]byte, error) {
	var info encryptedPrivateKeyInfo
	if rest, err := asn1.Unmarshal(der, &info); err != nil || len(rest) != 0 {
		return nil, ErrInvalidKey
	}
	alg := info.Algorithm.Algorithm
	if !alg.Equal(oidPBES2) {
		if name, ok := pbes1[alg.String()]; ok {
			return nil, &UnsupportedEncryptionError{Scheme: name}
		}
		return nil, &UnsupportedEncryptionError{Scheme: "the scheme " + alg.String()}
	}
	var params pbes2Params
	if rest, err := asn1.Unmarshal(info.Algorithm.Parameters.FullBytes, &params); err != nil || len(rest) != 0 {
		return nil, ErrInvalidKey
	}
	kdf := params.KeyDerivationFunc.Algorithm
	switch {
	case kdf.Equal(oidScrypt):
		return nil, &UnsupportedEncryptionError{Scheme: "PBES2 with scrypt"}
	case !kdf.Equal(oidPBKDF2):
		return nil, &UnsupportedEncryptionError{Scheme: "PBES2 with the key derivation function " + kdf.String()}
	}
	var kp pbkdf2Params
	if rest, err := asn1.Unmarshal(params.KeyDerivationFunc.Parameters.FullBytes, &kp); err != nil || len(rest) != 0 {
		return nil, ErrInvalidKey
	}
	prf := sha1.New // RFC 8018's default
	if len(kp.PRF.Algorithm) > 0 {
		var ok bool
		if prf, ok = prfs[kp.PRF.Algorithm.String()]; !ok {
			return nil, &UnsupportedEncryptionError{Scheme: "PBKDF2 with the function " + kp.PRF.Algorithm.String()}
		}
	}
	keyLen, ok := aesCBC[params.EncryptionScheme.Algorithm.String()]
	if !ok {
		return nil, &UnsupportedEncryptionError{Scheme: "PBES2 with the cipher " + params.EncryptionScheme.Algorithm.String()}
	}
	switch {
	case kp.IterationCount < 1 || kp.IterationCount > MaxIterations:
		return nil, &UnsupportedEncryptionError{Scheme: "PBKDF2 with an iteration count outside 1 to 4,000,000"}
	case kp.KeyLength != 0 && kp.KeyLength != keyLen:
		return nil, ErrInvalidKey
	case len(kp.Salt) == 0 || len(kp.Salt) > 1024:
		return nil, ErrInvalidKey
	}
	var iv []byte
	if rest, err := asn1.Unmarshal(params.EncryptionScheme.Parameters.FullBytes, &iv); err != nil || len(rest) != 0 || len(iv) != aes.BlockSize {
		return nil, ErrInvalidKey
	}
	data := info.EncryptedData
	if len(data) == 0 || len(data)%aes.BlockSize != 0 {
		return nil, ErrInvalidKey
	}

	key, err := pbkdf2.Key(prf, string(passphrase), kp.Salt, kp.IterationCount, keyLen)
	if err != nil {
		return nil, ErrInvalidKey
	}
	block, err := aes.NewCipher(key)
	clear(key)
	if err != nil {
		return nil, ErrInvalidKey
	}
	out := make([]byte, len(data))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(out, data)
	// PKCS #7 padding; a wrong passphrase breaks it 255 times in 256, and the
	// PrivateKeyInfo check below catches the rest.
	pad := int(out[len(out)-1])
	if pad == 0 || pad > aes.BlockSize || !bytes.Equal(out[len(out)-pad:], bytes.Repeat([]byte{byte(pad)}, pad)) {
		clear(out)
		return nil, ErrWrongPassphrase
	}
	out = out[:len(out)-pad]
	var raw asn1.RawValue
	if rest, err := asn1.Unmarshal(out, &raw); err != nil || len(rest) != 0 {
		clear(out)
		return nil, ErrWrongPassphrase
	}
	return out, nil
}

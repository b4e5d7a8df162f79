package endpoint

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
)

// TokenBytes is the number of random bytes in a token: 256 bits, beyond guessing.
const TokenBytes = 32

// NewToken returns a new random token: TokenBytes bytes from crypto/rand, in hex.
// Hex keeps the token safe in an HTTP header, an environment variable and a shell
// line without quoting.
func NewToken() (string, error) {
	b := make([]byte, TokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("endpoint: generating a token: %w", err)
	}
	return hex.EncodeToString(b), nil
}

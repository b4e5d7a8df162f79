package vault_test

import (
	"os"
	"testing"

	"github.com/brs-go/brs/internal/testutil/plugintestbin"
)

func TestMain(m *testing.M) {
	code := m.Run()
	plugintestbin.Cleanup()
	os.Exit(code)
}

package ecs_test

import (
	"context"
	"os"
	"testing"

	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
	"github.com/brs-go/brs/shared"
)

func TestMain(m *testing.M) {
	code := m.Run()
	plugintestbin.Cleanup()
	os.Exit(code)
}

// refresh runs one refresh of a role with the given config attributes.
func refresh(t testing.TB, r shared.Refresher, attrs map[string]string) (shared.Credentials, error) {
	t.Helper()
	return sourcetest.Refresh(context.Background(), r, shared.RefreshRequest{Role: "app", Config: sourcetest.ConfigJSON(t, attrs)})
}

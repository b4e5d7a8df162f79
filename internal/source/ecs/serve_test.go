package ecs_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/endpoint"
	"github.com/brs-go/brs/internal/source/ecs"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
	"github.com/brs-go/brs/shared"
)

// staticSource hands out fixed credentials, in-process.
type staticSource struct{ expires time.Time }

func (staticSource) Schema(context.Context, *shared.SchemaRequest) (*shared.SchemaResponse, error) {
	return &shared.SchemaResponse{Schema: shared.Schema{Description: "Fixed credentials for a test."}}, nil
}

func (staticSource) Validate(context.Context, *shared.ValidateRequest) (*shared.ValidateResponse, error) {
	return &shared.ValidateResponse{}, nil
}

func (s staticSource) Refresh(context.Context, *shared.RefreshRequest) (*shared.RefreshResponse, error) {
	return &shared.RefreshResponse{Credentials: shared.Credentials{AccessKeyID: "ASIASERVEDBYBRS00001", SecretAccessKey: "served-secret", SessionToken: "served-token",
		Expires: s.expires, AccountID: "111122223333", ARN: "arn:aws:sts::111122223333:assumed-role/analytics/brs"}}, nil
}

// TestReadsBrsServe checks that the source reads what brs's own credentials endpoint
// (internal/endpoint, behind `brs serve` and `brs exec`) serves, and how it reports
// that endpoint's refusals.
func TestReadsBrsServe(t *testing.T) {
	path := filepath.Join(t.TempDir(), "brs.hcl")
	if err := os.WriteFile(path, []byte(`role "analytics" { source = "static" }`), 0o600); err != nil {
		t.Fatal(err)
	}
	expires := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	h, err := host.Load(context.Background(), path, host.WithRefresher("static", staticSource{expires: expires}))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	token, err := endpoint.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	handler, err := endpoint.NewHandler(h, token, []string{"analytics"})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := endpoint.Start("127.0.0.1:0", handler)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown(context.Background())

	creds, err := refresh(t, ecs.New(), map[string]string{"uri": srv.RoleURL("analytics"), "token": token})
	if err != nil {
		t.Fatalf("Refresh from brs's endpoint: %v", err)
	}
	if creds.AccessKeyID != "ASIASERVEDBYBRS00001" || creds.SecretAccessKey != "served-secret" || creds.SessionToken != "served-token" ||
		creds.AccountID != "111122223333" || creds.ARN != "arn:aws:sts::111122223333:assumed-role/analytics/brs" {
		t.Errorf("got %v, want the served credentials with their account and ARN", creds)
	}
	// The endpoint reports the start of the mandatory window (1m by default) as the
	// expiry, so that a reader comes back before the credentials stop working.
	if !creds.Expires.Before(expires) || creds.Expires.Before(expires.Add(-2*time.Minute)) {
		t.Errorf("Expires = %v, want shortly before the real expiry %v", creds.Expires, expires)
	}

	_, err = refresh(t, ecs.New(), map[string]string{"uri": srv.RoleURL("analytics")})
	sourcetest.WantError(t, err, "MissingToken", false, "HTTP 401", "set token or token_file")
	_, err = refresh(t, ecs.New(), map[string]string{"uri": srv.RoleURL("analytics"), "token": "not-the-token"})
	sourcetest.WantError(t, err, "InvalidToken", false, "HTTP 403")
	_, err = refresh(t, ecs.New(), map[string]string{"uri": srv.RoleURL("other"), "token": token})
	sourcetest.WantError(t, err, "UnknownRole", false, "HTTP 404", "the role's path")
}

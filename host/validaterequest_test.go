package host_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/shared"
)

// validateRecorder is a refresher that records the ValidateRequests it gets.
type validateRecorder struct {
	mu  sync.Mutex
	got map[string]shared.ValidateRequest
}

func (v *validateRecorder) Schema(context.Context, *shared.SchemaRequest) (*shared.SchemaResponse, error) {
	return &shared.SchemaResponse{Schema: shared.Schema{Description: "records validation"}}, nil
}

func (v *validateRecorder) Validate(_ context.Context, req *shared.ValidateRequest) (*shared.ValidateResponse, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.got[req.Role] = *req
	return &shared.ValidateResponse{}, nil
}

func (v *validateRecorder) Refresh(context.Context, *shared.RefreshRequest) (*shared.RefreshResponse, error) {
	return nil, shared.Permanent("Unused", "not refreshed here")
}

// TestValidateRequestCarriesRole: the host sends each role's region, endpoint, whether
// it has a source_role and its refresh timeout (the role's, else the host's) with
// ValidateConfig (contract 1.1).
func TestValidateRequestCarriesRole(t *testing.T) {
	v := &validateRecorder{got: map[string]shared.ValidateRequest{}}
	load(t, `role "base" {
  source = "rec"
}
role "app" {
  source      = "rec"
  source_role = "base"
  region      = "eu-west-1"
  endpoint    = "http://sts.test:9000"
  refresh {
    timeout = "7s"
  }
}`, host.WithRefresher("rec", v), host.WithRefreshTimeout(42*time.Second))
	app, base := v.got["app"], v.got["base"]
	if app.Region != "eu-west-1" || app.Endpoint != "http://sts.test:9000" || !app.HasSourceRole || app.RefreshTimeout != 7*time.Second {
		t.Errorf("app: %v", app)
	}
	if base.Region != "" || base.Endpoint != "" || base.HasSourceRole || base.RefreshTimeout != 42*time.Second {
		t.Errorf("base: %v", base)
	}
}

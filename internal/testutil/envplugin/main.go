// Command envplugin is a refresher plugin for tests of the environment a host gives
// its plugins: a real subprocess, served with the public plugin SDK, whose
// credentials tell what it sees. Its access key id reads ENVPID<pid>N<n>, so that a
// test knows which process served it, and its session token lists the variables its
// role's config block names, as NAME=value, or NAME:unset, joined by ";". It mints
// credentials itself: it is a fake source, used where no AWS call is under test.
package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/brs-go/brs/plugin"
	"github.com/brs-go/brs/shared"
)

type config struct {
	Names []string `json:"names"`
}

type refresher struct{ n atomic.Int64 }

func (*refresher) Schema(context.Context, *shared.SchemaRequest) (*shared.SchemaResponse, error) {
	return &shared.SchemaResponse{Schema: shared.Schema{
		Description: "Test source whose credentials tell the values of environment variables it sees.",
		Attributes: []shared.Attribute{
			{Name: "names", Type: shared.TypeStringList, Required: true, Description: "The variables to report in the session token."},
		},
	}, Environment: []string{"BRS_T_*"}}, nil
}

func (*refresher) Validate(context.Context, *shared.ValidateRequest) (*shared.ValidateResponse, error) {
	return &shared.ValidateResponse{}, nil
}

func (r *refresher) Refresh(_ context.Context, req *shared.RefreshRequest) (*shared.RefreshResponse, error) {
	var c config
	if err := req.Config.Decode(&c); err != nil {
		return nil, shared.Permanent("InvalidConfig", "%v", err)
	}
	seen := make([]string, 0, len(c.Names))
	for _, name := range c.Names {
		if v, ok := os.LookupEnv(name); ok {
			seen = append(seen, name+"="+v)
		} else {
			seen = append(seen, name+":unset")
		}
	}
	n := r.n.Add(1)
	return &shared.RefreshResponse{Credentials: shared.Credentials{
		AccessKeyID:     fmt.Sprintf("ENVPID%dN%d", os.Getpid(), n),
		SecretAccessKey: fmt.Sprintf("env-secret-%d-%d", os.Getpid(), n),
		SessionToken:    strings.Join(seen, ";"),
		Expires:         time.Now().Add(time.Hour),
	}}, nil
}

func main() {
	plugin.Serve(&plugin.ServeOpts{Name: "env", Version: "0.0.1-test", Refresher: &refresher{}})
}

package host_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/plugin"
	"github.com/brs-go/brs/shared"
)

// debugged is a refresher served in debug mode inside the test process, as a plugin
// author's would be in a debugger; it counts the refreshes that reach it.
type debugged struct{ refreshes atomic.Int64 }

func (*debugged) Schema(context.Context, *shared.SchemaRequest) (*shared.SchemaResponse, error) {
	return &shared.SchemaResponse{Schema: shared.Schema{Description: "served in debug mode", Attributes: []shared.Attribute{
		{Name: "greeting", Type: shared.TypeString, Description: "anything"},
	}}}, nil
}

func (*debugged) Validate(context.Context, *shared.ValidateRequest) (*shared.ValidateResponse, error) {
	return &shared.ValidateResponse{}, nil
}

func (d *debugged) Refresh(_ context.Context, req *shared.RefreshRequest) (*shared.RefreshResponse, error) {
	d.refreshes.Add(1)
	return &shared.RefreshResponse{Credentials: shared.Credentials{AccessKeyID: "ASIADEBUGGED" + req.Role, SecretAccessKey: "debug-secret",
		Expires: time.Now().Add(time.Hour)}}, nil
}

// TestReattachDebugPlugin: a plugin served in debug mode (plugin.DebugServe, what
// $BRS_PLUGIN_DEBUG does for a binary started by hand) gives the reattach value; a
// host run with it in $BRS_REATTACH_PLUGINS attaches to that plugin instead of
// running the plugin block's command (here one that is no plugin at all), and leaves
// it running when it closes.
func TestReattachDebugPlugin(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d := &debugged{}
	reattach, closed, err := plugin.DebugServe(ctx, &plugin.ServeOpts{Name: "dbg", Version: "9.9.9", Refresher: d})
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("BRS_REATTACH_PLUGINS", reattach)
	h, err := host.Load(ctx, writeHCL(t, `
plugin "dbg" {
  command = "/bin/false"
}
role "one" {
  source = "dbg"
  config {
    greeting = "hello"
  }
}
`))
	if err != nil {
		t.Fatalf("Load with the debug plugin attached: %v", err)
	}
	creds, err := h.Credentials(ctx, "one")
	if err != nil || creds.AccessKeyID != "ASIADEBUGGEDone" || d.refreshes.Load() != 1 {
		t.Fatalf("credentials %v, %v after %d refreshes in the debugged plugin", creds, err, d.refreshes.Load())
	}
	ps := h.Plugins()
	if len(ps) != 1 || ps[0].PluginName != "dbg" || ps[0].PluginVersion != "9.9.9" || ps[0].ProtocolVersion != 2 {
		t.Errorf("Plugins() = %+v", ps)
	}
	h.Close()
	select {
	case <-closed:
		t.Fatal("closing the host stopped the debugged plugin")
	default:
	}
	cancel()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("the debug server did not stop when its context was cancelled")
	}
}

package host_test

import (
	"context"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/plugin"
	"github.com/brs-go/brs/shared"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
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
	var logs logBuffer
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
`), host.WithLogger(newLogger(&logs)))
	if err != nil {
		t.Fatalf("Load with the debug plugin attached: %v", err)
	}
	if !strings.Contains(logs.String(), `[WARN]  brs.plugin: REATTACHED: source "dbg" is served by a process started by hand`) {
		t.Errorf("attaching was not logged at warn level:\n%s", logs.String())
	}
	creds, err := h.Credentials(ctx, "one")
	if err != nil || creds.AccessKeyID != "ASIADEBUGGEDone" || d.refreshes.Load() != 1 {
		t.Fatalf("credentials %v, %v after %d refreshes in the debugged plugin", creds, err, d.refreshes.Load())
	}
	ps := h.Plugins()
	// The pid is the kernel's word for the peer: this test process serves the plugin.
	if len(ps) != 1 || ps[0].PluginName != "dbg" || ps[0].PluginVersion != "9.9.9" || ps[0].ProtocolVersion != 2 ||
		!ps[0].Reattached || ps[0].PID != os.Getpid() {
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

// paused is a refresher whose Refresh waits, as a plugin stopped at a breakpoint
// does, until release is closed; it ignores its context, as a paused process would.
type paused struct {
	debugged
	release chan struct{}
}

func (p *paused) Refresh(ctx context.Context, req *shared.RefreshRequest) (*shared.RefreshResponse, error) {
	<-p.release
	return p.debugged.Refresh(ctx, req)
}

// TestReattachPausedPlugin: a reattached plugin that does not answer within the
// refresh timeout (paused in a debugger) fails that refresh with an error that says it
// stays attached, is neither reported killed nor attached anew (no handshake to wait
// for on each refresh), and answers the next refresh once it runs again.
func TestReattachPausedPlugin(t *testing.T) {
	ctx := context.Background()
	d := &paused{release: make(chan struct{})}
	serveDebug(t, d)
	var logs logBuffer
	h := load(t, `
plugin "dbg" {
  command = "/bin/false"
}
role "one" {
  source = "dbg"
  config {
    greeting = "hello"
  }
}
`, host.WithRefreshTimeout(2*time.Second), host.WithLogger(newLogger(&logs)))
	err := h.Refresh(ctx, "one")
	if err == nil || !strings.Contains(err.Error(), "stays attached") || strings.Contains(err.Error(), "killed") {
		t.Fatalf("refresh of a paused plugin: %v; want a timeout that says it stays attached", err)
	}
	ps := h.Plugins()
	if len(ps) != 1 || ps[0].Starts != 1 || ps[0].PID != os.Getpid() || !ps[0].Reattached {
		t.Fatalf("after the timeout, Plugins() = %+v; want the one attachment, pid %d", ps, os.Getpid())
	}
	close(d.release) // the author continues in the debugger
	if err := h.Refresh(ctx, "one"); err != nil {
		t.Fatalf("refresh once the plugin runs again: %v", err)
	}
	if ps := h.Plugins(); ps[0].Starts != 1 {
		t.Errorf("the host attached %d times; want once", ps[0].Starts)
	}
	if strings.Contains(logs.String(), "starting a new one") {
		t.Errorf("the log reports a new process for a reattached plugin:\n%s", logs.String())
	}
}

// timerLate is a context whose deadline has passed while its timer has not fired
// yet, as on a busy machine when the plugin's gRPC server, which keeps the same
// deadline, ends the call first.
type timerLate struct{ context.Context }

func (timerLate) Deadline() (time.Time, bool) { return time.Now().Add(-time.Millisecond), true }

// TestServerEndsTheCallFirst: a call that the plugin's server ended at the deadline
// (RST_STREAM, DeadlineExceeded) before the host's own timer fired is a timeout like
// any other: a reattached plugin stays attached, a started one is killed once, and
// neither is retried on a new process (CI saw a reattached plugin attached twice).
func TestServerEndsTheCallFirst(t *testing.T) {
	late := timerLate{context.Background()}
	ended := func(shared.Refresher) error {
		return status.Error(codes.DeadlineExceeded, "stream terminated by RST_STREAM with error code: CANCEL")
	}
	t.Run("reattached", func(t *testing.T) {
		serveDebug(t, &debugged{})
		var logs logBuffer
		h := load(t, `
plugin "dbg" {
  command = "/bin/false"
}
role "one" {
  source = "dbg"
}
`, host.WithLogger(newLogger(&logs)))
		err := host.CallPlugin(late, h, "dbg", ended)
		if err == nil || !strings.Contains(err.Error(), "stays attached") {
			t.Fatalf("call ended by the server at the deadline: %v; want a timeout that says it stays attached", err)
		}
		if ps := h.Plugins(); len(ps) != 1 || ps[0].Starts != 1 {
			t.Fatalf("Plugins() = %+v; want one attachment", ps)
		}
		if strings.Contains(logs.String(), "retrying") {
			t.Errorf("the timed-out call was retried:\n%s", logs.String())
		}
	})
	t.Run("started", func(t *testing.T) {
		var logs logBuffer
		h := load(t, `
plugin "test" {
  command = "{{test}}"
}
role "one" {
  source = "test"
}
`, host.WithLogger(newLogger(&logs)))
		err := host.CallPlugin(late, h, "test", ended)
		if err == nil || !strings.Contains(err.Error(), "did not answer in time") || !strings.Contains(err.Error(), "killed") {
			t.Fatalf("call ended by the server at the deadline: %v; want a timeout that says the process was killed", err)
		}
		if ps := h.Plugins(); len(ps) != 1 || ps[0].Starts != 1 || ps[0].PID != 0 {
			t.Fatalf("Plugins() = %+v; want the one process, killed and not replaced", ps)
		}
		if strings.Contains(logs.String(), "retrying") {
			t.Errorf("the timed-out call was retried:\n%s", logs.String())
		}
	})
}

// serveDebug serves r as plugin "dbg" in debug mode inside the test process until
// the test ends, and points $BRS_REATTACH_PLUGINS at it.
func serveDebug(t *testing.T, r shared.Refresher) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	reattach, closed, err := plugin.DebugServe(ctx, &plugin.ServeOpts{Name: "dbg", Version: "9.9.9", Refresher: r})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); <-closed })
	t.Setenv("BRS_REATTACH_PLUGINS", reattach)
}

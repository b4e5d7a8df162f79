package plugin_test

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	"github.com/brs-go/brs/internal/pluginrpc"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/shared"
)

const testPluginPkg = "github.com/brs-go/brs/internal/testutil/testplugin"

// dispense connects c and returns the refresher it serves.
func dispense(t *testing.T, c *goplugin.Client) *pluginrpc.Client {
	t.Helper()
	rpc, err := c.Client()
	if err != nil {
		t.Fatalf("connecting: %v", err)
	}
	raw, err := rpc.Dispense(pluginrpc.PluginName)
	if err != nil {
		t.Fatalf("dispense: %v", err)
	}
	return raw.(*pluginrpc.Client)
}

// TestServesProtocol1ToOldHosts: a plugin built with this SDK, started by a host that
// speaks only protocol 1 (as every host before contract 1.0 does), serves it.
func TestServesProtocol1ToOldHosts(t *testing.T) {
	c := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  pluginrpc.Handshake,
		VersionedPlugins: map[int]goplugin.PluginSet{pluginrpc.Protocol1: pluginrpc.VersionedPlugins(nil, pluginrpc.Info{})[pluginrpc.Protocol1]},
		Cmd:              exec.Command(plugintestbin.Build(t, testPluginPkg)),
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		AutoMTLS:         true,
	})
	t.Cleanup(c.Kill)
	r := dispense(t, c)
	if v := c.NegotiatedVersion(); v != pluginrpc.Protocol1 {
		t.Fatalf("negotiated protocol %d, want 1", v)
	}
	ctx := context.Background()
	info, err := r.Info(ctx)
	if err != nil || info != (pluginrpc.Info{Protocol: 1}) {
		t.Errorf("Info = %+v, %v; want protocol 1 and no name (protocol 1 cannot carry it)", info, err)
	}
	resp, err := r.Refresh(ctx, &shared.RefreshRequest{Role: "old-host", Config: shared.Config(`{}`)})
	if err != nil || resp.Credentials.AccessKeyID == "" {
		t.Fatalf("Refresh over protocol 1: %v, %v", resp, err)
	}
}

// TestDebugModeFromEnvironment: the plugin binary started by hand with
// $BRS_PLUGIN_DEBUG prints a BRS_REATTACH_PLUGINS line; a client attaches with it and
// gets the plugin's name and version over protocol 2; SIGINT stops the plugin.
func TestDebugModeFromEnvironment(t *testing.T) {
	cmd := exec.Command(plugintestbin.Build(t, testPluginPkg))
	cmd.Env = append(os.Environ(), pluginrpc.EnvDebug+"=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	exited := make(chan error, 1)
	lines := bufio.NewScanner(stdout)
	var value string
	for value == "" && lines.Scan() {
		if v, ok := strings.CutPrefix(strings.TrimSpace(lines.Text()), pluginrpc.EnvReattach+"='"); ok {
			value = strings.TrimSuffix(v, "'")
		}
	}
	go func() {
		for lines.Scan() {
		}
		exited <- cmd.Wait()
	}()
	m, err := pluginrpc.ParseReattach(value)
	if err != nil || m["test"].Pid != cmd.Process.Pid {
		t.Fatalf("reattach line %q: %v", value, err)
	}
	a, err := m["test"].Attach(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Release()
	rc := a.Config
	c := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  pluginrpc.Handshake,
		Plugins:          pluginrpc.VersionedPlugins(nil, pluginrpc.Info{})[rc.ProtocolVersion],
		Reattach:         rc,
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		GRPCDialOptions:  []grpc.DialOption{a.DialOption()},
	})
	info, err := dispense(t, c).Info(context.Background())
	c.Kill()
	if err != nil || info != (pluginrpc.Info{Name: "test", Version: "0.0.1-test", Protocol: 2}) {
		t.Errorf("Info = %+v, %v", info, err)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		t.Fatal("the plugin in debug mode did not stop on SIGINT")
	}
}

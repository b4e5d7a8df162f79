package sts_test

import (
	"context"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"

	"github.com/brs-go/brs/internal/pluginrpc"
	"github.com/brs-go/brs/internal/testutil/miniotest"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
	"github.com/brs-go/brs/shared"
)

// TestRefreshThroughPluginProcess runs the real brs-plugin-sts binary as a go-plugin
// subprocess, as the host does, and refreshes at MinIO through it.
func TestRefreshThroughPluginProcess(t *testing.T) {
	srv := startMinIO(t)
	bin := plugintestbin.Build(t, "github.com/brs-go/brs/cmd/brs-plugin-sts")

	// The plugin's log lines arrive on its real stderr and go to Logger; what it writes
	// to os.Stderr while serving (the MFA command's stderr among it) is carried over
	// go-plugin's stdio stream to SyncStderr, which discards it unless set.
	logs, stderr := &sourcetest.SyncBuffer{}, &sourcetest.SyncBuffer{}
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  pluginrpc.Handshake,
		VersionedPlugins: pluginrpc.VersionedPlugins(nil, pluginrpc.Info{}),
		Cmd:              exec.Command(bin),
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		AutoMTLS:         true,
		StartTimeout:     30 * time.Second,
		Logger:           hclog.New(&hclog.LoggerOptions{Name: "host", Output: logs, Level: hclog.Trace}),
		SyncStderr:       stderr,
	})
	t.Cleanup(client.Kill)
	rpc, err := client.Client()
	if err != nil {
		t.Fatalf("starting the plugin: %v\n%s", err, logs)
	}
	raw, err := rpc.Dispense(pluginrpc.PluginName)
	if err != nil {
		t.Fatalf("Dispense: %v", err)
	}
	r := raw.(shared.Refresher)

	checkRefreshes(t, srv, r)

	// The MFA command's stdout must not reach go-plugin's stdout channel (that would
	// break the connection) and its stderr must reach the host.
	mfaCfg := `{"role_arn": "arn:aws:iam::111122223333:role/brs-test",
		"mfa_serial": "arn:aws:iam::111122223333:mfa/alice",
		"mfa_token_command": "echo 'touch your key' >&2; echo 'code: 123456'"}`
	creds, err := sourcetest.Refresh(context.Background(), r, minioRequest(srv, mfaCfg))
	if err != nil {
		t.Fatalf("Refresh with MFA through the plugin: %v", err)
	}
	listBuckets(t, srv, creds)

	// A permanent error crosses the process boundary as a *shared.Error.
	req := minioRequest(srv, minimalConfig)
	req.Source.SecretAccessKey = "not-the-root-secret-0123456789"
	_, err = sourcetest.Refresh(context.Background(), r, req)
	permanentError(t, err, "AccessDenied")

	client.Kill()
	if !client.Exited() {
		t.Errorf("the plugin process is still running after Kill")
	}
	if got := stderr.String(); got != "touch your key\n" {
		t.Errorf("the plugin's stderr as the host received it = %q, want the MFA command's stderr", got)
	}
	all := logs.String() + stderr.String()
	for _, secret := range []string{miniotest.RootPassword, creds.SecretAccessKey, creds.SessionToken, "not-the-root-secret-0123456789"} {
		if strings.Contains(all, secret) {
			t.Errorf("the host's log or the plugin's stderr contains the secret %q:\n%s", secret, all)
		}
	}
	if regexp.MustCompile(`\b123456\b`).MatchString(all) {
		t.Errorf("the host's log or the plugin's stderr contains the MFA code:\n%s", all)
	}
}

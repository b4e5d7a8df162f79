package pluginrpc

import (
	"context"
	"runtime"
	"strings"
	"testing"
)

// TestAttachRefusesTCP: a TCP address cannot be tied to a user, so it is refused (on
// Windows, where debug plugins listen on TCP, only loopback is accepted); nothing is
// dialled.
func TestAttachRefusesTCP(t *testing.T) {
	cases := map[string]string{
		"192.0.2.1:1234": "not a loopback address",
		"[::1]:1":        "cannot tie to a user",
		"127.0.0.1:1":    "cannot tie to a user",
	}
	for addr, want := range cases {
		if runtime.GOOS == "windows" && want == "cannot tie to a user" {
			continue
		}
		r := Reattach{Protocol: "grpc", ProtocolVersion: ProtocolVersion, Pid: 1, Addr: ReattachAddr{Network: "tcp", String: addr}}
		_, err := r.Attach(context.Background())
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Attach(tcp %s) = %v, want an error saying %q", addr, err, want)
		}
	}
}

package iot_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/brs-go/brs/internal/source/iot"
	"github.com/brs-go/brs/plugin/plugintest"
	"github.com/brs-go/brs/shared"
)

// TestConformance runs the plugin author's conformance suite.
func TestConformance(t *testing.T) {
	plugintest.Conformance(t, iot.New(), plugintest.ConformanceOpts{
		ValidConfig: shared.Config(`{"endpoint": "c2sbrzohfnbcau.credentials.iot.us-east-1.amazonaws.com", "role_alias": "brs-device-role",
			"thing_name": "sensor-42", "cert": "/nonexistent/device.pem.crt", "key": "/nonexistent/device.pem.key"}`),
		InvalidConfigs: []shared.Config{shared.Config(`{"endpoint": "https://[::1", "role_alias": "r", "cert": "/c", "key": "/k"}`)},
		// A device whose certificate loads, so that the source dials the endpoint: the
		// hanging server, which never answers the TLS handshake.
		HangingConfig: func(url string) shared.Config {
			d := newDevice(t)
			attrs := with(d.attrs(), "endpoint", strings.TrimPrefix(url, "http://"))
			b, err := json.Marshal(attrs)
			if err != nil {
				t.Fatal(err)
			}
			return shared.Config(b)
		},
	})
}

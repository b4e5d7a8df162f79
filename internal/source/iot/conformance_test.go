package iot_test

import (
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
	})
}

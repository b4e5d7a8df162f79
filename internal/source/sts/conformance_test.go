package sts_test

import (
	"testing"

	"github.com/brs-go/brs/internal/source/sts"
	"github.com/brs-go/brs/internal/testutil/miniotest"
	"github.com/brs-go/brs/plugin/plugintest"
	"github.com/brs-go/brs/shared"
)

// TestConformance runs the plugin author's conformance suite; the credentials check
// assumes a role on MinIO.
func TestConformance(t *testing.T) {
	srv := startMinIO(t)
	req := minioRequest(srv, `{"role_arn": "arn:aws:iam::111122223333:role/brs-test"}`)
	plugintest.Conformance(t, sts.New(), plugintest.ConformanceOpts{
		ValidConfig:    shared.Config(fullConfig),
		InvalidConfigs: []shared.Config{shared.Config(`{"role_arn": "analytics"}`), shared.Config(`{"role_arn": "arn:aws:iam::111122223333:role/r", "duration": "1 hour"}`)},
		Refresh:        &req,
		Secrets:        []string{miniotest.RootPassword},
	})
}

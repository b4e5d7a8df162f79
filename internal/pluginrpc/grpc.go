package pluginrpc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	refresherv1 "github.com/brs-go/brs/internal/pluginrpc/internal/proto/v1"
	refresherv2 "github.com/brs-go/brs/internal/pluginrpc/internal/proto/v2"
	"github.com/brs-go/brs/shared"
)

// serverV1 serves a Refresher to the host over protocol 1.
type serverV1 struct {
	refresherv1.UnimplementedRefresherServer
	impl shared.Refresher
}

func (s *serverV1) GetSchema(ctx context.Context, _ *refresherv1.GetSchemaRequest) (*refresherv1.GetSchemaResponse, error) {
	resp, err := s.impl.Schema(ctx, &shared.SchemaRequest{})
	if err != nil {
		return nil, err
	}
	if resp == nil {
		return nil, errors.New("the refresher's Schema returned neither a response nor an error")
	}
	return schemaToProto(resp), nil
}

func (s *serverV1) ValidateConfig(ctx context.Context, req *refresherv1.ValidateConfigRequest) (*refresherv1.ValidateConfigResponse, error) {
	vreq := validateRequestFromProto(req)
	resp, err := s.impl.Validate(ctx, vreq)
	if err != nil {
		return nil, err
	}
	var ds shared.Diagnostics
	if resp != nil {
		ds = resp.Diagnostics
	}
	ds, err = s.withDurations(ctx, vreq.Config, ds)
	if err != nil {
		return nil, err
	}
	return &refresherv1.ValidateConfigResponse{Diagnostics: diagnosticsToProto(ds)}, nil
}

// withDurations adds to ds what shared.CheckDurations finds wrong with cfg's duration
// attributes, for a host too old to check them (contract 1.1 and before: a newer host
// refuses such a config before it asks the plugin), except about attributes that ds
// already holds an error about.
func (s *serverV1) withDurations(ctx context.Context, cfg shared.Config, ds shared.Diagnostics) (shared.Diagnostics, error) {
	sr, err := s.impl.Schema(ctx, &shared.SchemaRequest{})
	if err != nil || sr == nil {
		return ds, err
	}
	reported := map[string]bool{}
	for _, d := range ds {
		if d.Severity == shared.SeverityError {
			reported[d.Attribute] = true
		}
	}
	for _, d := range shared.CheckDurations(sr.Schema, cfg) {
		if !reported[d.Attribute] {
			ds = append(ds, d)
		}
	}
	return ds, nil
}

func (s *serverV1) Refresh(ctx context.Context, req *refresherv1.RefreshRequest) (*refresherv1.RefreshResponse, error) {
	r, err := requestFromProto(req)
	if err != nil {
		return &refresherv1.RefreshResponse{Error: errorToProto(shared.Permanent("InvalidRequest", "%v", err))}, nil
	}
	resp, err := s.impl.Refresh(ctx, r)
	if err != nil {
		return &refresherv1.RefreshResponse{Error: errorToProto(err)}, nil
	}
	if resp == nil {
		return &refresherv1.RefreshResponse{Error: errorToProto(shared.Permanent("InvalidResponse", "the refresher returned neither credentials nor an error"))}, nil
	}
	return &refresherv1.RefreshResponse{Credentials: credentialsToProto(&resp.Credentials)}, nil
}

// serverV2 serves a Refresher to the host over protocol 2: protocol 1's calls and
// GetPluginInfo.
type serverV2 struct {
	refresherv2.UnimplementedRefresherServer
	v1   *serverV1
	info Info
}

func (s *serverV2) GetPluginInfo(context.Context, *refresherv2.GetPluginInfoRequest) (*refresherv2.GetPluginInfoResponse, error) {
	return &refresherv2.GetPluginInfoResponse{Name: s.info.Name, Version: s.info.Version, SdkVersion: s.info.SDKVersion}, nil
}

func (s *serverV2) GetSchema(ctx context.Context, req *refresherv1.GetSchemaRequest) (*refresherv1.GetSchemaResponse, error) {
	return s.v1.GetSchema(ctx, req)
}

func (s *serverV2) ValidateConfig(ctx context.Context, req *refresherv1.ValidateConfigRequest) (*refresherv1.ValidateConfigResponse, error) {
	return s.v1.ValidateConfig(ctx, req)
}

func (s *serverV2) Refresh(ctx context.Context, req *refresherv1.RefreshRequest) (*refresherv1.RefreshResponse, error) {
	return s.v1.Refresh(ctx, req)
}

// rpcClient is the calls protocols 1 and 2 have in common.
type rpcClient interface {
	GetSchema(ctx context.Context, in *refresherv1.GetSchemaRequest, opts ...grpc.CallOption) (*refresherv1.GetSchemaResponse, error)
	ValidateConfig(ctx context.Context, in *refresherv1.ValidateConfigRequest, opts ...grpc.CallOption) (*refresherv1.ValidateConfigResponse, error)
	Refresh(ctx context.Context, in *refresherv1.RefreshRequest, opts ...grpc.CallOption) (*refresherv1.RefreshResponse, error)
}

// Client is the host's view of a plugin: a shared.Refresher whose calls cross the
// process boundary, bounded as package shared's limits say.
type Client struct {
	protocol int
	rpc      rpcClient
	v2       refresherv2.RefresherClient // nil under protocol 1
}

var _ shared.Refresher = (*Client)(nil)

// Info asks the plugin who it is. Under protocol 1 there is no such call, and only
// the protocol is known.
func (c *Client) Info(ctx context.Context) (Info, error) {
	info := Info{Protocol: c.protocol}
	if c.v2 == nil {
		return info, nil
	}
	resp, err := c.v2.GetPluginInfo(ctx, &refresherv2.GetPluginInfoRequest{})
	if err != nil {
		return info, wireError(err)
	}
	info.Name, info.Version = shared.Clean(resp.GetName(), shared.MaxSummaryLen), shared.Clean(resp.GetVersion(), shared.MaxSummaryLen)
	info.SDKVersion = shared.Clean(resp.GetSdkVersion(), shared.MaxSummaryLen)
	return info, nil
}

// Schema implements shared.Refresher.
func (c *Client) Schema(ctx context.Context, _ *shared.SchemaRequest) (*shared.SchemaResponse, error) {
	resp, err := c.rpc.GetSchema(ctx, &refresherv1.GetSchemaRequest{})
	if err != nil {
		return nil, wireError(err)
	}
	out := schemaFromProto(resp)
	// The environment decides which callers share this plugin: names the host could
	// not match are refused here, whatever the caller goes on to check.
	if err := shared.CheckEnvironment(out.Environment); err != nil {
		return nil, shared.Permanent("InvalidSchema", "the plugin declares an environment brs cannot use: %v", err)
	}
	return out, nil
}

// Validate implements shared.Refresher.
func (c *Client) Validate(ctx context.Context, req *shared.ValidateRequest) (*shared.ValidateResponse, error) {
	if len(req.Config) > 0 && !json.Valid(req.Config) {
		return nil, errors.New("config is not valid JSON")
	}
	resp, err := c.rpc.ValidateConfig(ctx, validateRequestToProto(req))
	if err != nil {
		return nil, wireError(err)
	}
	return &shared.ValidateResponse{Diagnostics: diagnosticsFromProto(resp.GetDiagnostics())}, nil
}

// Refresh implements shared.Refresher.
func (c *Client) Refresh(ctx context.Context, req *shared.RefreshRequest) (*shared.RefreshResponse, error) {
	resp, err := c.rpc.Refresh(ctx, requestToProto(req))
	if err != nil {
		return nil, wireError(err)
	}
	creds, err := refreshResult(resp, time.Now())
	if err != nil {
		return nil, err
	}
	return &shared.RefreshResponse{Credentials: creds}, nil
}

// refreshResult turns a RefreshResponse into credentials or the source's error,
// bounded: an error's code and message are cut and escaped, and credentials that
// shared.CheckCredentials refuses at now are an InvalidResponse error.
func refreshResult(resp *refresherv1.RefreshResponse, now time.Time) (shared.Credentials, error) {
	if e := resp.GetError(); e != nil {
		return shared.Credentials{}, errorFromProto(e)
	}
	creds, err := credentialsFromProto(resp.GetCredentials())
	if err != nil {
		return shared.Credentials{}, shared.Permanent("InvalidResponse", "plugin returned %v", err)
	}
	if creds == nil {
		return shared.Credentials{}, shared.Permanent("InvalidResponse", "plugin returned neither credentials nor an error")
	}
	if err := shared.CheckCredentials(*creds, now); err != nil {
		return shared.Credentials{}, shared.Permanent("InvalidResponse", "plugin returned credentials that cannot be used: %v", err)
	}
	return *creds, nil
}

// wireError is what the host makes of a failed call. An answer larger than
// shared.MaxMessageSize becomes a permanent InvalidResponse (the process is not to
// blame for a crash, and asking again brings the same answer); any other error keeps
// its gRPC status for the caller, with its text, which may come from the plugin, cut
// and escaped.
func wireError(err error) error {
	st, ok := status.FromError(err)
	if !ok {
		return err
	}
	if st.Code() == codes.ResourceExhausted && strings.Contains(st.Message(), fmt.Sprintf("vs. %d)", shared.MaxMessageSize)) {
		return shared.Permanent("InvalidResponse", "the plugin's answer is larger than the %d MiB the host accepts (%s)", shared.MaxMessageSize>>20, shared.Clean(st.Message(), shared.MaxSummaryLen))
	}
	if msg := shared.Clean(st.Message(), shared.MaxMessageLen); msg != st.Message() {
		return status.Error(st.Code(), msg)
	}
	return err
}

package shared

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/brs-go/brs/shared/internal/proto"
)

// grpcServer serves a Refresher to the host.
type grpcServer struct {
	proto.UnimplementedRefresherServer
	impl Refresher
}

func (s *grpcServer) GetSchema(ctx context.Context, _ *proto.GetSchemaRequest) (*proto.GetSchemaResponse, error) {
	sc, err := s.impl.Schema(ctx)
	if err != nil {
		return nil, err
	}
	return schemaToProto(sc), nil
}

func (s *grpcServer) ValidateConfig(ctx context.Context, req *proto.ValidateConfigRequest) (*proto.ValidateConfigResponse, error) {
	ds, err := s.impl.Validate(ctx, Config(req.GetConfigJson()))
	if err != nil {
		return nil, err
	}
	return &proto.ValidateConfigResponse{Diagnostics: diagnosticsToProto(ds)}, nil
}

func (s *grpcServer) Refresh(ctx context.Context, req *proto.RefreshRequest) (*proto.RefreshResponse, error) {
	r, err := requestFromProto(req)
	if err != nil {
		return &proto.RefreshResponse{Error: errorToProto(Permanent("InvalidRequest", "%v", err))}, nil
	}
	creds, err := s.impl.Refresh(ctx, r)
	if err != nil {
		return &proto.RefreshResponse{Error: errorToProto(err)}, nil
	}
	return &proto.RefreshResponse{Credentials: credentialsToProto(&creds)}, nil
}

// grpcClient is the host's view of a plugin: a Refresher whose calls cross the process
// boundary.
type grpcClient struct {
	client proto.RefresherClient
}

func (c *grpcClient) Schema(ctx context.Context) (Schema, error) {
	resp, err := c.client.GetSchema(ctx, &proto.GetSchemaRequest{})
	if err != nil {
		return Schema{}, err
	}
	s, err := schemaFromProto(resp)
	if err != nil {
		return Schema{}, fmt.Errorf("invalid schema from plugin: %w", err)
	}
	return s, nil
}

func (c *grpcClient) Validate(ctx context.Context, cfg Config) (Diagnostics, error) {
	if len(cfg) > 0 && !json.Valid(cfg) {
		return nil, errors.New("config is not valid JSON")
	}
	resp, err := c.client.ValidateConfig(ctx, &proto.ValidateConfigRequest{ConfigJson: cfg})
	if err != nil {
		return nil, err
	}
	return diagnosticsFromProto(resp.GetDiagnostics()), nil
}

func (c *grpcClient) Refresh(ctx context.Context, req Request) (Credentials, error) {
	resp, err := c.client.Refresh(ctx, requestToProto(req))
	if err != nil {
		return Credentials{}, err
	}
	return refreshResult(resp)
}

// refreshResult turns a RefreshResponse into credentials or the source's error.
func refreshResult(resp *proto.RefreshResponse) (Credentials, error) {
	if e := resp.GetError(); e != nil {
		return Credentials{}, &Error{Code: e.GetCode(), Message: e.GetMessage(), Retryable: e.GetRetryable()}
	}
	creds, err := credentialsFromProto(resp.GetCredentials())
	if err != nil {
		return Credentials{}, Permanent("InvalidResponse", "plugin returned %v", err)
	}
	if creds == nil {
		return Credentials{}, Permanent("InvalidResponse", "plugin returned neither credentials nor an error")
	}
	return *creds, nil
}

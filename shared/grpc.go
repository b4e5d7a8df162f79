package shared

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

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
		return Schema{}, wireError(err)
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
		return nil, wireError(err)
	}
	return diagnosticsFromProto(resp.GetDiagnostics()), nil
}

func (c *grpcClient) Refresh(ctx context.Context, req Request) (Credentials, error) {
	resp, err := c.client.Refresh(ctx, requestToProto(req))
	if err != nil {
		return Credentials{}, wireError(err)
	}
	return refreshResult(resp, time.Now())
}

// refreshResult turns a RefreshResponse into credentials or the source's error,
// bounded: an error's code and message are cut and escaped, and credentials that
// CheckCredentials refuses at now are an InvalidResponse error.
func refreshResult(resp *proto.RefreshResponse, now time.Time) (Credentials, error) {
	if e := resp.GetError(); e != nil {
		return Credentials{}, &Error{Code: clean(e.GetCode(), MaxSummaryLen), Message: clean(e.GetMessage(), MaxMessageLen), Retryable: e.GetRetryable()}
	}
	creds, err := credentialsFromProto(resp.GetCredentials())
	if err != nil {
		return Credentials{}, Permanent("InvalidResponse", "plugin returned %v", err)
	}
	if creds == nil {
		return Credentials{}, Permanent("InvalidResponse", "plugin returned neither credentials nor an error")
	}
	if err := CheckCredentials(*creds, now); err != nil {
		return Credentials{}, Permanent("InvalidResponse", "plugin returned credentials that cannot be used: %v", err)
	}
	return *creds, nil
}

// wireError is what the host makes of a failed call. An answer larger than
// MaxMessageSize becomes a permanent InvalidResponse (the process is not to blame for
// a crash, and asking again brings the same answer); any other error keeps its gRPC
// status for the caller, with its text, which may come from the plugin, cut and
// escaped.
func wireError(err error) error {
	st, ok := status.FromError(err)
	if !ok {
		return err
	}
	if st.Code() == codes.ResourceExhausted && strings.Contains(st.Message(), fmt.Sprintf("vs. %d)", MaxMessageSize)) {
		return Permanent("InvalidResponse", "the plugin's answer is larger than the %d MiB the host accepts (%s)", MaxMessageSize>>20, clean(st.Message(), MaxSummaryLen))
	}
	if msg := clean(st.Message(), MaxMessageLen); msg != st.Message() {
		return status.Error(st.Code(), msg)
	}
	return err
}

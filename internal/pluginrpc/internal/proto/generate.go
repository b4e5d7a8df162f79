// Package proto holds the generated protobuf and gRPC code of the refresher protocol,
// one package per protocol version (v1, v2). It is internal: the public contract is the
// hand-written Go API of package shared, and internal/pluginrpc converts.
package proto

// Regenerate with `go generate ./internal/pluginrpc/...` after installing the pinned
// generators (the generated code is committed; CI does not regenerate):
//   apt-get install protobuf-compiler   (protoc 3.21.12)
//   go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12
//   go install google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.6.2
//go:generate protoc -I . --go_out=. --go_opt=paths=source_relative --go-grpc_out=. --go-grpc_opt=paths=source_relative v1/refresher.proto v2/refresher.proto

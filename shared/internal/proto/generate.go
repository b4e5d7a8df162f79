// Package proto holds the generated protobuf and gRPC code of the refresher protocol.
// It is internal: the public contract is the hand-written Go API of package shared.
package proto

// Regenerate with `go generate ./shared/...` after installing the pinned generators:
//   apt-get install protobuf-compiler   (protoc 3.21.12)
//   go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12
//   go install google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.6.2
//go:generate protoc --go_out=. --go_opt=paths=source_relative --go-grpc_out=. --go-grpc_opt=paths=source_relative refresher.proto

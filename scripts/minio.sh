#!/usr/bin/env bash
# minio.sh — build, start and stop the MinIO server that brs's tests and demo use as a
# real STS-compatible endpoint on loopback.
#
#   scripts/minio.sh install        build MinIO from the Go module proxy if absent; print its path
#   scripts/minio.sh path           print the path of the binary (exit 1 if not built)
#
# Tests start and stop their own MinIO (internal/testutil/miniotest) from the binary this
# installs; the demo does the same. MinIO is AGPLv3: it is run as an external binary and
# never imported.
set -euo pipefail

# MinIO has no semver tags: pin a pseudo-version known to build here.
MINIO_VERSION="${MINIO_VERSION:-v0.0.0-20260212201848-7aac2a2c5b7c}"
BIN_DIR="${BRS_MINIO_DIR:-$(go env GOPATH)/bin}"
BIN="$BIN_DIR/minio"

case "${1:-install}" in
  install)
    if [ -x "$BIN" ]; then echo "$BIN"; exit 0; fi
    echo "building MinIO $MINIO_VERSION into $BIN_DIR (first time only, ~3 min)..." >&2
    mkdir -p "$BIN_DIR"
    GOBIN="$BIN_DIR" GOFLAGS=-buildvcs=false go install -ldflags='-s -w' "github.com/minio/minio@$MINIO_VERSION" >&2
    echo "$BIN"
    ;;
  path)
    [ -x "$BIN" ] || { echo "MinIO is not built: run scripts/minio.sh install" >&2; exit 1; }
    echo "$BIN"
    ;;
  *)
    echo "usage: $0 install|path" >&2; exit 2 ;;
esac

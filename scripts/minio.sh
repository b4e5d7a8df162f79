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
    echo "building the MinIO test server $MINIO_VERSION into $BIN_DIR" >&2
    echo "  first time only: ~5 min and ~1.5 GB of memory on a 2-core machine; progress every 15s" >&2
    mkdir -p "$BIN_DIR"
    # go install -v names each package as it is compiled: count them for a progress line.
    start=$SECONDS
    GOBIN="$BIN_DIR" GOFLAGS=-buildvcs=false go install -v -ldflags='-s -w' "github.com/minio/minio@$MINIO_VERSION" 2>&1 |
      { n=0; last=$SECONDS
        while IFS= read -r line; do
          case "$line" in
            go:\ downloading*) ;;                      # module downloads: counted below too
            *[[:space:]]*) echo "  $line" >&2; continue ;; # an error or warning: show it whole
          esac
          n=$((n + 1))
          if (( SECONDS - last >= 15 )); then
            last=$SECONDS
            echo "  MinIO: $n packages fetched or compiled, $((SECONDS - start))s elapsed" >&2
          fi
        done; } || { echo "MinIO build failed (output above)" >&2; exit 1; }
    echo "  MinIO built in $((SECONDS - start))s" >&2
    echo "$BIN"
    ;;
  path)
    [ -x "$BIN" ] || { echo "MinIO is not built: run scripts/minio.sh install" >&2; exit 1; }
    echo "$BIN"
    ;;
  *)
    echo "usage: $0 install|path" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# aws-signing-helper.sh — build AWS's IAM Roles Anywhere credential helper
# (aws_signing_helper), the reference client the roles_anywhere tests check the fake
# against (internal/source/rolesanywhere, TestReferenceHelperAgainstFake).
#
#   scripts/aws-signing-helper.sh install   build it if absent (cgo, ~1 min); print its path
#
# v1.4.0 is the only version on the Go module proxy. It is built from the proxy with
# go install (its module has no replace directives) and installed as aws_signing_helper
# in GOBIN, which must be on PATH for the test to find it. It is never imported.
set -euo pipefail

VERSION="${AWS_SIGNING_HELPER_VERSION:-v1.4.0}"
BIN_DIR="${GOBIN:-$(go env GOPATH)/bin}"
BIN="$BIN_DIR/aws_signing_helper"

case "${1:-install}" in
  install)
    if [ -x "$BIN" ]; then echo "$BIN"; exit 0; fi
    command -v gcc >/dev/null || { echo "aws_signing_helper needs cgo: apt-get install gcc" >&2; exit 1; }
    echo "building aws_signing_helper $VERSION into $BIN_DIR" >&2
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    GOBIN="$tmp" CGO_ENABLED=1 GOFLAGS=-buildvcs=false go install "github.com/aws/rolesanywhere-credential-helper@$VERSION"
    mkdir -p "$BIN_DIR"
    mv "$tmp/rolesanywhere-credential-helper" "$BIN"
    echo "$BIN"
    ;;
  *)
    echo "usage: $0 install" >&2; exit 2 ;;
esac

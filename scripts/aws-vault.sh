#!/usr/bin/env bash
# aws-vault.sh — build aws-vault, the credential helper that issue 15 §3 measures brs's
# warm-agent client against (cmd/brs, BenchmarkCredentialProcessVsAWSVault).
#
#   scripts/aws-vault.sh install   build it if absent (~2 min on 2 cores); print its path
#   scripts/aws-vault.sh path      print its path (exit 1 if not built)
#
# The pinned release, v7.2.0, is built unmodified from the Go module proxy, in a throwaway
# module that requires only it (`go install pkg@version` fails here: it asks the proxy for
# the module's version list, which this proxy refuses), so minimal version selection keeps
# exactly its own go.mod's dependencies (aws-sdk-go-v2 v1.17.5, sts v1.18.5, keyring
# v1.2.2, jose2go v1.5.0). The version is stamped as its Makefile does. CGO is off: on Linux
# its keyring backends (file, secret-service over D-Bus, pass) are pure Go; the benchmark
# uses the file backend. It goes to a cache directory, not to PATH, and is never imported.
#
# aws-vault builds its aws.Config by hand, so no SDK version of it reads an endpoint
# override (AWS_ENDPOINT_URL_STS, endpoint_url): the benchmark reaches MinIO through an
# HTTPS_PROXY on loopback that answers for sts.*.amazonaws.com with a test CA
# (SSL_CERT_FILE). See the benchmark's doc comment.
set -euo pipefail

VERSION="${AWS_VAULT_VERSION:-v7.2.0}"
DIR="${XDG_CACHE_HOME:-$HOME/.cache}/brs/aws-vault-$VERSION"
BIN="$DIR/aws-vault"

case "${1:-install}" in
  install)
    if [ -x "$BIN" ]; then echo "$BIN"; exit 0; fi
    echo "building aws-vault $VERSION into $DIR" >&2
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    (
      cd "$tmp"
      go mod init awsvaultbuild >/dev/null 2>&1
      go get "github.com/99designs/aws-vault/v7@$VERSION" 2>&1 | grep -v "^go: added" >&2 || true
      CGO_ENABLED=0 GOFLAGS=-buildvcs=false \
        go build -trimpath -ldflags="-X main.Version=$VERSION" -o aws-vault github.com/99designs/aws-vault/v7
    )
    mkdir -p "$DIR"
    mv "$tmp/aws-vault" "$BIN"
    echo "$BIN"
    ;;
  path)
    [ -x "$BIN" ] || { echo "aws-vault $VERSION is not built: run $0 install" >&2; exit 1; }
    echo "$BIN"
    ;;
  *)
    echo "usage: $0 install|path" >&2; exit 2 ;;
esac

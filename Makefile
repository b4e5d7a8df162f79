# brs — the two commands a newcomer runs: `make demo` and `make test`.
GO ?= go

.PHONY: demo test check build minio bench soak

## demo: build brs, start a local MinIO (STS + S3) and watch a role's credentials being
## used, refreshed in the background and used again.
demo: minio
	$(GO) build -o bin/ ./cmd/...
	$(GO) run ./examples/demo -plugin-dir bin

## test: every test, with the race detector, against a real MinIO; examples/plugin is a
## module of its own (the template a plugin author copies), so its tests run from there,
## even when the main module's fail (make reports both). Tests that need a tool README
## does not install (fish, zsh, the AWS CLI, boto3) skip and say what to install;
## BRS_REQUIRE_TOOLS=1 (as in .ci/run) makes them fail instead.
test: minio
	@status=0; \
	$(GO) test -race -count=1 -timeout 30m ./... || { status=$$?; echo "make test: the main module's tests failed" >&2; }; \
	(cd examples/plugin && $(GO) test -race -count=1 ./...) || { status=$$?; echo "make test: the tests of examples/plugin failed" >&2; }; \
	exit $$status

## soak: the chaos test for 30s instead of the 5s that `make test` runs.
soak: minio
	BRS_CHAOS_DURATION=30s $(GO) test -race -count=1 -run 'TestChaos' -v ./host/

## check: formatting, vet and staticcheck; vet for every platform users are on.
check:
	@test -z "$$(gofmt -l . | tee /dev/stderr)" || { echo "gofmt: files above need formatting"; exit 1; }
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...
	cd examples/plugin && $(GO) vet ./...
	@for p in linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64; do \
		echo "vet for $$p"; \
		GOOS=$${p%/*} GOARCH=$${p#*/} $(GO) vet ./... || exit 1; \
		(cd examples/plugin && GOOS=$${p%/*} GOARCH=$${p#*/} $(GO) vet ./...) || exit 1; \
	done

## build: install brs and the built-in plugins into $(GOPATH)/bin.
build:
	$(GO) install ./cmd/...

## minio: build the MinIO test server once (cached in $(GOPATH)/bin).
minio:
	@scripts/minio.sh install >/dev/null

## bench: the benchmarks recorded in BENCHMARKS.md.
bench: minio
	$(GO) test -run='^$$' -bench=. -benchmem -count=10 ./internal/cache/ ./host/ | tee bench.out

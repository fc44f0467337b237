# secret-baker: `make demo` runs the main job on the local AWS emulator,
# `make test` runs every test. Both need Go and Python 3 with moto 5.
GO      ?= go
BIN     := bin/secret-baker
LDFLAGS := -s -w

.PHONY: all build layer demo test test-readers check-emulator check-node clean bench

all: build

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) .

# layer builds the exec wrapper (cmd/secret-baker-exec) for linux/amd64 and
# linux/arm64 and its Lambda layer zips, bin/secret-baker-exec-layer-linux-*.zip.
layer:
	$(GO) run ./tools/layer -out bin

check-emulator:
	@python3 -c 'import moto, boto3' 2>/dev/null || { \
	  echo "error: the AWS emulator needs Python 3 with moto 5 and boto3 (pip install 'moto[server]==5.2.1')" >&2; exit 1; }

check-node:
	@command -v node >/dev/null && command -v npm >/dev/null || { \
	  echo "error: the Node.js reader tests need Node.js >= 20 with npm" >&2; exit 1; }

# demo tells what secret-baker is for in four real runs (tools/demo).
demo: build check-emulator
	$(GO) run ./tools/demo -binary $(BIN)

# bench measures API calls, wall time, memory and start-up (moto and a
# latency-only endpoint) and regenerates BENCHMARKS.md.
bench: build check-emulator check-node
	$(GO) run ./tools/bench -binary $(BIN)

test: check-emulator check-node
	$(GO) test -race -count=1 ./...
	$(MAKE) test-readers

# test-readers runs the Python and Node.js reader packages' own tests.
test-readers: check-emulator check-node
	python3 -m unittest discover -s readers/python
	cd readers/node && npm ci --no-audit --no-fund && node --test

clean:
	rm -rf bin .demo

# Lumen's two commands: `make demo` and `make test`. Everything they need is
# installed by the project itself (`make tools`) into .tools/, at pinned versions.
GO      ?= go
# Where make tools installs, and the tests and the demo look first; set
# LUMEN_TOOLS to use another folder.
LUMEN_TOOLS ?= $(CURDIR)/.tools/bin
export LUMEN_TOOLS
PKGS    := ./...

.PHONY: all tools tools-demo test test-unit soak lint demo package bench bench-loop fuzz clean

all: test

## tools: install the emulator, the OpenTelemetry Collector, Prometheus and the Pushgateway (for make test).
tools:
	bash scripts/install-tools.sh rie collector prometheus

## tools-demo: install only what make demo runs: the emulator.
tools-demo:
	bash scripts/install-tools.sh rie

## lint: formatting and vet.
lint:
	@out="$$(gofmt -l $$(git ls-files '*.go'))"; if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)

# Modules of their own, so that users of runtime/ never download their tooling.
MODULES := examples dashboards bench

## test: every test, with the race detector, against the real emulator, collector and Prometheus.
test: tools lint
	$(GO) test -race -count=1 -timeout 20m $(PKGS)
	@for m in $(MODULES); do echo "== $$m"; (cd $$m && $(GO) vet ./... && $(GO) test -race -count=1 -timeout 15m ./...) || exit 1; done

## soak: 50,000 invocations per function (SOAK_INVOCATIONS), OTLP and Lambda defaults at once, under the
## real emulator: memory and goroutines flat, nothing dropped; then the fault matrix, measured. About 5 min.
SOAK_INVOCATIONS ?= 50000
soak: tools
	bash scripts/soak.sh $(SOAK_INVOCATIONS)

## test-unit: the fast tests only (no real parts).
test-unit:
	$(GO) test -short -count=1 $(PKGS)

## fuzz: run each fuzz target for FUZZTIME (default 20s).
FUZZTIME ?= 20s
fuzz:
	bash scripts/fuzz.sh $(FUZZTIME)

## demo: run examples/hello under the real Lambda Runtime Interface Emulator (installs only the emulator).
demo: tools-demo
	bash scripts/demo.sh

## package: the bootstrap zips deploy/template.yaml deploys, for arm64 and x86_64, in .build/package/.
package:
	bash scripts/package.sh

## bench: Lumen against aws-lambda-go and aws-lambda-go + otellambda; writes bench/RESULTS.md.
bench: tools
	bash bench/run.sh

## bench-loop: the in-process loop benchmarks (ns and allocations per invocation).
bench-loop:
	$(GO) test -run '^$$' -bench . -benchmem -count 6 ./runtime/... | tee .bench.out

clean:
	rm -rf .build .bench.out

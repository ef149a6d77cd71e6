# Lumen's two commands: `make demo` and `make test`. Everything they need is
# installed by the project itself (`make tools`) into .tools/, at pinned versions.
GO      ?= go
TOOLS   := $(CURDIR)/.tools/bin
export LUMEN_TOOLS := $(TOOLS)
PKGS    := ./...

.PHONY: all tools test test-unit lint demo bench bench-loop fuzz clean

all: test

## tools: install the emulator, the OpenTelemetry Collector, Prometheus and the Pushgateway.
tools:
	bash scripts/install-tools.sh

## lint: formatting and vet.
lint:
	@out="$$(gofmt -l $$(git ls-files '*.go'))"; if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)

# Modules of their own, so that users of runtime/ never download their tooling.
MODULES := dashboards bench

## test: every test, with the race detector, against the real emulator, collector and Prometheus.
test: tools lint
	$(GO) test -race -count=1 -timeout 20m $(PKGS)
	@for m in $(MODULES); do echo "== $$m"; (cd $$m && $(GO) vet ./... && $(GO) test -race -count=1 -timeout 15m ./...) || exit 1; done

## test-unit: the fast tests only (no real parts).
test-unit:
	$(GO) test -short -count=1 $(PKGS)

## fuzz: run each fuzz target for FUZZTIME (default 20s).
FUZZTIME ?= 20s
fuzz:
	bash scripts/fuzz.sh $(FUZZTIME)

## demo: run examples/hello under the real Lambda Runtime Interface Emulator.
demo: tools
	bash scripts/demo.sh

## bench: Lumen against aws-lambda-go and aws-lambda-go + otellambda; writes bench/RESULTS.md.
bench: tools
	bash bench/run.sh

## bench-loop: the in-process loop benchmarks (ns and allocations per invocation).
bench-loop:
	$(GO) test -run '^$$' -bench . -benchmem -count 6 ./runtime/... | tee .bench.out

clean:
	rm -rf .build .bench.out

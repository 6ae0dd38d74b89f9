# Everyday commands; each mirrors a line of the README. `make` alone lists them.
.PHONY: help run test unit fuzz fuzz-long browser-test build release spec bench
.DEFAULT_GOAL := help

help:           ## list these commands (what `make` alone does)
	@awk 'BEGIN { FS = ":[^#]*## " } /^[a-z-]+:[^#]*## / { printf "  make %-13s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

run:            ## start the service on ./agency.sqlite (created and migrated on first start)
	swift run agency serve

test: unit fuzz ## everything CI runs: the test suite, the API fuzzer for a short budget, the dashboard in a browser
	$(MAKE) browser-test SHOTS="$${TMPDIR:-/tmp}/agency-dashboard-screenshots"  # docs/dashboard/ changes only by hand

unit:           ## the Swift test suite, on real SQLite databases
	swift test

fuzz:           ## schemathesis against docs/openapi.yaml on a real `agency serve` (needs a built .build/debug/agency)
	scripts/fuzz.sh --budget $(or $(FUZZ_BUDGET),120)

fuzz-long:      ## the fuzzer for 30 minutes, by hand
	scripts/fuzz.sh --budget 1800

browser-test:   ## the dashboard's whole flow in headless Chromium on a real `agency serve`; screenshots into docs/dashboard/
	swift build --product agency
	scripts/browser-test.sh --screenshots "$(or $(SHOTS),docs/dashboard)"

build:          ## compile everything in debug mode; the CLI is then .build/debug/agency
	swift build

release:        ## an optimised binary in .build/release/agency
	swift build -c release --product agency

spec:           ## validate docs/openapi.yaml against the OpenAPI 3.1 schema (needs openapi-spec-validator)
	python3 -c "import yaml; from openapi_spec_validator import validate; validate(yaml.safe_load(open('docs/openapi.yaml'))); print('docs/openapi.yaml is valid')"

bench:          ## release-mode benchmarks (needs wrk: apt-get install wrk); paste the output into docs/benchmarks.md
	swift build -c release --product agency
	swift build -c release --product agency-bench
	.build/release/agency-bench $(BENCH_ARGS)

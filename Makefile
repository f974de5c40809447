# Incuchain — two commands do all the set-up on a fresh machine:
#   make run    build everything and start the whole system on embedded defaults
#   make test   run the tests (SQLite, embedded NATS, in-process S3; no services needed)
# The other targets are the CI legs that need the machine's PostgreSQL, a real
# nats-server, or a browser; .ci/run calls them.

SHELL := /bin/bash
GO ?= go
GOMODULES := pkg services/parks services/gateway services/incubatees services/documents services/milestones services/rollups services/notifications services/allinone
GOPKGS := $(addprefix ./,$(addsuffix /...,$(GOMODULES)))
BIN := $(CURDIR)/bin
DATA ?= $(CURDIR)/data
SEED ?= 1
SEED_DATA ?= $(CURDIR)/data-seed-d
PG_DSN ?= postgres://postgres@127.0.0.1:5432/test?sslmode=disable
NATS_TEST_PORT ?= 14222
E2E_PORT ?= 18080
TEST_TIMEOUT ?= 10m
BENCH_LOG ?= $(CURDIR)/bench.log
# staticcheck is pinned: a new release may add checks, and CI must not fail
# on code nobody changed. make lint installs it into bin/.
STATICCHECK_VERSION := v0.8.2
STATICCHECK := $(BIN)/staticcheck

.PHONY: help run build web web-deps api api-check test test-go test-web test-pg test-nats fuzz e2e e2e-deps lint staticcheck-install tidy-check deploy-check bench bench-p seed-d config-table nats-config clean

help:
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/\t/' | column -t -s $$'\t'

run: build ## build the console and the binary, and start -target=all on embedded defaults with the demo region
	INCUCHAIN_SEED_DEMO=true INCUCHAIN_LOG_FORMAT=text INCUCHAIN_DATA_DIR=$(DATA) INCUCHAIN_WEB_DIR=$(CURDIR)/web/dist $(BIN)/incuchain -target=all

build: web ## build the console and the incuchain binary (every -target is this one program)
	$(GO) build -trimpath -o $(BIN)/incuchain ./services/allinone/cmd/incuchain

web-deps:
	@command -v npm >/dev/null || { echo "npm is needed: apt-get install -y nodejs npm"; exit 1; }
	cd web && { [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund; }

web: web-deps ## build the console into web/dist
	cd web && npm run build

# The console's wire types come from the services' contract: the gateway's
# merged OpenAPI document (printed without a server) and the TypeScript
# generated from it are committed, and api-check fails when they are stale.
api: web-deps ## regenerate web/src/api/openapi.json and schema.d.ts from the services' routes
	$(GO) run ./services/allinone/cmd/incuchain -print-openapi > web/src/api/openapi.json.tmp
	mv web/src/api/openapi.json.tmp web/src/api/openapi.json
	cd web && npm run gen:api

api-check: api ## fail when the committed console client differs from the contract
	@git diff --exit-code -- web/src/api || { echo "web/src/api is stale: run make api and commit the result"; exit 1; }
	@new=$$(git ls-files --others --exclude-standard -- web/src/api); if [ -n "$$new" ]; then echo "untracked in web/src/api: $$new"; exit 1; fi

test: test-go test-web ## run every test that needs no outside service

test-go:
	$(GO) vet $(GOPKGS)
	$(GO) test -count=1 -timeout $(TEST_TIMEOUT) $(GOPKGS)

test-web: web-deps
	cd web && npm run typecheck && npm test

test-pg: ## the Go tests again, also on the machine's PostgreSQL
	INCUCHAIN_TEST_POSTGRES='$(PG_DSN)' $(GO) test -count=1 -timeout $(TEST_TIMEOUT) $(GOPKGS)

test-nats: ## the Go tests again, against a real nats-server v2.15.2
	@url=$$(NATS_PORT=$(NATS_TEST_PORT) scripts/nats-server.sh start | sed -n 's/^NATS_URL=//p'); \
	trap 'NATS_PORT=$(NATS_TEST_PORT) scripts/nats-server.sh stop' EXIT; \
	echo "real nats-server at $$url"; \
	NATS_URL=$$url NATS_SERVER_BIN=$(BIN)/nats-server INCUCHAIN_TEST_POSTGRES='$(PG_DSN)' $(GO) test -count=1 -timeout $(TEST_TIMEOUT) $(GOPKGS)

# Each fuzz target runs from its committed seed corpus (testdata/fuzz/) for
# an execution budget sized to about 30 s on this 2-core machine; a crasher
# it finds is written there and fails the run. Budgets are counts, not
# durations: Go 1.26's coordinator can fail a -fuzztime=<duration> run with
# "context deadline exceeded" and no crasher (go.dev/issue/75804). Set
# FUZZTIME (e.g. 5m) to fuzz every target that long instead.
FUZZTIME ?=
FUZZ_TARGETS := \
	pkg:./httpx:FuzzDecodeJSON:25000x \
	pkg:./httpx:FuzzCheckJSONContentType:150000x \
	pkg:./httpx:FuzzPathParam:150000x \
	pkg:./httpx:FuzzTextProblem:25000x \
	services/incubatees:./internal/ports:FuzzApplicationBody:25000x \
	services/incubatees:./internal/ports:FuzzReportBody:30000x \
	services/incubatees:./internal/domain:FuzzParseUSCC:1000000x

fuzz: ## the fuzz targets (JSON decoders, path and text rules, USCC parser), ~30 s each
	@set -e; for t in $(FUZZ_TARGETS); do \
		IFS=: read -r mod pkg name budget <<<"$$t"; \
		budget=$${FUZZTIME:-$$budget}; \
		echo "fuzz $$name ($$mod/$$pkg) for $$budget"; \
		(cd $$mod && $(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $$budget -timeout 10m $$pkg); \
	done

e2e-deps: web-deps
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@# Chinese-first screens need a CJK font for legible screenshots.
	@fc-list :lang=zh 2>/dev/null | grep -q . || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk

e2e: e2e-deps build ## browser tests: Playwright drives Debian's chromium against the running system
	scripts/e2e.sh $(E2E_PORT)

lint: staticcheck-install ## gofmt, go vet and staticcheck (dead code too: U1000) over every module
	@out=$$(gofmt -l $(GOMODULES)); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(GOPKGS)
	$(STATICCHECK) $(GOPKGS)

staticcheck-install:
	@$(STATICCHECK) -version 2>/dev/null | grep -qF '($(STATICCHECK_VERSION:v%=%))' || \
		{ echo "installing staticcheck $(STATICCHECK_VERSION) into $(BIN)"; GOBIN=$(BIN) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION); }

tidy-check: ## fail when go mod tidy or go work sync would change a file
	scripts/tidy-check.sh $(GOMODULES)

deploy-check: ## lint the Dockerfile and Helm chart, render the chart (no Docker engine needed)
	scripts/check-deploy.sh

bench: ## benchmarks (dataset sizes are in each benchmark's name); ends with one table of every figure beside its baseline
	@rm -f $(BENCH_LOG)
	set -o pipefail; $(GO) test -run '^$$' -bench Can -benchtime 20000x ./pkg/authz/ | tee -a $(BENCH_LOG)
	set -o pipefail; $(GO) test -run '^$$' -bench HeapPerGrant -benchtime 1x ./pkg/authz/ | tee -a $(BENCH_LOG)
	set -o pipefail; $(GO) test -run '^$$' -bench Streaming100MiB -benchtime 3x ./pkg/blob/ | tee -a $(BENCH_LOG)
	set -o pipefail; $(GO) test -run '^$$' -bench Streaming100MiB -benchtime 3x ./services/documents/ | tee -a $(BENCH_LOG)
	set -o pipefail; $(GO) test -run '^$$' -bench Upload100MiB -benchtime 3x ./services/documents/ | tee -a $(BENCH_LOG)
	set -o pipefail; $(GO) test -run '^$$' -bench 'RestartNewGrant/5000' -benchtime 3x ./services/incubatees/ | tee -a $(BENCH_LOG)
	set -o pipefail; $(GO) test -run '^$$' -bench ListCompanies5000Companies50Users -benchtime 1x ./services/incubatees/ | tee -a $(BENCH_LOG)
	set -o pipefail; $(GO) test -run '^$$' -bench CompaniesPageAtDepth5000 -benchtime 1x ./services/incubatees/ | tee -a $(BENCH_LOG)
	set -o pipefail; $(GO) test -run '^$$' -bench Relay2000WriteBurst -benchtime 3x ./pkg/bus/ | tee -a $(BENCH_LOG)
	set -o pipefail; $(GO) test -run '^$$' -bench RegisterCompany20Writers -benchtime 1x ./services/allinone/launcher/ | tee -a $(BENCH_LOG)
	set -o pipefail; $(GO) test -run '^$$' -bench DeadlineScan5000x10 -benchtime 1x ./services/milestones/ | tee -a $(BENCH_LOG)
	set -o pipefail; $(GO) test -run '^$$' -bench OverdueBoard5000x10 -benchtime 20x ./services/milestones/ | tee -a $(BENCH_LOG)
	set -o pipefail; $(GO) test -run '^$$' -bench 'RollupsTierD_|RollupsCommitToVisibleTierD' -benchtime 1x -timeout 60m ./services/rollups/ | tee -a $(BENCH_LOG)
	@scripts/bench-table.sh $(BENCH_LOG)

bench-p: ## rollups at tier P (2,000 carriers, 200,000 companies, 2.6 M events): rebuild from JetStream and dashboard vs GROUP BY; about 30 min on 2 shared cores
	@rm -f $(BENCH_LOG)
	set -o pipefail; $(GO) test -run '^$$' -bench 'RollupsTierP_' -benchtime 1x -timeout 180m ./services/rollups/ | tee -a $(BENCH_LOG)
	@scripts/bench-table.sh $(BENCH_LOG)

seed-d: ## write tier D's generated history (50 carriers, 5,000 companies, 8 quarters) into a fresh SEED_DATA directory; SEED picks the history
	rm -rf $(SEED_DATA) && mkdir -p $(SEED_DATA)
	INCUCHAIN_LOG_FORMAT=text INCUCHAIN_DATA_DIR=$(SEED_DATA) $(GO) run ./services/allinone/cmd/incuchain -seed-tier=D -seed-rand=$(SEED)

config-table: ## print the configuration table for the README
	@$(GO) run ./services/allinone/cmd/incuchain -print-config

nats-config: ## regenerate the NATS permission files of compose and the chart from pkg/bus
	UPDATE_NATS_CONFIG=1 $(GO) test -count=1 -run TestNATSPermissionFilesAreCurrent ./pkg/bus/

clean:
	rm -rf $(BIN) web/dist

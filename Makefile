# stressgate: observability as code for the platform's release gate.
# `make help` lists the targets. Every target installs what it needs on a Debian machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help
TSX := node_modules/.bin/tsx
CLI := $(TSX) src/cli.ts
TEST_FILES = $(shell find test -name '*.test.ts' | sort)

.PHONY: help deps node-deps synth observability-verify verify lint test typecheck format format-check bench mutation bench-feed

help: ## List the targets
	@grep -hE '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-24s %s\n", $$1, $$2}'

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

node-deps: node_modules/.package-lock.json

deps: node-deps ## Install Node packages and Debian packages (promtool, amtool, redis, postgresql, chromium, pdftotext)
	bash scripts/install-system-deps.sh all

synth: node-deps ## Regenerate infra/ from the definitions in src/
	$(CLI) synth

observability-verify: node-deps ## Type-check, drift, promtool, schemas, lint (the release gate's config check)
	bash scripts/install-system-deps.sh promtool
	$(CLI) verify $(if $(FORMAT),--format $(FORMAT))

verify: observability-verify ## Same as observability-verify

lint: node-deps ## Cross-file lint of the generated files (FORMAT=github for annotations)
	$(CLI) lint $(if $(FORMAT),--format $(FORMAT))

typecheck: node-deps ## Type-check the TypeScript (tsc --noEmit)
	node_modules/.bin/tsc --noEmit -p .

format: node-deps ## Format the hand-written sources with prettier (generated files are left to their generators)
	node_modules/.bin/prettier --write --cache --cache-strategy content --log-level warn .

format-check: node-deps ## Fail on a hand-written file prettier would change (the tests run this too)
	node_modules/.bin/prettier --check --cache --cache-strategy content --log-level warn .

mutation: node-deps ## Score the alert tests against mutants of the generated rules, listing survivors (verify caches the score)
	bash scripts/install-system-deps.sh promtool
	$(CLI) mutation

test: deps ## Run every test (Node's test runner)
	node --import tsx --test --test-reporter=spec $(TEST_FILES)

bench: deps ## Synth timings (real and generated projects); verify fresh/warm against its floor; the mutation pass
	$(TSX) bench/synth.ts
	$(TSX) bench/verify.ts

# k6 is looked up on PATH, then in K6_DIR (the development machines keep one in ../shared/tools/k6).
K6_DIR ?= $(abspath ../shared/tools/k6)
bench-feed: node-deps ## The feed vs bare fastify under 300 closed-loop k6 VUs, side by side (BENCH_VUS/SECONDS/ROUNDS)
	bash scripts/install-system-deps.sh redis postgres
	PATH="$$PATH:$(K6_DIR)" $(TSX) bench/feed-vs-baseline.ts

-include mk/*.mk

# The local stack (issue 3): PostgreSQL, Redis, the reference app and Prometheus on 127.0.0.1, data under
# .stack/. Ports from env: APP_PORT=18080 PROM_PORT=19090 PG_PORT=15432 REDIS_PORT=16379.
.PHONY: stack-up stack-down stack-status stack-restart reference-app test-reference-app

STACK_SH := bash scripts/stack/stack.sh
# A subset for fault drills, e.g. `make stack-down STACK_SERVICES=redis`; default all four.
STACK_SERVICES ?=

stack-up: node-deps ## Start PostgreSQL, Redis, the reference app and Prometheus (idempotent; logs in .stack/)
	bash scripts/install-system-deps.sh promtool redis postgres
	$(STACK_SH) up $(STACK_SERVICES)

stack-down: ## Stop what stack-up started (by PID file)
	$(STACK_SH) down $(STACK_SERVICES)

stack-status: ## Say which stack services run (exit 3 when one is stopped)
	$(STACK_SH) status $(STACK_SERVICES)

stack-restart: node-deps ## Stop and start the stack (or STACK_SERVICES)
	$(STACK_SH) down $(STACK_SERVICES)
	bash scripts/install-system-deps.sh promtool redis postgres
	$(STACK_SH) up $(STACK_SERVICES)

reference-app: node-deps ## Run the reference app in the foreground (needs PostgreSQL and Redis: see docs/reference-app.md)
	node --max-semi-space-size=32 --import tsx reference-app/src/main.ts

test-reference-app: node-deps ## The reference app's integration tests (real PostgreSQL and Redis)
	bash scripts/install-system-deps.sh redis postgres promtool
	node --import tsx --test --test-reporter=spec $(sort $(wildcard test/reference-app/*.test.ts))

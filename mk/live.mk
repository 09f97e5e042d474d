# Live verification, catalog conformance and drills (issue 5; docs/live-verification.md).
.PHONY: live-verify catalog-check catalog-snapshot drills drill-redis drill-app-restart drill-db drill-alerts test-live

LIVE_RUN = $(TSX) src/cli.ts $(1)

# `make observability-verify LIVE=1` also runs the live verification (before the static checks: a
# prerequisite added here, so the Makefile's own recipe is untouched).
ifeq ($(LIVE),1)
observability-verify: live-verify
endif

live-verify: node-deps ## Every panel, rule and alert proven on real data (own stack, or PROMETHEUS_URL/TARGET_URL); writes artifacts/signal-coverage.md
	bash scripts/install-system-deps.sh promtool redis postgres
	$(call LIVE_RUN,live-verify) $(if $(PROMETHEUS_URL),--prometheus $(PROMETHEUS_URL)) $(if $(TARGET_URL),--target $(TARGET_URL)) $(if $(FORMAT),--format $(FORMAT))

catalog-check: node-deps ## Compare a service's /metrics with the catalog (METRICS_URL=...; WRITE=1 proposes entries, WRITE=catalog/snapshots/api.prom records the snapshot)
	$(call LIVE_RUN,catalog-check) $(if $(METRICS_URL),--metrics-url $(METRICS_URL)) $(if $(filter %.prom,$(WRITE)),--snapshot $(WRITE),$(if $(WRITE),--write)) $(if $(FORMAT),--format $(FORMAT))

catalog-snapshot: node-deps ## Record catalog/snapshots/api.prom from a fresh reference app (throw-away PostgreSQL/Redis on 127.0.0.1, no traffic)
	bash scripts/install-system-deps.sh redis postgres
	$(call LIVE_RUN,catalog-check) --reference-app --snapshot catalog/snapshots/api.prom

DRILL_ARGS = $(if $(DRIVER),--driver $(DRIVER)) $(if $(OUTAGE),--outage $(OUTAGE)) $(if $(ROOMS_TIMEOUT),--rooms-timeout $(ROOMS_TIMEOUT)) $(if $(TARGET_URL),--target $(TARGET_URL)) $(if $(DATABASE_URL),--database-url $(DATABASE_URL))

drill-redis: node-deps ## Redis restart under chat + notification + game load (artifacts/drills/redis.json)
	bash scripts/install-system-deps.sh promtool redis postgres
	$(call LIVE_RUN,drill) --drill redis $(DRILL_ARGS)

drill-app-restart: node-deps ## App SIGTERM + start under load (artifacts/drills/app-restart.json)
	bash scripts/install-system-deps.sh promtool redis postgres
	$(call LIVE_RUN,drill) --drill app-restart $(DRILL_ARGS)

drill-db: node-deps ## PostgreSQL unavailable for OUTAGE (3s) under load (artifacts/drills/db.json)
	bash scripts/install-system-deps.sh promtool redis postgres
	$(call LIVE_RUN,drill) --drill db $(DRILL_ARGS)

drill-alerts: node-deps ## One drill per gate alert + no false alarm, real Prometheus (artifacts/drills/alerts.json)
	bash scripts/install-system-deps.sh promtool redis postgres
	$(call LIVE_RUN,drill) --drill alerts

drills: node-deps ## Every fault drill and every alert drill
	bash scripts/install-system-deps.sh promtool redis postgres
	$(call LIVE_RUN,drill) --drill all $(DRILL_ARGS)

# The tests that run against a live Prometheus and target: live verification, the drills, conformance.
LIVE_TESTS = $(sort $(wildcard test/live/*.test.ts test/drills/*.test.ts test/catalog-check/conformance.test.ts))
test-live: node-deps ## The live tests alone (also part of make test)
	bash scripts/install-system-deps.sh promtool redis postgres
	node --import tsx --test --test-reporter=spec $(LIVE_TESTS)

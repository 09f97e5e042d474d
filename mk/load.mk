# The load layer (load/, docs in README and docs/verdict.md): k6 scenarios driven by load/profiles/*.json.
# TARGET_URL (default the local reference app), PROFILE=, RUNNER=k6|node, DURATION= (soak). Against the
# local stack (no TARGET_URL) the verdict asks the stack's Prometheus (PROMETHEUS_URL) and k6 writes its
# metrics there (K6_PROMETHEUS_RW_SERVER_URL); set either to override. Non-loopback targets need
# STRESS_ALLOWED_HOSTS. INSTANCES=N runs N k6 processes on k6's execution segments and judges their union
# (needs the remote write). OUT= moves artifacts/. BASELINE=FILE|latest-pass judges the run against earlier
# passing runs (docs/verdict.md). Against the local stack the platform invariants are checked in its database
# after the run (STRESS_DATABASE_URL to point elsewhere). Exit 0 PASS, 1 FAIL, 3 PARTIAL (not a release
# verdict), 4 INCOMPLETE (the run itself was not valid), 5 REGRESSED, 2 usage.
.PHONY: test-load test-stress-http test-stress-ws test-soak load-smoke k6-bundle

# The local-stack defaults belong to the load targets alone: they are named LOAD_*, never assigned to
# PROMETHEUS_URL itself, so that live-verify and stress-report see PROMETHEUS_URL only when the user set it.
LOCAL_PROM := http://127.0.0.1:$(or $(PROM_PORT),19090)
LOAD_PROMETHEUS = $(or $(PROMETHEUS_URL),$(if $(TARGET_URL),,$(LOCAL_PROM)))
LOAD_REMOTE_WRITE = $(or $(K6_PROMETHEUS_RW_SERVER_URL),$(if $(TARGET_URL),,$(LOCAL_PROM)/api/v1/write))
LOAD_DATABASE = $(or $(STRESS_DATABASE_URL),$(if $(TARGET_URL),,postgres://postgres@127.0.0.1:$(or $(PG_PORT),15432)/stressgate))
# Against the local default the stack is started first (idempotent); TARGET_URL= names a running one.
LOCAL_STACK = $(if $(TARGET_URL),,$(MAKE) --no-print-directory stack-up)
LOAD = $(TSX) src/cli.ts load --runner $(or $(RUNNER),k6) --target $(or $(TARGET_URL),http://127.0.0.1:$(or $(APP_PORT),18080)) \
	$(if $(LOAD_PROMETHEUS),--prometheus $(LOAD_PROMETHEUS)) $(if $(LOAD_REMOTE_WRITE),--remote-write $(LOAD_REMOTE_WRITE)) $(if $(OUT),--out $(OUT)) $(if $(INSTANCES),--instances $(INSTANCES)) \
	$(if $(LOAD_DATABASE),--database-url $(LOAD_DATABASE)) $(if $(BASELINE),--baseline $(BASELINE))

test-load: node-deps ## Moderate profile, every scenario (k6; RUNNER=node without k6; PROFILE= for another)
	$(LOCAL_STACK)
	$(LOAD) --profile $(or $(PROFILE),moderate)

test-stress-http: node-deps ## Stress profile, HTTP scenarios (auth, posts/comments): a PARTIAL verdict, exit 0 when what it judged held
	$(LOCAL_STACK)
	$(LOAD) --profile $(or $(PROFILE),stress) --scenarios auth,posts --partial-ok

test-stress-ws: node-deps ## Stress profile, WebSocket scenarios (messaging, notifications, games): PARTIAL, as above
	$(LOCAL_STACK)
	$(LOAD) --profile $(or $(PROFILE),stress) --scenarios messaging,notifications,games --partial-ok

test-soak: node-deps ## Soak profile, 2 h by default (DURATION=30m to shorten)
	$(LOCAL_STACK)
	$(LOAD) --profile $(or $(PROFILE),soak) --duration $(or $(DURATION),2h)

load-smoke: node-deps ## Smoke profile with the Node runner against TARGET_URL, or the local stack it starts (the CI path)
	$(LOCAL_STACK)
	$(TSX) src/cli.ts load --runner node --profile $(or $(PROFILE),smoke) --target $(or $(TARGET_URL),http://127.0.0.1:$(or $(APP_PORT),18080)) $(if $(LOAD_PROMETHEUS),--prometheus $(LOAD_PROMETHEUS))

k6-bundle: node-deps ## Bundle the k6 entry into artifacts/k6/main.<generation>.js (K6_GENERATION=legacy|transitional|current, default current)
	$(TSX) -e "import('./src/k6-script/bundle.ts').then((b) => b.bundleK6({ generation: process.env.K6_GENERATION || 'current' })).then(console.log)"

# The load layer (load/, docs in README): k6 scenarios driven by load/profiles/*.json. TARGET_URL
# (default the local reference app), PROFILE=, RUNNER=node|k6, DURATION= (soak), PROMETHEUS_URL=
# for the gate-alert part of the verdict. Non-loopback targets need STRESS_ALLOWED_HOSTS.
.PHONY: test-load test-stress-http test-stress-ws test-soak load-smoke k6-bundle

LOAD := $(TSX) src/cli.ts load --runner $(or $(RUNNER),k6)

test-load: node-deps ## Moderate profile, every scenario (k6; RUNNER=node without k6; PROFILE= for another)
	$(LOAD) --profile $(or $(PROFILE),moderate)

test-stress-http: node-deps ## Stress profile, HTTP scenarios (auth, posts/comments)
	$(LOAD) --profile $(or $(PROFILE),stress) --scenarios auth,posts

test-stress-ws: node-deps ## Stress profile, WebSocket scenarios (messaging, notifications, games)
	$(LOAD) --profile $(or $(PROFILE),stress) --scenarios messaging,notifications,games

test-soak: node-deps ## Soak profile, 2 h by default (DURATION=30m to shorten)
	$(LOAD) --profile $(or $(PROFILE),soak) --duration $(or $(DURATION),2h)

load-smoke: node-deps ## Smoke profile with the Node runner against TARGET_URL, or the local stack it starts (the CI path)
	$(if $(TARGET_URL),,$(MAKE) --no-print-directory stack-up)
	$(TSX) src/cli.ts load --runner node --profile $(or $(PROFILE),smoke) $(if $(TARGET_URL),,--prometheus http://127.0.0.1:$(or $(PROM_PORT),19090))

k6-bundle: node-deps ## Bundle the k6 entry into artifacts/k6/main.js (K6_WS=stable for k6 >= 1.6)
	$(TSX) -e "import('./src/gate/k6-bundle.ts').then((b) => b.bundleK6({ ws: process.env.K6_WS === 'stable' ? 'stable' : 'experimental' })).then(console.log)"

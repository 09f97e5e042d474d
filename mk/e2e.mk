# The browser journeys (journeys/, docs/ui-contract.md): Playwright with Debian's Chromium, two users per
# journey, realtime updates without reloads, each step timed against its SLO. Output: artifacts/playwright/
# (journeys.json, report/, test-results/ with traces of failures). BASE_URL passes the load interlock.
.PHONY: test-e2e test-e2e-under-load

LOCAL_APP := http://127.0.0.1:$(or $(APP_PORT),18080)

test-e2e: node-deps ## Browser journeys (TAGS=@smoke|@preprod) against BASE_URL, or the local stack it starts
	bash scripts/install-system-deps.sh chromium
	$(if $(BASE_URL),,$(MAKE) --no-print-directory stack-up)
	$(TSX) src/cli.ts e2e --tags $(or $(TAGS),@smoke) --base-url $(or $(BASE_URL),$(LOCAL_APP))

test-e2e-under-load: node-deps ## The journeys while a load profile runs (PROFILE=smoke, RUNNER=node|k6); the verdict includes them
	bash scripts/install-system-deps.sh chromium
	$(if $(TARGET_URL),,$(MAKE) --no-print-directory stack-up)
	$(TSX) src/cli.ts e2e-under-load --profile $(or $(PROFILE),smoke) --runner $(or $(RUNNER),node) --tags $(or $(TAGS),@smoke) \
	  --target $(or $(TARGET_URL),$(LOCAL_APP)) $(if $(BASE_URL),--base-url $(BASE_URL)) \
	  $(if $(TARGET_URL),,--prometheus http://127.0.0.1:$(or $(PROM_PORT),19090))

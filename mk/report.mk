# The stress-test report (docs/final-testing/stress-test-report-template.md filled from artifacts/):
# Markdown, self-contained HTML and a PDF printed by headless Chromium. PROMETHEUS_URL= charts the run.
.PHONY: stress-report keep-verdict report-alerts-diff

stress-report: node-deps ## The stress report from artifacts/ (.md, .html, .pdf; SLO charts from PROMETHEUS_URL; RELEASE=, CHROMIUM_PATH=)
	$(if $(CHROMIUM_PATH),,bash scripts/install-system-deps.sh chromium)
	$(TSX) src/cli.ts report $(if $(RELEASE),--release $(RELEASE)) $(if $(PROMETHEUS_URL),--prometheus $(PROMETHEUS_URL)) $(if $(SCRAPE_INTERVAL),--scrape-interval $(SCRAPE_INTERVAL))

# Every load run rewrites artifacts/verdict.json; the report reads kept verdicts from artifacts/verdicts/.
keep-verdict: ## Keep artifacts/verdict.json as artifacts/verdicts/<profile>.json (the next run overwrites verdict.json)
	@node -e 'const fs=require("fs");const v=JSON.parse(fs.readFileSync("artifacts/verdict.json","utf8"));if(!/^[a-z0-9-]+$$/.test(v.profile))throw new Error("artifacts/verdict.json: field \"profile\" is not a profile name");fs.mkdirSync("artifacts/verdicts",{recursive:true});fs.copyFileSync("artifacts/verdict.json","artifacts/verdicts/"+v.profile+".json");console.log("kept artifacts/verdicts/"+v.profile+".json ("+v.verdict+")")'

# `diff` exits 1 when something changed: that is a result here, not an error.
report-alerts-diff: node-deps ## The alerts diff vs BASE (the previous release tag) as artifacts/alerts-diff.json for the report
	@mkdir -p artifacts
	$(TSX) src/cli.ts diff $(if $(BASE),--base $(BASE)) --format json > artifacts/alerts-diff.json.tmp || [ $$? -eq 1 ]
	@mv artifacts/alerts-diff.json.tmp artifacts/alerts-diff.json && echo "wrote artifacts/alerts-diff.json"

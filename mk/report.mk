# The stress-test report (docs/final-testing/stress-test-report-template.md filled from artifacts/).
.PHONY: stress-report
stress-report: node-deps ## Fill the stress-test report from artifacts/ (Markdown + HTML with charts from PROMETHEUS_URL)
	$(TSX) src/cli.ts report $(if $(RELEASE),--release $(RELEASE))

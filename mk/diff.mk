# Semantic diff of the generated alerts, recording rules and dashboards (docs/diff.md).
# Exit status: 0 when the diff ran, changes or not (the last line on stderr says which); non-zero on
# an error, or with FAIL_ON_WEAKER=1 when a gate alert got weaker.
.PHONY: alerts-diff

alerts-diff: node-deps ## What the generated rules/dashboards change vs BASE (default origin/main, else HEAD); FORMAT=json, FAIL_ON_WEAKER=1
	$(TSX) src/cli.ts diff $(if $(BASE),--base $(BASE)) $(if $(FORMAT),--format $(FORMAT)) --fail-on $(if $(filter 1,$(FAIL_ON_WEAKER)),weaker,never)

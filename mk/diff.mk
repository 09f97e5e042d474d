# Semantic diff of the generated alerts, recording rules and dashboards (docs/diff.md).
# Exit status 1 means "changes found", so CI can tell; `make alerts-diff || true` just to read it.
.PHONY: alerts-diff

alerts-diff: node-deps ## What the generated rules/dashboards change vs BASE (default origin/main); FORMAT=json
	node_modules/.bin/tsx src/cli.ts diff $(if $(BASE),--base $(BASE)) $(if $(FORMAT),--format $(FORMAT))

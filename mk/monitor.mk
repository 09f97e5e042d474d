# The monitoring stack for the platform VM (infra/docker-compose.yml). Needs a Docker engine.
.PHONY: monitor-up monitor-down

COMPOSE := docker compose -f infra/docker-compose.yml
NEED_DOCKER = @docker info >/dev/null 2>&1 || { echo "error: no Docker engine here: monitor-up/monitor-down need Docker with the compose plugin (https://docs.docker.com/engine/install/). On this machine use 'make stack-up' for the local stack."; exit 2; }

monitor-up: ## Start Prometheus, Alertmanager, Grafana, Loki and Promtail (GRAFANA_ADMIN_PASSWORD=...)
	$(NEED_DOCKER)
	$(COMPOSE) up -d
	@echo "Grafana http://127.0.0.1:3000  Prometheus http://127.0.0.1:9090  Alertmanager http://127.0.0.1:9093"

monitor-down: ## Stop the monitoring stack (volumes are kept)
	$(NEED_DOCKER)
	$(COMPOSE) down

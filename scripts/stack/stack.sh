#!/usr/bin/env bash
# The local stack on 127.0.0.1: a private PostgreSQL cluster, redis-server, the reference app and
# Prometheus, with data, logs and PID files under $STACK_DIR (.stack/ by default).
#
#   stack.sh up [SERVICE...]       start what isn't running (idempotent), wait for readiness (bounded)
#   stack.sh down [SERVICE...]     stop exactly what `up` started, by PID file
#   stack.sh status [SERVICE...]   say what runs (exit 3 when something is stopped)
# SERVICE: postgres, redis, app, prometheus (default: all), e.g. `stack.sh down redis` for a drill.
#
# Ports (env): APP_PORT=18080 PROM_PORT=19090 PG_PORT=15432 REDIS_PORT=16379.
# Other env: STACK_DIR, PROM_CONFIG_SRC (default infra/prometheus/prometheus.yml), STACK_TIMEOUT_S (60),
# TOKEN_SECRET (default: one generated into $STACK_DIR/token-secret), LOG_LEVEL, ALERTMANAGER_URL.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
STACK_DIR="$(mkdir -p "${STACK_DIR:-.stack}" && cd "${STACK_DIR:-.stack}" && pwd)"
APP_PORT="${APP_PORT:-18080}"
PROM_PORT="${PROM_PORT:-19090}"
PG_PORT="${PG_PORT:-15432}"
REDIS_PORT="${REDIS_PORT:-16379}"
TIMEOUT_S="${STACK_TIMEOUT_S:-60}"
PROM_CONFIG_SRC="${PROM_CONFIG_SRC:-$ROOT/infra/prometheus/prometheus.yml}"
TSX="$ROOT/node_modules/.bin/tsx"

PG_DIR="$STACK_DIR/pg"
PG_DATA="$PG_DIR/data"
REDIS_DIR="$STACK_DIR/redis"
PROM_DIR="$STACK_DIR/prometheus"
APP_PID="$STACK_DIR/app.pid"
APP_LOG="$STACK_DIR/app.log"
PROM_PID="$PROM_DIR/prometheus.pid"
REDIS_PID="$REDIS_DIR/redis.pid"
DB_NAME=stressgate

log() { printf '[stack] %s\n' "$*"; }
die() { printf '[stack] error: %s\n' "$*" >&2; exit 1; }

pg_bin() {
  if [ -n "${PG_BIN:-}" ]; then echo "$PG_BIN"; return; fi
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [ -n "$d" ] && [ -x "$d/initdb" ] && { echo "$d"; return; }
  command -v initdb >/dev/null && { dirname "$(command -v initdb)"; return; }
  die "PostgreSQL binaries (initdb, pg_ctl) not found: install the Debian package postgresql (make deps)"
}

# PostgreSQL refuses to run as root: run its tools as the postgres system user then.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "running as root and no 'postgres' user (Debian package postgresql creates it)"
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# alive PIDFILE NAME: the PID in the file runs and its command line mentions NAME (no recycled PIDs).
alive() {
  local pidfile="$1" name="$2" pid
  [ -s "$pidfile" ] || return 1
  pid="$(head -1 "$pidfile" | tr -dc 0-9)"
  [ -n "$pid" ] && running "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$name"
}
pid_of() { head -1 "$1" | tr -dc 0-9; }
# running PID: the process exists and is not a zombie (exited daemons wait for their reaper).
running() { [ -r "/proc/$1/stat" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# http_status PORT PATH: the status code of GET http://127.0.0.1:PORT/PATH, or 000 (bash only, no curl).
http_status() {
  local line
  line="$( (exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3 && timeout 5 head -1 <&3) 2>/dev/null || true)"
  echo "$line" | awk '{print ($2 ~ /^[0-9]+$/) ? $2 : "000"}' | grep . || echo 000
}

# wait_for WHAT COMMAND...: retry COMMAND every 0.25 s, at most TIMEOUT_S.
wait_for() {
  local what="$1"; shift
  local deadline=$((SECONDS + TIMEOUT_S))
  while ((SECONDS < deadline)); do
    "$@" && return 0
    sleep 0.25
  done
  return 1
}

pg_up() {
  local bin; bin="$(pg_bin)"
  if [ -s "$PG_DATA/postmaster.pid" ] && alive "$PG_DATA/postmaster.pid" postgres; then
    log "postgres already running (pid $(pid_of "$PG_DATA/postmaster.pid"), port $PG_PORT)"
    return
  fi
  port_busy "$PG_PORT" && die "port $PG_PORT is in use by something else: set PG_PORT"
  mkdir -p "$PG_DIR"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$PG_DIR"
    runuser -u postgres -- test -w "$PG_DIR" ||
      die "the postgres user cannot write $PG_DIR: every parent directory needs o+x (or set STACK_DIR elsewhere)"
  fi
  if [ ! -s "$PG_DATA/PG_VERSION" ]; then
    log "initdb $PG_DATA"
    as_pg "$bin/initdb" -D "$PG_DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$PG_DIR/initdb.log" 2>&1 ||
      die "initdb failed: see $PG_DIR/initdb.log"
  fi
  log "starting postgres on 127.0.0.1:$PG_PORT"
  as_pg "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_DIR/postgres.log" -w -t "$TIMEOUT_S" \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PG_DIR -c max_connections=200" start >/dev/null ||
    die "postgres did not start: see $PG_DIR/postgres.log"
  if ! "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" postgres | grep -q 1; then
    "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$DB_NAME"
  fi
}

pg_down() {
  if alive "$PG_DATA/postmaster.pid" postgres; then
    log "stopping postgres (pid $(pid_of "$PG_DATA/postmaster.pid"))"
    as_pg "$(pg_bin)/pg_ctl" -D "$PG_DATA" -m fast -w -t "$TIMEOUT_S" stop >/dev/null
  fi
}

redis_ping() { [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; }

redis_up() {
  command -v redis-server >/dev/null || die "redis-server not found: install the Debian package redis-server (make deps)"
  if alive "$REDIS_PID" redis-server; then log "redis already running (pid $(pid_of "$REDIS_PID"), port $REDIS_PORT)"; return; fi
  port_busy "$REDIS_PORT" && die "port $REDIS_PORT is in use by something else: set REDIS_PORT"
  mkdir -p "$REDIS_DIR"
  log "starting redis on 127.0.0.1:$REDIS_PORT"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$REDIS_DIR" \
    --daemonize yes --pidfile "$REDIS_PID" --logfile "$REDIS_DIR/redis.log" >/dev/null
  wait_for redis redis_ping || die "redis did not answer PING within ${TIMEOUT_S}s: see $REDIS_DIR/redis.log"
}

stop_pid() { # stop_pid PIDFILE NAME: SIGTERM, wait (bounded), SIGKILL as the last resort
  local pidfile="$1" name="$2" pid
  alive "$pidfile" "$name" || { rm -f "$pidfile"; return 0; }
  pid="$(pid_of "$pidfile")"
  log "stopping $name (pid $pid)"
  kill -TERM "$pid"
  local deadline=$((SECONDS + TIMEOUT_S))
  while running "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
  if running "$pid"; then log "$name did not stop in ${TIMEOUT_S}s: SIGKILL"; kill -KILL "$pid"; fi
  rm -f "$pidfile"
}

redis_down() { stop_pid "$REDIS_PID" redis-server; }

app_up() {
  if alive "$APP_PID" reference-app/src/main.ts; then log "app already running (pid $(pid_of "$APP_PID"), port $APP_PORT)"; return; fi
  port_busy "$APP_PORT" && die "port $APP_PORT is in use by something else: set APP_PORT"
  [ -x "$TSX" ] || die "node_modules missing: run make node-deps"
  [ -s "$STACK_DIR/token-secret" ] || head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$STACK_DIR/token-secret"
  log "starting the reference app on 127.0.0.1:$APP_PORT (log $APP_LOG)"
  APP_HOST=127.0.0.1 APP_PORT="$APP_PORT" \
    DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/$DB_NAME" REDIS_URL="redis://127.0.0.1:$REDIS_PORT" \
    TOKEN_SECRET="${TOKEN_SECRET:-$(cat "$STACK_DIR/token-secret")}" LOG_LEVEL="${LOG_LEVEL:-info}" \
    nohup node --max-semi-space-size=32 --import tsx "$ROOT/reference-app/src/main.ts" >>"$APP_LOG" 2>&1 </dev/null &
  echo $! >"$APP_PID"
  app_ready() { [ "$(http_status "$APP_PORT" /readyz)" = 200 ]; }
  if ! wait_for app app_ready; then
    alive "$APP_PID" reference-app/src/main.ts || { rm -f "$APP_PID"; die "the app exited while starting: tail $APP_LOG:$(printf '\n'; tail -5 "$APP_LOG")"; }
    die "the app is not ready (GET /readyz) within ${TIMEOUT_S}s: see $APP_LOG"
  fi
}

app_down() { stop_pid "$APP_PID" reference-app/src/main.ts; }

prom_up() {
  command -v prometheus >/dev/null || die "prometheus not found: install the Debian package prometheus (make deps)"
  [ -f "$PROM_CONFIG_SRC" ] || die "$PROM_CONFIG_SRC not found: run make synth first (or set PROM_CONFIG_SRC)"
  mkdir -p "$PROM_DIR/data"
  APP_PORT="$APP_PORT" PROM_PORT="$PROM_PORT" "$TSX" "$ROOT/scripts/stack/prometheus-config.ts" "$PROM_CONFIG_SRC" "$PROM_DIR/prometheus.yml"
  if alive "$PROM_PID" prometheus; then
    # Already running: pick up a regenerated config or rules.
    kill -HUP "$(pid_of "$PROM_PID")"
    log "prometheus already running (pid $(pid_of "$PROM_PID"), port $PROM_PORT): config reloaded"
    return
  fi
  port_busy "$PROM_PORT" && die "port $PROM_PORT is in use by something else: set PROM_PORT"
  log "starting prometheus on 127.0.0.1:$PROM_PORT"
  # The remote-write receiver takes k6's own metrics (make test-load sets K6_PROMETHEUS_RW_SERVER_URL);
  # native histograms hold their trends with INSTANCES=N, so percentiles are taken over the union.
  nohup prometheus --config.file="$PROM_DIR/prometheus.yml" --storage.tsdb.path="$PROM_DIR/data" \
    --web.listen-address="127.0.0.1:$PROM_PORT" --web.enable-lifecycle --storage.tsdb.retention.time=7d \
    --web.enable-remote-write-receiver --enable-feature=native-histograms \
    >>"$PROM_DIR/prometheus.log" 2>&1 </dev/null &
  echo $! >"$PROM_PID"
  prom_ready() { [ "$(http_status "$PROM_PORT" /-/ready)" = 200 ]; }
  wait_for prometheus prom_ready || die "prometheus not ready within ${TIMEOUT_S}s: see $PROM_DIR/prometheus.log"
}

prom_down() { stop_pid "$PROM_PID" prometheus; }

status_line() { # status_line NAME PIDFILE MATCH PORT [PROBE]
  local name="$1" pidfile="$2" match="$3" port="$4" probe="${5:-}"
  if alive "$pidfile" "$match"; then
    local extra=""
    [ -n "$probe" ] && extra=" $probe -> $(http_status "$port" "$probe")"
    printf '  %-11s running  pid %-7s 127.0.0.1:%s%s\n' "$name" "$(pid_of "$pidfile")" "$port" "$extra"
    return 0
  fi
  printf '  %-11s stopped\n' "$name"
  return 1
}

cmd="${1:-status}"
shift || true
# Services to act on: all by default, or some of postgres|redis|app|prometheus (fault drills:
# `stack.sh down redis` ... `stack.sh up redis`).
services=("$@")
[ ${#services[@]} -eq 0 ] && services=(postgres redis app prometheus)
for s in "${services[@]}"; do
  case "$s" in postgres | redis | app | prometheus) ;; *) die "unknown service '$s' (postgres, redis, app, prometheus)" ;; esac
done
wants() { local s; for s in "${services[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1; }

case "$cmd" in
  up)
    t0=$SECONDS
    wants postgres && pg_up
    wants redis && redis_up
    wants app && app_up
    wants prometheus && prom_up
    log "up in $((SECONDS - t0))s: ${services[*]} (app http://127.0.0.1:$APP_PORT, prometheus http://127.0.0.1:$PROM_PORT)"
    ;;
  down)
    wants app && app_down
    wants prometheus && prom_down
    wants redis && redis_down
    wants postgres && pg_down
    log "down: ${services[*]}"
    ;;
  status)
    n=0
    wants postgres && { status_line postgres "$PG_DATA/postmaster.pid" postgres "$PG_PORT" || n=$((n + 1)); }
    wants redis && { status_line redis "$REDIS_PID" redis-server "$REDIS_PORT" || n=$((n + 1)); }
    wants app && { status_line app "$APP_PID" reference-app/src/main.ts "$APP_PORT" /readyz || n=$((n + 1)); }
    wants prometheus && { status_line prometheus "$PROM_PID" prometheus "$PROM_PORT" /-/ready || n=$((n + 1)); }
    [ "$n" -eq 0 ] || exit 3
    ;;
  *) die "usage: stack.sh up|down|status [postgres|redis|app|prometheus ...]" ;;
esac

#!/usr/bin/env bash
# Installs the Debian packages a make target needs, only when their binaries are missing.
# Usage: install-system-deps.sh [promtool] [redis] [postgres] [alertmanager] [chromium] [pdftotext] | all
set -euo pipefail

declare -A PACKAGE=( [promtool]=prometheus [redis]=redis-server [postgres]=postgresql [alertmanager]=prometheus-alertmanager [chromium]=chromium [pdftotext]=poppler-utils )

has() {
  case "$1" in
    promtool) command -v promtool >/dev/null && command -v prometheus >/dev/null ;;
    redis) command -v redis-server >/dev/null ;;
    postgres) compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || command -v initdb >/dev/null ;;
    alertmanager) command -v amtool >/dev/null && command -v prometheus-alertmanager >/dev/null ;;
    chromium) command -v chromium >/dev/null ;;
    pdftotext) command -v pdftotext >/dev/null && command -v pdfinfo >/dev/null ;;
    *) echo "install-system-deps: unknown tool '$1' (known: ${!PACKAGE[*]})" >&2; exit 2 ;;
  esac
}

tools=("$@")
[ "${tools[0]:-all}" = all ] && tools=(promtool redis postgres alertmanager chromium pdftotext)

missing=()
for t in "${tools[@]}"; do has "$t" || missing+=("${PACKAGE[$t]}"); done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "error: missing ${missing[*]}; this needs Debian/Ubuntu's apt-get as root." >&2
  echo "  install them yourself: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# The packages ship systemd units; nothing here uses them, and in containers they cannot start.
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
for t in "${tools[@]}"; do has "$t" || { echo "error: ${PACKAGE[$t]} installed but its binaries are not found" >&2; exit 1; }; done

#!/usr/bin/env bash
# Runs every test the way CI does, on a fresh machine too: installs what is missing
# (npm packages, Debian's chromium, nginx, poppler-utils and redis-server), then typecheck, lint, build, server and
# end-to-end tests (vitest, real Redis), widget tests (real headless Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
fail() { printf '\n\033[31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }

apt_install() {
  if [ "$(id -u)" != 0 ]; then fail "$1 is missing; install Debian's '$1' package (this script installs it only when run as root)"; fi
  say "Installing $1 from Debian's packages"
  if [ -z "${APT_UPDATED:-}" ]; then apt-get update -qq || fail "apt-get update failed"; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null || fail "apt-get install $1 failed"
}

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "Installing npm packages"
  npm ci --no-audit --no-fund
fi

export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
[ -x "$CHROME_PATH" ] || apt_install chromium
[ -x "$CHROME_PATH" ] || fail "Chromium not found at $CHROME_PATH"

# The reverse-proxy test (test/e2e/proxy.e2e.test.ts) runs deploy/nginx/survey-live.conf in Debian's nginx.
[ -x /usr/sbin/nginx ] || apt_install nginx
command -v openssl >/dev/null || apt_install openssl
# The report test (test/e2e/report.e2e.test.ts) reads its printed PDF back with pdftotext and pdfinfo.
command -v pdftotext >/dev/null || apt_install poppler-utils

# Redis: REDIS_URL if set, else 127.0.0.1:6379, else the test setup starts a private redis-server.
if [ -z "${REDIS_URL:-}" ] && ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
  command -v redis-server >/dev/null || apt_install redis-server
fi
# Fault tests start their own redis-server whatever the shared one does.
command -v redis-server >/dev/null || apt_install redis-server

say "Typecheck"
npx tsc --noEmit -p .
say "Lint and format"
npx biome check .
say "Build"
npm run build --silent
say "Server, store, CLI and fault tests (vitest)"
npx vitest run --project server
# After the server tests, one file at a time: Chromium, the page's server and the test share two cores.
say "End-to-end tests in headless Chromium (vitest, one worker)"
npx vitest run --project e2e --maxWorkers=1
say "Widget tests in headless Chromium (web-test-runner)"
npm run test:widget --silent

#!/usr/bin/env bash
# `npm test`: the full suite — lint, type-check, unit + integration (PGlite; again on PostgreSQL when
# TEST_DATABASE_URL is set), and e2e in Debian's Chromium. Installs Chromium with apt when it can.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 TURBO_TELEMETRY_DISABLED=1 ONNXRUNTIME_NODE_INSTALL=skip CI="${CI:-1}"

section() { printf '\n\033[1m== %s ==\033[0m\n' "$1"; }

section "Debian packages the tests use"
# chromium (e2e), nginx (two web instances behind a reverse proxy), promtool/amtool/alertmanager (deploy/)
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v promtool >/dev/null || missing+=(prometheus)
command -v prometheus-alertmanager >/dev/null || missing+=(prometheus-alertmanager)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}"
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Missing Debian packages and this user cannot install them. Run:  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
/usr/bin/chromium --version 2>/dev/null | head -1 || true
/usr/sbin/nginx -v 2>&1 || true

section "Lint and format (Biome)"
npx biome ci .

section "Import cycles (dependency-cruiser; type-only imports count)"
npm run -s check:cycles

section "Type-check"
npx turbo run typecheck --output-logs=errors-only

section "Default models"
npm run models:build --silent

section "Unit and integration tests (PGlite)"
env -u TEST_DATABASE_URL npx turbo run test --concurrency=1 --output-logs=new-only

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  section "Database tests again on PostgreSQL (${TEST_DATABASE_URL%%@*}@…)"
  (cd packages/db && npx vitest run)
  (cd packages/api && npx vitest run)
  (cd apps/web && npx vitest run)
else
  echo "TEST_DATABASE_URL not set: PostgreSQL pass skipped (set it to e.g. postgres://postgres@127.0.0.1:5432/postgres)"
fi

section "Build the web app"
npx turbo run build --filter=@investiq/web --output-logs=errors-only

section "End-to-end (Playwright, Debian chromium; desktop + phone)"
(cd e2e && npx playwright test)

section "All tests passed"

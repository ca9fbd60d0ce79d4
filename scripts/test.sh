#!/usr/bin/env bash
# The whole test suite, as `npm test` runs it and as CI runs it (.ci/run). It installs or starts what the tests need:
# Debian's Chromium for the browser tests, the local PostgreSQL server for the storage contract suite on the server.
set -uo pipefail
cd "$(dirname "$0")/.."

log() { printf '[test] %s\n' "$*" >&2; }

# 1. npm packages (a fresh clone has none).
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund >&2 || { log "npm ci failed"; exit 1; }
fi

# 2. Chromium from Debian's packages: never a downloaded browser build.
if ! command -v chromium >/dev/null 2>&1; then
  log "installing Debian's chromium (apt-get)"
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >&2 || log "could not install chromium"
  else
    (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >&2 || log "could not install chromium"
  fi
fi

# 3. The PostgreSQL server for the storage suite's second engine.
export ATT_TEST_DATABASE_URL="${ATT_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
export PGUSER="${PGUSER:-postgres}"
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  log "starting the PostgreSQL server"
  version=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -n 1)
  if [ -n "$version" ]; then
    pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || log "could not start PostgreSQL $version"
  fi
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi

# 4. Build the web app (the browser tests serve the built bundle) and the server.
log "building"
npm run --silent build >&2 || { log "build failed"; echo "0 passed, 1 failed"; exit 1; }

# 5. The suite. vitest writes a JSON summary; the last line is the plain count CI reads.
rm -rf .test-results
npx vitest run "$@"
status=$?
node scripts/print-test-count.mjs .test-results/vitest.json "$status" || true
exit $status

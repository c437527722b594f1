#!/usr/bin/env bash
# `npm test`: every check, as CI runs it. Installs the Debian packages it needs when run as root,
# otherwise stops with the exact command to run.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v scanimage >/dev/null 2>&1 || need+=(sane-utils libsane1)
command -v zbarimg >/dev/null 2>&1 || need+=(zbar-tools)
# pdfsig checks the PDFs' own signatures against a trust store it reads from an NSS database made by certutil.
command -v certutil >/dev/null 2>&1 || need+=(libnss3-tools)
if ((${#need[@]})); then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Debian packages: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "Missing system packages. Run:  sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
fi

mkdir -p test-results
JARDEM_SUITE_STARTED_MS=$(node -e 'console.log(Date.now())')
export JARDEM_SUITE_STARTED_MS
echo "== build";     npm run --silent build
echo "== typecheck"; npm run --silent typecheck
echo "== lint";      npm run --silent lint
status=0
# The central server's tests again on the machine's PostgreSQL (the main run uses PGlite), one schema per file;
# the fault run and the kill loops run only here (three server processes on one database; a kill mid-transaction).
# They run beside the main run: both mostly wait on child processes, databases and the disk (together they keep
# the two cores about nine-tenths busy), and side by side they end when the main run ends. Their report follows.
postgres_tests=(
  tests/server.test.ts tests/sync.test.ts tests/conflicts.test.ts tests/clock-skew-replay.test.ts tests/server-schema.test.ts
  tests/sync-faults.test.ts tests/faults.test.ts tests/pull-resume.test.ts
  tests/server-abuse.test.ts tests/server-slow.test.ts tests/server-devices.test.ts tests/server-replay.test.ts tests/server-probe.test.ts
  tests/server-device-admin.test.ts tests/city-reports.test.ts tests/city-report-route.test.ts
  tests/citus-schema.test.ts tests/server-wakeups.test.ts tests/two-instances.test.ts tests/blob-cache.test.ts tests/feed-snapshot.test.ts
  tests/staff-register.test.ts tests/city-trust-roots.test.ts tests/device-auth-cost.test.ts tests/feed-signature.test.ts tests/feed-plan.test.ts
  tests/server-prepared.test.ts tests/e2e-schemas.test.ts tests/applicant-plan.test.ts
)
# Of those, the ones about the server under load or its administration rather than its store run on PostgreSQL only
# (what production runs): on PGlite they repeated four minutes of work the store tests above already cover there.
postgres_only=(
  tests/server-abuse.test.ts tests/server-device-admin.test.ts tests/server-devices.test.ts tests/clock-skew-replay.test.ts
  tests/pull-resume.test.ts tests/city-trust-roots.test.ts tests/staff-register.test.ts tests/server-probe.test.ts tests/city-report-route.test.ts
  tests/server-prepared.test.ts tests/e2e-schemas.test.ts
)
postgres_log=test-results/vitest-postgres.log
DATABASE_URL="${JARDEM_TEST_DATABASE_URL:-postgres://127.0.0.1:5432/test}" npx vitest run "${postgres_tests[@]}" \
  --reporter=default --reporter=json --outputFile.json=test-results/vitest-postgres.json >"$postgres_log" 2>&1 &
postgres_pid=$!
echo "== unit and integration tests (Vitest; the server's tests on PostgreSQL beside them)"
npx vitest run "${postgres_only[@]/#/--exclude=}" --coverage --reporter=default --reporter=json --outputFile.json=test-results/vitest.json || status=1
postgres_status=0
wait "$postgres_pid" || postgres_status=$?
echo "== server and sync tests on PostgreSQL"
cat "$postgres_log"
((postgres_status == 0)) || status=1
echo "== end-to-end tests (Playwright, Debian Chromium, browser host)"
PLAYWRIGHT_JSON_OUTPUT_NAME=test-results/playwright.json npx playwright test --reporter=list,json || status=1
node scripts/test-summary.mjs test-results/vitest.json test-results/vitest-postgres.json test-results/playwright.json || status=1
exit $status

#!/usr/bin/env bash
# `npm run test:busy`: the whole suite (`npm test`) while two CPU-bound processes keep both cores of a 2-core
# machine busy, as when a workstation or CI runner shares its cores. The script starts the load and ends it
# itself, whatever way the suite ends.
set -euo pipefail
cd "$(dirname "$0")/.."

load=()
stop_load() {
  for pid in "${load[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap stop_load EXIT INT TERM

for _ in 1 2; do
  node -e 'for (;;) {}' &
  load+=("$!")
done
echo "== busy machine: CPU-bound processes ${load[*]} beside the suite"

bash scripts/test.sh

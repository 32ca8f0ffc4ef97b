#!/usr/bin/env bash
# Installs what Starling needs, builds it optimised, and runs it on its embedded defaults
# (SQLite in ./var, no configuration file). Arguments go to `starling serve`.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-debian.sh
cmake --preset release >/dev/null
cmake --build --preset release

echo "start: running build/release/starling serve $* (Ctrl-C stops it)"
exec build/release/starling serve "$@"

#!/usr/bin/env bash
# Formats every C++ file of the tree with .clang-format; --check only reports what differs.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files --cached --others --exclude-standard -- 'src/*.h' 'src/*.cpp' 'tests/*.h' 'tests/*.cpp' | while read -r f; do [[ -f "$f" ]] && echo "$f"; done)
if [[ "${1:-}" == "--check" ]]; then
  exec clang-format-16 --dry-run --Werror "${files[@]}"
fi
exec clang-format-16 -i "${files[@]}"

#!/usr/bin/env bash
# Runs clang-tidy (the checks in .clang-tidy) over every source file in src/ of a build tree.
# Usage: scripts/clang-tidy.sh BUILD_DIR    (the tree needs compile_commands.json)
set -euo pipefail
build_dir=${1:?usage: scripts/clang-tidy.sh BUILD_DIR}
source_dir=$(cd "$(dirname "$0")/.." && pwd)

# The build tree was configured for g++: tell clang's front end what g++ says differently
# (c++23 is c++2b to clang 16) and give it the <expected> fix of clang builds.
exec run-clang-tidy-16 -p "$build_dir" -quiet \
  -extra-arg=-std=c++2b -extra-arg=-Wno-unknown-warning-option \
  -extra-arg=-include -extra-arg="${source_dir}/cmake/clang_libstdcxx_expected.h" \
  "^${source_dir}/src/"

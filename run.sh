#!/usr/bin/env bash
# One entry point for a fresh Debian machine with the .NET SDK: installs what the build needs, then runs.
#   ./run.sh example        runs the main example
#   ./run.sh test [--all]   runs the test suite (--all adds the slow end-to-end tests) and prints "N passed, N failed"
set -euo pipefail
cd "$(dirname "$0")"

ensure_packages() {
  local missing=()
  for package in cmake g++ libtorch-dev libopenblas0-pthread; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installing ${missing[*]} (the native shim over libtorch, and OpenBLAS for fast matrix products)..."
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
}

run_tests() {
  local filter="TestCategory!=Slow"
  [ "${1:-}" = "--all" ] && filter=""
  local results="artifacts/test-results"
  rm -rf "$results"
  local status=0
  dotnet test Vae.MLNet.Tests -c Release ${filter:+--filter "$filter"} \
    --logger "trx;LogFileName=results.trx" --results-directory "$results" || status=$?
  local counters
  counters=$(grep -o '<Counters [^>]*>' "$results/results.trx" 2>/dev/null || true)
  if [ -z "$counters" ]; then
    echo "0 passed, 1 failed (the test run produced no results)"
    return 1
  fi
  count() { echo "$counters" | sed -E "s/.* $1=\"([0-9]+)\".*/\1/"; }
  local passed failed skipped
  passed=$(count passed)
  failed=$(( $(count failed) + $(count error) + $(count timeout) + $(count aborted) ))
  skipped=$(( $(count notExecuted) + $(count inconclusive) ))
  echo "$passed passed, $failed failed, $skipped skipped"
  return $status
}

case "${1:-}" in
  example)
    ensure_packages
    dotnet run --project examples/Quickstart -c Release
    ;;
  test)
    ensure_packages
    run_tests "${2:-}"
    ;;
  *)
    echo "usage: ./run.sh example | ./run.sh test [--all]" >&2
    exit 2
    ;;
esac

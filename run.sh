#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine with the .NET 10 SDK. Nothing but dotnet is needed: Microsoft.ML,
# TorchSharp and libtorch (a ~600 MB package, restored once into ~/.nuget/packages) come from NuGet.
#   ./run.sh example        runs the main example (examples/Quickstart)
#   ./run.sh test [--all]   runs the test suite (--all adds the slow end-to-end tests) and prints "N passed, N failed, N skipped"
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

run_tests() {
  local filter="TestCategory!=Slow"
  [ "${1:-}" = "--all" ] && filter=""
  local results="artifacts/test-results"
  rm -rf "$results"
  local status=0
  dotnet test Vae.MLNet.Tests -c Release ${filter:+--filter "$filter"} \
    --logger "trx;LogFileName=results.trx" --results-directory "$results" || status=$?
  local trx="$results/results.trx"
  if [ ! -s "$trx" ]; then
    echo "0 passed, 1 failed (the test run produced no results)"
    return 1
  fi
  # Count the outcome of every test result: Inconclusive and NotExecuted (ignored) count as skipped.
  count() { { grep -o "<UnitTestResult [^>]*outcome=\"$1\"" "$trx" || true; } | wc -l; }
  local passed failed skipped
  passed=$(count Passed)
  failed=$(( $(count Failed) + $(count Error) + $(count Timeout) + $(count Aborted) ))
  skipped=$(( $(count Inconclusive) + $(count NotExecuted) ))
  echo "$passed passed, $failed failed, $skipped skipped"
  [ "$failed" -gt 0 ] && status=1
  return $status
}

case "${1:-}" in
  example)
    dotnet run --project examples/Quickstart -c Release
    ;;
  test)
    run_tests "${2:-}"
    ;;
  *)
    echo "usage: ./run.sh example | ./run.sh test [--all]" >&2
    exit 2
    ;;
esac

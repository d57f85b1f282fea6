#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine with the .NET 10 SDK. Nothing but dotnet is needed: Microsoft.ML,
# TorchSharp and libtorch (a ~600 MB package, restored once into ~/.nuget/packages) come from NuGet.
#   ./run.sh example        runs the main example (examples/Quickstart)
#   ./run.sh test [--all] [--mlnet VERSION]
#                           runs the test suite (--all adds the slow end-to-end tests) and prints "N passed, N failed, N skipped";
#                           --mlnet (or the environment variable MLNetVersion) builds and runs it on that Microsoft.ML, e.g. 6.0.0
#                           (default 5.0.1; see Directory.Build.props)
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

run_tests() {
  local filter="TestCategory!=Slow" mlnet="${MLNetVersion:-}"
  while [ $# -gt 0 ]; do
    case "$1" in
      --all) filter="" ;;
      --mlnet) [ $# -ge 2 ] || { echo "--mlnet needs a version, e.g. --mlnet 6.0.0" >&2; exit 2; }; mlnet="$2"; shift ;;
      *) echo "unknown test option: $1 (usage: ./run.sh test [--all] [--mlnet VERSION])" >&2; exit 2 ;;
    esac
    shift
  done
  local results="artifacts/test-results"
  rm -rf "$results"
  local status=0
  # The property reaches every project (a global property): restore and build follow it, and switching back rebuilds.
  dotnet test Vae.MLNet.Tests -c Release ${mlnet:+"-p:MLNetVersion=$mlnet"} ${filter:+--filter "$filter"} \
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
    shift
    run_tests "$@"
    ;;
  *)
    echo "usage: ./run.sh example | ./run.sh test [--all] [--mlnet VERSION]" >&2
    exit 2
    ;;
esac

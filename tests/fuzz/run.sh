#!/usr/bin/env bash
# Coverage-guided fuzzing of the VAE's readers with AFL++ and SharpFuzz (not part of ./run.sh test; see README.md).
#   tests/fuzz/run.sh [model|checkpoint|all] [seconds per target, default 900]
# Needs afl-fuzz (Debian: apt-get install afl++) and the SharpFuzz.CommandLine tool (installed here into
# artifacts/fuzz/tools on first use). Runs niced; writes artifacts/fuzz/<target>/{seeds,findings,summary.txt} and
# replays every crash and hang found with the harness, which prints the exception.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
which="${1:-all}"
budget="${2:-900}"
out="$PWD/artifacts/fuzz"
tools="$out/tools"
bin="$out/bin"
plain="$PWD/tests/fuzz/Vae.MLNet.Fuzz/bin/Release/net10.0"

command -v afl-fuzz >/dev/null || { echo "afl-fuzz is missing: apt-get install afl++" >&2; exit 2; }
[ -x "$tools/sharpfuzz" ] || dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$tools"

dotnet build tests/fuzz/Vae.MLNet.Fuzz -c Release -v q -nologo
rm -rf "$bin" && mkdir -p "$bin"
cp -r "$plain/." "$bin/"
# Only our library is instrumented: coverage then measures the paths through our readers, not ML.NET's or the BCL's.
# The instrumented copy writes to AFL's shared memory, so it runs only under afl-fuzz; seeds and replays use the plain build.
"$tools/sharpfuzz" "$bin/Vae.MLNet.dll"

fuzz() {
  local target="$1" dir="$out/$1"
  rm -rf "$dir" && mkdir -p "$dir"
  dotnet "$plain/Vae.MLNet.Fuzz.dll" "$target" seeds "$dir/seeds"
  # dotnet is not an AFL-instrumented binary (SharpFuzz reports coverage through AFL's shared memory); the CPU is shared.
  AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 \
    nice -n 10 afl-fuzz -V "$budget" -t 10000 -m none -x tests/fuzz/vae.dict -i "$dir/seeds" -o "$dir/findings" \
    -- dotnet "$bin/Vae.MLNet.Fuzz.dll" "$target" > "$dir/afl.log" 2>&1 || true
  local stats="$dir/findings/default/fuzzer_stats"
  [ -f "$stats" ] || { echo "$target: afl-fuzz did not start (see $dir/afl.log)"; tail -20 "$dir/afl.log"; return 1; }
  get() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
  {
    echo "target: $target, budget ${budget}s"
    echo "run time: $(get run_time) s, executions: $(get execs_done) ($(get execs_per_sec)/s)"
    echo "paths (corpus entries): $(get corpus_count), edges: $(get edges_found), bitmap coverage: $(get bitmap_cvg)"
    echo "crashes: $(get saved_crashes), hangs: $(get saved_hangs)"
  } | tee "$dir/summary.txt"
  local found=("$dir"/findings/default/crashes/id:* "$dir"/findings/default/hangs/id:*)
  if [ -e "${found[0]}" ]; then
    echo "replaying ${#found[@]} crash/hang inputs:"
    timeout 600 dotnet "$plain/Vae.MLNet.Fuzz.dll" "$target" replay "${found[@]}" | tee "$dir/replay.txt" || true
  fi
}

case "$which" in
  model|checkpoint) fuzz "$which" ;;
  all) fuzz model; fuzz checkpoint ;;
  *) echo "usage: tests/fuzz/run.sh [model|checkpoint|all] [seconds]" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# Runs Vae.MLNet, PyTorch 1.13 and a plain TorchSharp loop side by side on the same machine, data and model, and
# prints each figure for all three with the ratios. Each figure is the median of REPEATS runs (default 3); within a
# repeat the programs alternate (and each runs with 1 and with 2 libtorch intra-op threads), so that a noisy neighbour
# hurts all alike. Every run is its own process, so its peak RSS is that figure's own.
#   usage: benchmarks/run.sh [--quick] [--full] [--repeats N] [--threads "1 2"] [--figures "fit-mlp transform latency"] [--growth "ROWS ..."] [--data DIR]
#   --quick: one repeat; --full: also the convolutional Fit, dense-input Transform and streaming growth runs;
#   --threads: the intra-op thread settings each program runs with (default 1 and 2); --figures: which figures;
#   --growth: the streaming sizes (after --full: default 10000 100000 1000000; 10000000 writes a 29 GB file and takes ~20 min).
#   The raw results, one JSON line per run, go to benchmarks/results/DATE-CPU-ISA-FIGURES.jsonl (e.g.
#   2026-12-07-amd-epyc-avx512-fit-mlp-transform-latency.jsonl); keep one in git only where a README quotes it.
#   benchmarks/summarize.py A.jsonl B.jsonl ... puts the raw results of several runs into one table.
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=3
data="../shared/data/mnist"
figures="fit-mlp transform latency"
growth=""
threads="1 2"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) repeats=1 ;;
    --full) figures="fit-mlp fit-conv transform transform-dense latency"; growth="10000 100000 1000000" ;;
    --repeats) repeats="$2"; shift ;;
    --threads) threads="$2"; shift ;;
    --figures) figures="$2"; shift ;;
    --growth) growth="$2"; shift ;;
    --data) data="$2"; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[ -d "$data" ] || { echo "note: $data not found; using MNIST-shaped generated images"; data=""; }
# PyTorch 1.13 from Debian; its BLAS is whatever libblas.so.3 points to, and the reference BLAS that apt picks by
# default is ~20x slower than OpenBLAS, which would make a straw man of the peer: OpenBLAS goes with it.
need=""
dpkg -s python3-torch >/dev/null 2>&1 || need="python3-torch"
dpkg -s libopenblas0-pthread >/dev/null 2>&1 || need="$need libopenblas0-pthread"
if [ -n "$need" ]; then
  echo "installing $need for the PyTorch side"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd=sudo
  $sudo_cmd apt-get -o DPkg::Lock::Timeout=600 install -y -q $need >/dev/null
fi
dotnet build benchmarks/Vae.MLNet.Benchmarks -c Release -v q -nologo >/dev/null
dotnet_bench="dotnet benchmarks/Vae.MLNet.Benchmarks/bin/Release/net10.0/Vae.MLNet.Benchmarks.dll"
pytorch="/usr/bin/python3 benchmarks/pytorch/bench.py"
dataArg=${data:+--data $data}
# The results file is named by date, CPU, ISA and figures, never overwriting an earlier one.
cpu=$(lscpu | sed -n 's/^Model name: *//p' | sed 's/([^)]*)//g' | tr '[:upper:]' '[:lower:]' | awk '{print $1 "-" $2}')
isa=$(grep -q avx512f /proc/cpuinfo && echo avx512 || (grep -q avx2 /proc/cpuinfo && echo avx2 || echo no-avx2))
rows_name() { local n=$1; if ((n % 1000000 == 0)); then echo "$((n / 1000000))m"; elif ((n % 1000 == 0)); then echo "$((n / 1000))k"; else echo "$n"; fi; }
named="$figures"
if [ -n "$growth" ]; then named="$named growth"; for rows in $growth; do named="$named $(rows_name "$rows")"; done; fi
stem="benchmarks/results/$(date -u +%F)-${cpu:-cpu}-$isa-$(echo $named | tr ' ' '-')"
results="$stem.jsonl"
for ((n = 2; ; n++)); do [ -e "$results" ] || break; results="$stem-$n.jsonl"; done
mkdir -p benchmarks/results

# One JSON line per run, with the load average just before it (the machine may be shared).
record() {
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  local line; line=$("$@")
  echo "{\"load\":$load,${line#\{}" >> "$results"
}

echo "CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(grep -q avx512f /proc/cpuinfo && echo AVX-512 || (grep -q avx2 /proc/cpuinfo && echo 'AVX2, no AVX-512' || echo 'no AVX2'))"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for figure in $figures; do
  for ((r = 0; r < repeats; r++)); do
    for t in $threads; do
      record $dotnet_bench $figure $dataArg --threads $t
      record $pytorch $figure $dataArg --threads $t
      [ "$figure" = fit-conv ] || record $dotnet_bench $figure --side plain $dataArg --threads $t
      if [ "$figure" = transform ]; then record $dotnet_bench transform --side pca $dataArg --threads $t; fi
    done
  done
done
for rows in $growth; do
  $dotnet_bench growth-file $rows >/dev/null
  record $dotnet_bench growth $rows
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

/usr/bin/python3 benchmarks/summarize.py "$results"
echo "raw results, one JSON line per run: $results (commit it only where a README quotes it)"

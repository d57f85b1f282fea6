#!/usr/bin/env bash
# Runs Vae.MLNet and PyTorch side by side on the same machine, data and models, and prints each figure for both and
# their ratio. Each figure is the median of REPEATS runs (default 3), alternating the two programs so that a noisy
# neighbour hurts both alike.   usage: benchmarks/run.sh [--quick] [--data DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=3
data="../shared/data/mnist"
growth="10000 100000 1000000"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) repeats=1; growth="10000 100000" ;;
    --data) data="$2"; shift ;;
  esac
  shift
done
[ -d "$data" ] || { echo "note: $data not found; using MNIST-shaped generated images"; data=""; }
dpkg -s python3-torch >/dev/null 2>&1 || { echo "installing python3-torch for the PyTorch side"; sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd=sudo; $sudo_cmd apt-get install -y -q python3-torch; }
dotnet build benchmarks/Vae.MLNet.Benchmarks -c Release -v q -nologo >/dev/null
ours="dotnet benchmarks/Vae.MLNet.Benchmarks/bin/Release/net10.0/Vae.MLNet.Benchmarks.dll"
theirs="/usr/bin/python3 benchmarks/pytorch/bench.py"
dataArg=${data:+--data $data}
results=$(mktemp)

for figure in fit-mlp fit-conv transform transform-dense latency; do
  for ((r = 0; r < repeats; r++)); do
    echo "{\"side\":\"vae\",$($ours $figure $dataArg | sed 's/^{//')" >> "$results"
    # PyTorch's best thread setting on this machine: try 1 and all cores, keep each.
    for t in 1 $(nproc); do
      echo "{\"side\":\"pytorch\",$($theirs $figure $dataArg --threads $t | sed 's/^{//')" >> "$results"
    done
  done
done
for rows in $growth; do
  echo "{\"side\":\"vae\",$($ours growth $rows | sed 's/^{//')" >> "$results"
done

/usr/bin/python3 benchmarks/summarize.py "$results"
echo "raw results, one JSON line per run: $results"

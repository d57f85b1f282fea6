"""Turns the JSON lines of benchmarks/run.sh into the side-by-side table (medians, ratios, targets)."""
import json, statistics, sys
from collections import defaultdict

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
by = defaultdict(list)
for r in rows:
    by[(r["side"], r["figure"], r.get("threads"))].append(r)


def median(side, figure, key, threads=None):
    values = [r[key] for (s, f, t), rs in by.items() if s == side and f == figure and (threads is None or t == threads) for r in rs]
    return statistics.median(values) if values else float("nan")


def best_pytorch(figure, key, higher_is_better=True):
    """PyTorch's best thread setting: the median of each setting, then the best of those."""
    settings = {t for (s, f, t) in by if s == "pytorch" and f == figure}
    medians = {t: median("pytorch", figure, key, t) for t in settings}
    pick = (max if higher_is_better else min)(medians, key=medians.get)
    return medians[pick], pick


print(f"{'figure':34} {'Vae.MLNet':>12} {'PyTorch':>12} {'ratio':>8}  target")
for figure, key, unit, target, higher in [
    ("fit-mlp", "samples_per_s", "samples/s", 1.2, True),
    ("fit-conv", "samples_per_s", "samples/s", None, True),
    ("transform", "rows_per_s", "rows/s", 1.0, True),
    ("transform-dense", "rows_per_s", "rows/s", None, True),
]:
    ours = median("vae", figure, key)
    theirs, threads = best_pytorch(figure, key, higher)
    ratio = ours / theirs
    verdict = "" if target is None else (f">= {target}x: " + ("met" if ratio >= target else "NOT met"))
    print(f"{figure + ' (' + unit + ')':34} {ours:12.0f} {theirs:12.0f} {ratio:7.2f}x  {verdict} (PyTorch best with {threads} thread(s))")
for key in ["median_us", "p99_us"]:
    ours = median("vae", "latency", key)
    theirs, threads = best_pytorch("latency", key, higher_is_better=False)
    verdict = f"<= 50 us: {'met' if ours <= 50 else 'NOT met'}" if key == "median_us" else ""
    print(f"{'latency ' + key:34} {ours:12.1f} {theirs:12.1f} {ours / theirs:7.2f}x  {verdict}")
for figure in ["fit-mlp", "transform", "latency"]:
    ours = median("vae", figure, "peak_rss_mb")
    theirs, _ = best_pytorch(figure, "peak_rss_mb", higher_is_better=False)
    print(f"{'peak RSS MB, ' + figure:34} {ours:12.0f} {theirs:12.0f} {ours / theirs:7.2f}x")
growth = sorted((r for r in rows if r["figure"].startswith("growth-")), key=lambda r: r["rows"])
if growth:
    base = growth[0]
    for r in growth:
        print(f"{'growth ' + str(r['rows']) + ' rows':34} {r['ms_per_1000_rows']:9.1f} ms/1k rows, peak {r['peak_rss_mb']:.0f} MB "
              f"({r['peak_rss_mb'] / base['peak_rss_mb']:.2f}x the {base['rows']}-row peak; target <= 1.2x)")
    # The cost of the extra rows between two sizes, free of start-up (JIT, allocator, threads): flat if it is constant.
    for small, large in zip(growth, growth[1:]):
        extra = (large["ms_per_1000_rows"] * large["rows"] - small["ms_per_1000_rows"] * small["rows"]) / (large["rows"] - small["rows"])
        print(f"{'growth ' + str(small['rows']) + ' -> ' + str(large['rows'])  + ' rows':34} {extra:9.1f} ms per 1k extra rows")

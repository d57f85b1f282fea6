"""Turns the JSON lines of benchmarks/run.sh into the side-by-side table: for every side and thread setting the
median of its runs, each side at its best setting, and the ratios Vae.MLNet / PyTorch and Vae.MLNet / plain TorchSharp."""
import json, statistics, sys
from collections import defaultdict

rows = [json.loads(line) for path in sys.argv[1:] for line in open(path) if line.strip()]
by = defaultdict(list)
for r in rows:
    by[(r.get("side", "pytorch"), r["figure"], r.get("threads"))].append(r)
SIDES = [("vae", "Vae.MLNet"), ("pytorch", "PyTorch 1.13"), ("plain", "plain TorchSharp")]


def median(side, figure, key, threads):
    values = [r[key] for r in by.get((side, figure, threads), []) if key in r]
    return statistics.median(values) if values else None


def best(side, figure, key, higher):
    """The side's best thread setting for this figure: the median of each setting, then the best of those."""
    medians = {t: median(side, figure, key, t) for (s, f, t) in by if s == side and f == figure}
    medians = {t: m for t, m in medians.items() if m is not None}
    if not medians:
        return None, None
    pick = (max if higher else min)(medians, key=medians.get)
    return medians[pick], pick


def cell(value, digits=0):
    return "" if value is None else f"{value:,.{digits}f}"


def ratio(ours, theirs, higher):
    if ours is None or theirs is None or ours == 0 or theirs == 0:
        return ""
    return f"{(ours / theirs if higher else theirs / ours):.2f}x"


print("Each cell: median of the runs; best = the side's best thread setting. Ratios > 1 mean Vae.MLNet is better")
print("(faster, lower latency, less memory).\n")
header = ["figure"] + [f"{name}, {t} thr" for _, name in SIDES for t in (1, 2)] + ["Vae.MLNet / PyTorch (best)", "Vae.MLNet / plain TorchSharp (best)"]
print("| " + " | ".join(header) + " |")
print("|" + "---|" * len(header))
figures = [("fit-mlp", "samples_per_s", "Fit MLP 784-400-20, batch 128, samples/s", True, 0),
           ("fit-mlp", "cpu_us_per_sample", "Fit MLP, CPU µs per sample (all threads)", False, 1),
           ("fit-mlp", "minor_faults_per_sample", "Fit MLP, minor page faults per sample", False, 2),
           ("fit-conv", "samples_per_s", "Fit convolutional, samples/s", True, 0),
           ("transform", "rows_per_s", "Transform LatentMean (MNIST), rows/s", True, 0),
           ("transform-dense", "rows_per_s", "Transform LatentMean (dense), rows/s", True, 0),
           ("latency", "median_us", "one row, median µs", False, 1),
           ("latency", "p99_us", "one row, p99 µs", False, 1)]
for figure, key, label, higher, digits in figures:
    if not any(f == figure for (_, f, _) in by):
        continue
    cells = [cell(median(side, figure, key, t), digits) for side, _ in SIDES for t in (1, 2)]
    ours, _ = best("vae", figure, key, higher)
    print(f"| {label} | " + " | ".join(cells) + f" | {ratio(ours, best('pytorch', figure, key, higher)[0], higher)} | {ratio(ours, best('plain', figure, key, higher)[0], higher)} |")
# ML.NET's PCA (rank 20, the VAE's latent width) through the same cached view: the in-ML.NET alternative.
if any(side == "pca" for (side, _, _) in by):
    pca, t = best("pca", "transform", "rows_per_s", True)
    ours, _ = best("vae", "transform", "rows_per_s", True)
    print(f"| Transform, ML.NET ProjectToPrincipalComponents rank 20, rows/s (best: {t} thr) | {cell(pca)} | Vae.MLNet / PCA | {ratio(ours, pca, True)} |")
# Peak RSS at each side's best-throughput setting of the figure.
for figure, key, label in [("fit-mlp", "samples_per_s", "peak RSS MB, Fit MLP"), ("transform", "rows_per_s", "peak RSS MB, Transform")]:
    if not any(f == figure for (_, f, _) in by):
        continue
    cells = [cell(median(side, figure, "peak_rss_mb", t)) for side, _ in SIDES for t in (1, 2)]
    at_best = {side: median(side, figure, "peak_rss_mb", best(side, figure, key, True)[1]) for side, _ in SIDES}
    print(f"| {label} | " + " | ".join(cells) + f" | {ratio(at_best['vae'], at_best['pytorch'], False)} | {ratio(at_best['vae'], at_best['plain'], False)} |")

loads = [r["load"] for r in rows if "load" in r]
if loads:
    print(f"\nload average (1 min) before the runs: median {statistics.median(loads):.1f}, range {min(loads):.1f}-{max(loads):.1f}")
growth = sorted((r for r in rows if r["figure"].startswith("growth-")), key=lambda r: r["rows"])
if growth:
    base = growth[0]
    for r in growth:
        print(f"growth {r['rows']} rows: {r['ms_per_1000_rows']:.1f} ms/1k rows, peak {r['peak_rss_mb']:.0f} MB "
              f"({r['peak_rss_mb'] / base['peak_rss_mb']:.2f}x the {base['rows']}-row peak)")
    # The cost of the extra rows between two sizes, free of start-up (JIT, allocator, threads): flat if it is constant.
    for small, large in zip(growth, growth[1:]):
        extra = (large["ms_per_1000_rows"] * large["rows"] - small["ms_per_1000_rows"] * small["rows"]) / (large["rows"] - small["rows"])
        print(f"growth {small['rows']} -> {large['rows']} rows: {extra:.1f} ms per 1k extra rows")


def goal_line(name, value, target, met):
    shown = "not measured" if value is None else f"{value} (goal {target}): {'met' if met else 'NOT met'}"
    print(f"- {name}: {shown}")


# The goals of the performance issue, checked against this run's figures (each side at its best setting).
print("\nGoals:")
for figure, key, label, peer, factor in [("fit-mlp", "samples_per_s", "Fit MLP vs PyTorch", "pytorch", 1.5),
                                         ("fit-mlp", "samples_per_s", "Fit MLP vs plain TorchSharp", "plain", 1.3),
                                         ("fit-conv", "samples_per_s", "Fit convolutional vs PyTorch", "pytorch", 1.5),
                                         ("transform", "rows_per_s", "Transform MNIST vs PyTorch", "pytorch", 1.5),
                                         ("transform-dense", "rows_per_s", "Transform dense vs PyTorch", "pytorch", 1.0)]:
    ours, theirs = best("vae", figure, key, True)[0], best(peer, figure, key, True)[0]
    value = None if ours is None or theirs is None else ours / theirs
    goal_line(label, None if value is None else f"{value:.2f}x", f">= {factor}x", value is not None and value >= factor)
for key, label, limit in [("median_us", "PredictionEngine one row, median µs", 20), ("p99_us", "PredictionEngine one row, p99 µs", 60)]:
    ours = best("vae", "latency", key, False)[0]
    goal_line(label, None if ours is None else f"{ours:.1f}", f"<= {limit}", ours is not None and ours <= limit)
for figure, key, label in [("fit-mlp", "samples_per_s", "peak RSS of Fit vs PyTorch"), ("transform", "rows_per_s", "peak RSS of Transform vs PyTorch")]:
    ours = median("vae", figure, "peak_rss_mb", best("vae", figure, key, True)[1])
    theirs = median("pytorch", figure, "peak_rss_mb", best("pytorch", figure, key, True)[1])
    value = None if ours is None or theirs is None else ours / theirs
    goal_line(label, None if value is None else f"{value:.2f}x", "<= 1.2x", value is not None and value <= 1.2)
# Streaming: time per 1k rows and peak memory flat within 1.2x from 100k rows to the largest file.
large = [r for r in growth if r["rows"] >= 100_000]
if len(large) >= 2:
    first, last = large[0], large[-1]
    for key, label in [("ms_per_1000_rows", "streaming Fit, ms per 1k rows"), ("peak_rss_mb", "streaming Fit, peak RSS")]:
        value = last[key] / first[key]
        goal_line(f"{label}, {first['rows']:,} -> {last['rows']:,} rows", f"{value:.2f}x", "<= 1.2x", value <= 1.2)
else:
    goal_line("streaming Fit, 100k rows to the largest", None, "<= 1.2x", False)

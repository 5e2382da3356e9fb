"""The α–β scaling estimate of docs/distributed.md, from bench/results/cluster-latest.json.

Ring allreduce of n bytes over p nodes: T(p, n) = 2(p−1)·α + 2(p−1)/p · n·β, with
β = β_host + 8 / link_rate (the host's per-byte cost measured on loopback, plus the wire) and α
the loopback latency measured here (a best case for a network). A step of data-parallel
training with a fixed batch of 64 per node computes for t_c (measured, 1 thread) and then
allreduces the gradients (no overlap): efficiency E = t_c / (t_c + T), speed-up p·E.

usage: python bench/cluster/scaling.py   (writes docs/distributed-scaling.md and
       docs/images/distributed-scaling.svg)
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NODES = [2, 4, 8, 16, 32, 64]
LINKS = {"10 Gb/s": 10e9, "25 Gb/s": 25e9, "100 Gb/s": 100e9}


def ring(p: int, n: float, alpha: float, beta: float) -> float:
    return 2 * (p - 1) * alpha + 2 * (p - 1) / p * n * beta


def main() -> None:
    result = json.loads((ROOT / "bench/results/cluster-latest.json").read_text())
    alpha, beta_host = result["alpha_seconds"], max(result["beta_seconds_per_byte"], 0.0)
    rows, series = [], {}
    for model in ("mlp", "cnn"):
        n = 4 * result["parameters"][model]
        t_c = result["step_seconds_batch64_1thread"][model]
        for link, rate in LINKS.items():
            beta = beta_host + 8 / rate
            points = []
            for p in NODES:
                t = ring(p, n, alpha, beta)
                efficiency = t_c / (t_c + t)
                points.append((p, p * efficiency))
                rows.append((model.upper(), link, p, t * 1e3, efficiency, p * efficiency))
            series[f"{model.upper()} {link}"] = points
    # Bucket: large enough that its latency term is at most 5 % of its bandwidth term at 64
    # nodes on the fastest link: 2(p−1)α ≤ 0.05 · 2(p−1)/p · b·β  ⇒  b ≥ 20·p·α/β.
    beta_fast = beta_host + 8 / 100e9
    bucket = 20 * 64 * alpha / beta_fast
    lines = [
        f"α = {alpha * 1e6:.2f} µs, β_host = {beta_host * 1e9:.3f} ns/byte "
        f"({1 / beta_host / 1e9 if beta_host > 0 else float('inf'):.2f} GB/s) on {result['cpu']}, "
        f"loopback, 2 ranks, {result['build']} build, load average {result['load_average'][0]:.1f}.",
        "",
        f"Compute per step (batch 64, 1 thread): MLP {result['step_seconds_batch64_1thread']['mlp'] * 1e3:.2f} ms, "
        f"CNN {result['step_seconds_batch64_1thread']['cnn'] * 1e3:.2f} ms; gradients: MLP "
        f"{4 * result['parameters']['mlp'] / 1e6:.2f} MB, CNN {4 * result['parameters']['cnn'] / 1e6:.2f} MB.",
        "",
        "| model | link | nodes | allreduce (ms) | efficiency | speed-up |",
        "|---|---|---:|---:|---:|---:|",
    ]
    lines += [f"| {m} | {l} | {p} | {t:.3f} | {e:.2f} | {s:.1f} |" for m, l, p, t, e, s in rows]
    lines += ["", f"Bucket for ≤ 5 % latency overhead at 64 nodes, 100 Gb/s: {bucket / 1e6:.1f} MB."]
    (ROOT / "docs/distributed-scaling.md").write_text("\n".join(lines) + "\n")
    (ROOT / "docs/images").mkdir(exist_ok=True)
    (ROOT / "docs/images/distributed-scaling.svg").write_text(chart(series))
    print("\n".join(lines))


def chart(series: dict[str, list[tuple[int, float]]]) -> str:
    width, height, left, bottom, top, right = 640, 400, 60, 50, 20, 170
    import math

    def x(p: float) -> float:
        return left + (math.log2(p) - 1) / (math.log2(64) - 1) * (width - left - right)

    def y(s: float) -> float:
        return height - bottom - s / 64 * (height - bottom - top)

    colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
             f'<rect width="{width}" height="{height}" fill="white"/>',
             f'<line x1="{x(2)}" y1="{y(2)}" x2="{x(64)}" y2="{y(64)}" stroke="#aaa" stroke-dasharray="4 3"/>']
    for p in [2, 4, 8, 16, 32, 64]:
        parts.append(f'<text x="{x(p)}" y="{height - bottom + 18}" text-anchor="middle">{p}</text>')
    for s in [0, 16, 32, 48, 64]:
        parts.append(f'<text x="{left - 8}" y="{y(s) + 4}" text-anchor="end">{s}</text>')
        parts.append(f'<line x1="{left}" y1="{y(s)}" x2="{x(64)}" y2="{y(s)}" stroke="#eee"/>')
    parts.append(f'<text x="{(left + x(64)) / 2}" y="{height - 10}" text-anchor="middle">nodes</text>')
    parts.append(f'<text x="14" y="{(top + height - bottom) / 2}" transform="rotate(-90 14 {(top + height - bottom) / 2})" text-anchor="middle">speed-up (α–β model)</text>')
    for index, (name, points) in enumerate(series.items()):
        colour = colours[index % len(colours)]
        dash = "" if name.startswith("MLP") else ' stroke-dasharray="6 3"'
        path = " ".join(f"{'M' if i == 0 else 'L'}{x(p):.1f},{y(s):.1f}" for i, (p, s) in enumerate(points))
        parts.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
        ly = top + 14 + index * 18
        parts.append(f'<line x1="{width - right + 10}" y1="{ly - 4}" x2="{width - right + 34}" y2="{ly - 4}" stroke="{colour}" stroke-width="2"{dash}/>')
        parts.append(f'<text x="{width - right + 40}" y="{ly}">{name}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    main()

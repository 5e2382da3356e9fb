"""Sparse product: the sparse × dense product Trainbook uses for pruned Dense layers in
inference against the dense OpenBLAS product on the same weight, at 80/90/95/99% sparsity and
batch 1 and 256 (trainbook-sparse alternates the two calls and reports both medians). The
figures show where the sparse product is faster, which `SparseProductRule` encodes."""

from __future__ import annotations

from .figures import Figure, median
from .process import run_json_lines
from .settings import Settings
from .training import plural, thread_environment


class SparseProductBenchmark:
    def __init__(self, settings: Settings, log) -> None:
        self.settings = settings
        self.log = log

    def run(self) -> list[Figure]:
        s = self.settings
        command = [s.binary("trainbook-sparse"), "--threads", str(s.inference_threads)]
        if s.quick:
            command.append("--quick")
        # values[(shape, sparsity, batch)] = ([dense ms per run], [sparse ms per run], rule)
        values: dict[tuple, tuple[list[float], list[float], str]] = {}
        for run in range(s.inference_runs):
            self.log(f"sparse product run {run + 1}/{s.inference_runs}")
            result = run_json_lines(command, env=thread_environment(s.inference_threads))
            for line in result.events("sparse_product"):
                key = (line["shape"], line["sparsity"], line["batch_size"])
                dense, sparse, _ = values.setdefault(key, ([], [], line["rule_chooses"]))
                dense.append(line["dense_median_ms"])
                sparse.append(line["sparse_median_ms"])
        figures = []
        for (shape, sparsity, batch), (dense, sparse, rule) in values.items():
            figures.append(
                Figure(
                    key=f"sparse.{shape}.s{round(sparsity * 100)}.batch{batch}", group="Sparse product",
                    name=f"{shape} weight, {sparsity:.0%} sparse, batch {batch}, "
                         f"{plural(s.inference_threads, 'thread')} (median)",
                    unit="ms", trainbook=median(sparse), peer_name="dense sgemm", peer=median(dense),
                    note=f"rule picks {rule}", samples={"sparse_median_ms": sparse, "dense_median_ms": dense},
                )
            )  # fmt: skip
        return figures

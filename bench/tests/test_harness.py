"""Unit tests of the harness's own logic: statistics, alternation, targets, the %%time
parser, the FLOP count, the report and the README update. (The measurements themselves are
exercised by `bench/run --quick`, which asserts no speed.)"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness import report  # noqa: E402
from harness.__main__ import missing_values, selected  # noqa: E402
from harness.efficiency import mlp_flops_per_example  # noqa: E402
from harness.figures import Figure, format_value, median, quantile, rotations  # noqa: E402
from harness.kernel_client import Execution  # noqa: E402
from harness.process import BenchmarkFailure, ProcessResult, run_json_lines  # noqa: E402
from harness.training import TrainingRun  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "peers"))
from report import batch_pace  # noqa: E402


def figure(trainbook, peer, **extra) -> Figure:
    return Figure(
        key="k", group="G", name="n", unit="s", trainbook=trainbook, peer_name="P", peer=peer, **extra
    )


def test_median_and_quantile_ignore_missing_values():
    assert median([3.0, None, 1.0, 2.0, float("nan")]) == 2.0
    assert median([]) is None
    values = [float(v) for v in range(1, 101)]
    assert quantile(values, 0.99) == 99.0
    assert quantile(values, 0.5) == 51.0  # nearest rank of 49.5 rounds to even: index 50
    assert quantile([], 0.5) is None


def test_rotations_put_every_contestant_in_every_position():
    orders = rotations(["a", "b", "c"], 3)
    assert orders == [["a", "b", "c"], ["b", "c", "a"], ["c", "a", "b"]]
    for position in range(3):
        assert sorted(order[position] for order in orders) == ["a", "b", "c"]
    assert rotations(["a", "b"], 3)[2] == ["a", "b"]


def test_ratio_targets_and_minimum_targets():
    fast = figure(0.4, 1.0, max_ratio=0.5)
    assert fast.ratio == pytest.approx(0.4) and fast.met is True and fast.target == "≤ 0.5×"
    slow = figure(0.6, 1.0, max_ratio=0.5)
    assert slow.met is False
    assert figure(0.6, None, max_ratio=0.5).met is None
    assert figure(0.6, 1.0).met is None and figure(0.6, 1.0).target == ""
    accuracy = Figure(key="a", group="G", name="acc", unit="", trainbook=0.88, peer_name="P",
                      peer=0.87, min_value=0.87)  # fmt: skip
    assert accuracy.met is True and accuracy.target == "≥ 0.870"
    accuracy.trainbook = 0.86
    assert accuracy.met is False


def test_values_print_with_three_significant_digits():
    assert format_value(0.98123, "s") == "0.981 s"
    assert format_value(7.66, "ms") == "7.66 ms"
    assert format_value(951.2, "MiB") == "951 MiB"
    assert format_value(12345.0, "MiB") == "12,345 MiB"
    assert format_value(None, "s") == "—"


@pytest.mark.parametrize(
    "stdout, seconds",
    [
        ("CPU times: user 61.4 ms, sys: 0 ns, total: 61.4 ms\nWall time: 61.2 ms\n", 0.0612),
        ("CPU times: user 1.2 s, sys: 3 ms, total: 1.2 s\nWall time: 1.23 s\n", 1.23),
        ("Wall time: 812 µs\n", 812e-6),
        ("Wall time: 950 ns\n", 950e-9),
        # what IPython 9 printed in CI: the Greek mu, not the micro sign
        ("CPU times: user 994 μs, sys: 0 ns, total: 994 μs\nWall time: 998 μs\n", 998e-6),
        # and its %.3g rounding up to a thousand, as CI printed it
        ("CPU times: user 733 μs, sys: 267 μs, total: 1e+03 μs\nWall time: 1e+03 μs\n", 1e-3),
    ],
)
def test_wall_time_is_read_from_both_kernels_time_magic(stdout, seconds):
    assert Execution(seconds=0, stdout=stdout).wall_time == pytest.approx(seconds)


def test_cpu_time_is_the_time_magic_total():
    stdout = "CPU times: user 1.1 s, sys: 110 ms, total: 1.21 s\nWall time: 1.3 s\n"
    assert Execution(seconds=0, stdout=stdout).cpu_time == pytest.approx(1.21)
    rounded = "CPU times: user 733 μs, sys: 267 μs, total: 1e+03 μs\nWall time: 1 ms\n"
    assert Execution(seconds=0, stdout=rounded).cpu_time == pytest.approx(1e-3)
    assert Execution(seconds=0, stdout="Wall time: 1 s\n").cpu_time is None


def test_no_wall_time_without_time_magic_output():
    assert Execution(seconds=0, stdout="2\n").wall_time is None


def test_mlp_epoch_flops_match_the_issue():
    # Issue 6: 24.5 GFLOP per 60,000-example epoch of the 784-128-10 MLP.
    assert mlp_flops_per_example() * 60_000 / 1e9 == pytest.approx(24.545, abs=0.001)


def test_only_selects_by_name_parts_and_efficiency_brings_the_mlp_runs():
    assert selected("training") == ["training-mlp", "training-cnn"]
    assert selected("efficiency") == ["training-mlp", "efficiency"]
    assert selected("kernel,interp") == ["kernel", "interpreter"]
    with pytest.raises(SystemExit):
        selected("gpu")


def test_missing_values_excuse_pytorch_only_when_it_is_absent():
    rows = [
        Figure(key="t", group="G", name="n", unit="s", trainbook=1.0, peer_name="PyTorch", peer=None),
        Figure(key="u", group="G", name="n", unit="s", trainbook=None, peer_name="NumPy", peer=1.0),
    ]
    assert missing_values(rows, has_torch=False) == ["u: no Trainbook value"]
    assert missing_values(rows, has_torch=True) == ["t: no PyTorch value", "u: no Trainbook value"]


def test_markdown_table_has_groups_ratios_and_targets():
    environment = {
        "cpu": "Test CPU", "cores": 2, "memory_gib": 8.0, "kernel": "6.1",
        "load_average_at_start": [0.5, 0.5, 0.5], "build": "release", "commit": "abc",
        "versions": {"swift": "Swift 6", "openblas": "OpenBLAS 0.3.21"},
    }  # fmt: skip
    rows = [figure(0.4, 1.0, max_ratio=0.5), figure(2.0, 1.0, max_ratio=1.5)]
    text = report.markdown(rows, environment, "make bench", [1, 2], "2025-01-01 00:00 UTC")
    assert "`make bench`" in text and "Test CPU" in text
    assert "| **G** |" in text
    assert "| n | 0.4 s | 1 s (P) | 0.40× | ≤ 0.5× | yes |" in text
    assert "| n | 2 s | 1 s (P) | 2.00× | ≤ 1.5× | **no** |" in text
    assert "Targets met: 1 of 2." in text


def test_readme_update_replaces_only_the_marked_section(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# T\n\n## Performance\n\nintro\n\n{report.README_BEGIN}\nold\n{report.README_END}\n\n## Next\n")
    report.update_readme(readme, "new table\n")
    assert readme.read_text() == (
        f"# T\n\n## Performance\n\nintro\n\n{report.README_BEGIN}\nnew table\n{report.README_END}\n\n## Next\n"
    )
    (tmp_path / "plain.md").write_text("# no markers\n")
    with pytest.raises(ValueError):
        report.update_readme(tmp_path / "plain.md", "x")


def test_process_runs_report_json_lines_peak_memory_and_failures():
    program = "import json; x = bytearray(64 * 1024 * 1024); print('noise'); print(json.dumps({'event': 'done', 'n': len(x)}))"
    result = run_json_lines([sys.executable, "-c", program])
    assert result.event("done")["n"] == 64 * 1024 * 1024
    assert result.peak_rss_bytes >= 64 * 1024 * 1024
    assert result.cpu_seconds > 0
    with pytest.raises(BenchmarkFailure):
        result.event("missing")
    with pytest.raises(BenchmarkFailure, match="status 3"):
        run_json_lines([sys.executable, "-c", "import sys; sys.exit(3)"])


def test_maximum_targets_compare_trainbook_with_a_bound():
    within = figure(1.0, 0.9, max_value=1.05)
    assert within.target == "≤ 1.05 s" and within.met is True
    assert figure(1.1, 0.9, max_value=1.05).met is False
    assert figure(None, 0.9, max_value=1.05).met is None


def test_tuning_benchmarks_are_selected_by_name():
    assert selected("tuning") == ["tuning-samplers", "tuning-overhead", "tuning-pruning"]
    assert selected("pruning") == ["tuning-pruning"]


def test_the_learning_curves_best_accuracy_is_what_a_fine_search_finds():
    import math

    from harness.tuning import best_curve_accuracy, standard_error

    def accuracy(rate: float, epochs: int) -> float:
        final = 0.92 - 0.05 * (math.log10(rate) + 2.5) ** 2
        return final - (final - 0.1) * math.exp(-epochs * 0.15 * math.sqrt(rate / 1e-3))

    best = best_curve_accuracy(9)
    rates = [10 ** (-4 + 3 * i / 997) for i in range(998)]
    assert max(accuracy(rate, 9) for rate in rates) <= best + 1e-12
    assert max(accuracy(rate, 9) for rate in rates) >= best - 1e-4
    assert best_curve_accuracy(50) > best
    assert standard_error([1.0, 3.0]) == pytest.approx(1.0)
    assert standard_error([2.0]) == 0.0


def test_batch_pace_is_the_10th_percentile_batch_times_the_batch_count():
    # 20 batches: 0.01 … 0.20 s, shuffled; the 10th percentile is index 2 of the sorted times.
    times = [0.01 * k for k in (7, 3, 20, 1, 15, 2, 9, 4, 18, 5, 11, 6, 13, 8, 16, 10, 12, 14, 17, 19)]
    pace = batch_pace(times)
    assert pace["batch_seconds_p10"] == pytest.approx(0.03)
    assert pace["epoch_seconds_at_batch_p10"] == pytest.approx(0.6)
    assert pace["batch_seconds_p1"] == pytest.approx(0.01)
    assert batch_pace([]) == {}


def test_training_runs_read_the_steady_epochs_pace_and_tolerate_its_absence():
    def result(paces):
        epochs = [
            {"event": "epoch", "seconds": 2.0, "cpu_seconds": 1.0, **({"epoch_seconds_at_batch_p10": p} if p else {})}
            for p in paces
        ]
        summary = {"event": "summary", "final_test_accuracy": 0.5}
        return ProcessResult(command=["x"], lines=[{"event": "config"}, *epochs, summary])

    # The first epoch (warm-up) is left out: the median of 0.4 and 0.6.
    assert TrainingRun.of("numpy", result([9.0, 0.4, 0.6])).steady_epoch_pace_seconds == pytest.approx(0.5)
    assert TrainingRun.of("pytorch", result([None, None])).steady_epoch_pace_seconds is None

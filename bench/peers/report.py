"""The peers' machine-readable output: one flat JSON object per line, the same events and
fields as trainbook-bench prints (config, epoch, summary), so the harness reads both alike."""

from __future__ import annotations

import json
import math
import resource
import sys


def emit(event: str, **fields) -> None:
    """Prints one JSON line `{"event": event, **fields}` (non-finite numbers become null)."""
    clean = {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in fields.items()}
    sys.stdout.write(json.dumps({"event": event, **clean}) + "\n")
    sys.stdout.flush()


def peak_resident_bytes() -> int:
    """The process's peak resident set size (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def cpu_seconds() -> float:
    """User plus system CPU seconds of the process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def batch_pace(batch_seconds: list[float]) -> dict[str, float]:
    """The 10th- and 1st-percentile of an epoch's batch times, and the epoch at the
    10th-percentile batch's pace: what the epoch takes when no other job interrupts it (the
    batches are alike). Each batch is timed from the previous batch's end to its own, as
    trainbook-bench times them, so gathering the batch counts."""
    if not batch_seconds:
        return {}
    ordered = sorted(batch_seconds)
    p10 = ordered[len(ordered) // 10]
    return {
        "batch_seconds_p10": p10,
        "epoch_seconds_at_batch_p10": p10 * len(ordered),
        "batch_seconds_p1": ordered[len(ordered) // 100],
    }

"""The soak test's driver (run it through scripts/soak): random cells from `cell-fuzz --emit`
through one real release kernel for N minutes, the front end replaced by a new client every few
minutes, as a browser reload would. A cell still running after --time-limit seconds is
interrupted; one still running --hang-limit seconds after that is a hang (the kernel is then
replaced). Reports cells run, their outcomes, interrupts, hangs, kernel deaths (target 0) and
the kernel's resident memory at the start, the end, after a final `%reset` (what is left
beyond the session's data) and its peak. With --reset-every, a `%reset` every so many minutes
reports the resident memory after it: what survives `%reset` is bounded (the two input
histories share the newest 10,000 to 20,000 cells' text, about 8 to 16 MiB of fuzzed cells; the
replay memory holds 65,536 signatures in about 3 MiB), so once they are full these figures stay
level, give or take the allocator's fragmentation, unless something leaks."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from jupyter_client.manager import KernelManager

ROOT = Path(__file__).resolve().parents[1]


def resident_mib(pid: int, field: str = "VmRSS") -> float:
    """The kernel's resident memory (`RssAnon`: only its heap and stacks, not the pages of the
    binary and libraries it has touched, which grow as fuzzed cells reach more code)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cells(fuzz: Path, seed: int, count: int):
    """Endless cells: `count` per seed, then the next seed."""
    while True:
        output = subprocess.run(
            [str(fuzz), "--emit", "--cells", str(count), "--seed", str(seed)],
            check=True, capture_output=True, text=True,
        ).stdout
        for line in output.splitlines():
            yield json.loads(line)
        seed += 1


class Soak:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.outcomes: Counter[str] = Counter()
        self.cells_run = 0
        self.interrupts = 0
        self.hangs = 0
        self.deaths = 0
        self.client_restarts = 0
        self.kernel_starts = 0
        self.peak = 0.0
        self.first_rss = 0.0
        self.first_anonymous = 0.0
        self.manager: KernelManager | None = None
        self.client = None

    def start_kernel(self) -> None:
        self.manager = KernelManager(kernel_name=self.args.kernel_name)
        self.manager.start_kernel()
        self.kernel_starts += 1
        self.connect()

    def connect(self) -> None:
        if self.client is not None:
            self.client.stop_channels()
        assert self.manager is not None
        self.client = self.manager.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=60)

    def stop_kernel(self) -> None:
        if self.client is not None:
            self.client.stop_channels()
            self.client = None
        if self.manager is not None:
            if self.manager.is_alive():
                self.manager.shutdown_kernel(now=False)
            self.manager.cleanup_resources()
            self.manager = None

    @property
    def pid(self) -> int:
        assert self.manager is not None and self.manager.provisioner is not None
        return self.manager.provisioner.process.pid

    def run_cell(self, code: str) -> None:
        assert self.client is not None and self.manager is not None
        msg_id = self.client.execute(code, allow_stdin=False)
        start = time.monotonic()
        interrupted = False
        while True:
            try:
                reply = self.client.get_shell_msg(timeout=0.2)
            except Exception:  # queue.Empty
                reply = None
            if reply is not None and reply["parent_header"].get("msg_id") == msg_id:
                status = reply["content"]["status"]
                name = reply["content"].get("ename", "") if status == "error" else ""
                self.outcomes[f"{status} {name}".strip()] += 1
                self.cells_run += 1
                return
            if not self.manager.is_alive():
                self.deaths += 1
                print(f"soak: the kernel died (exit {self.manager.provisioner.process.poll()}) on:\n{code}", flush=True)
                self.stop_kernel()
                self.start_kernel()
                return
            elapsed = time.monotonic() - start
            if not interrupted and elapsed > self.args.time_limit:
                self.manager.interrupt_kernel()
                self.interrupts += 1
                interrupted = True
            elif interrupted and elapsed > self.args.time_limit + self.args.hang_limit:
                self.hangs += 1
                print(f"soak: a cell ignored its interrupt for {self.args.hang_limit} s:\n{code}", flush=True)
                self.stop_kernel()
                self.start_kernel()
                return

    def run(self) -> int:
        fuzz = Path(self.args.cell_fuzz)
        self.start_kernel()
        self.first_rss = resident_mib(self.pid)
        self.first_anonymous = resident_mib(self.pid, "RssAnon")
        end = time.monotonic() + self.args.minutes * 60
        next_client = time.monotonic() + self.args.client_every
        next_report = time.monotonic() + 60
        reset_every = self.args.reset_every * 60
        next_reset = time.monotonic() + reset_every if reset_every > 0 else float("inf")
        started = time.monotonic()
        for code in cells(fuzz, self.args.seed, 2000):
            now = time.monotonic()
            if now >= end:
                break
            if now >= next_client:
                self.connect()
                self.client_restarts += 1
                next_client = now + self.args.client_every
            self.run_cell(code)
            self.peak = max(self.peak, resident_mib(self.pid))
            if now >= next_reset:
                self.run_cell("%reset")
                time.sleep(1)
                print(f"soak: {(now - started) / 60:.0f} min, {self.cells_run} cells, "
                      f"RSS after %reset {resident_mib(self.pid):.0f} MiB "
                      f"(anonymous {resident_mib(self.pid, 'RssAnon'):.0f} MiB)", flush=True)
                next_reset = now + reset_every
            if now >= next_report:
                print(f"soak: {(now - started) / 60:.0f} min, {self.cells_run} cells, "
                      f"RSS {resident_mib(self.pid):.0f} MiB, deaths {self.deaths}, hangs {self.hangs}", flush=True)
                next_report = now + 60
        last_rss = resident_mib(self.pid)
        alive = self.manager is not None and self.manager.is_alive()
        # What is left once the session's own data is dropped: growth here is a leak.
        fuzzed_cells = self.cells_run
        self.run_cell("%reset")
        time.sleep(1)
        reset_rss = resident_mib(self.pid)
        reset_anonymous = resident_mib(self.pid, "RssAnon")
        self.stop_kernel()
        minutes = (time.monotonic() - started) / 60
        print(f"soak: {minutes:.1f} minutes, {fuzzed_cells} cells run, {self.kernel_starts} kernel start(s), "
              f"{self.client_restarts} client restarts")
        print(f"soak: kernel deaths {self.deaths}, hangs {self.hangs}, interrupts {self.interrupts}, "
              f"kernel alive at the end: {alive}")
        print(f"soak: kernel RSS start {self.first_rss:.0f} MiB, end {last_rss:.0f} MiB "
              f"({reset_rss:.0f} MiB after %reset), peak {self.peak:.0f} MiB; anonymous "
              f"{self.first_anonymous:.0f} MiB at the start, {reset_anonymous:.0f} MiB after %reset")
        for outcome, count in self.outcomes.most_common():
            print(f"  {outcome}: {count}")
        return 0 if self.deaths == 0 and self.hangs == 0 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=120)
    parser.add_argument("--client-every", type=float, default=180, help="seconds between client restarts")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=2.0)
    parser.add_argument("--hang-limit", type=float, default=20.0)
    parser.add_argument("--reset-every", type=float, default=0, help="minutes between %%reset and an RSS report (0: only at the end)")
    parser.add_argument("--trainbook", required=True)
    parser.add_argument("--cell-fuzz", required=True)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="trainbook-soak-") as base:
        args.kernel_name = "trainbook-soak"
        subprocess.run([args.trainbook, "install", "--prefix", base, "--name", args.kernel_name],
                       check=True, capture_output=True)
        os.environ["JUPYTER_PATH"] = f"{base}/share/jupyter"
        os.environ["JUPYTER_RUNTIME_DIR"] = f"{base}/runtime"
        os.environ["TRAINBOOK_HISTORY"] = f"{base}/history.jsonl"
        # Fuzzed cells that read the environment find nothing of the user's.
        os.environ["HOME"] = base
        os.chdir(base)
        return Soak(args).run()


if __name__ == "__main__":
    sys.exit(main())

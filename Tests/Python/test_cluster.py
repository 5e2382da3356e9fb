"""The MPI cluster driven from a real Trainbook kernel (issue 16): `%cluster start 2` runs
`mpirun --oversubscribe -np 2 trainbook-worker` itself; `%%cluster` cells run on both ranks
with their output prefixed, errors name the rank, the stop button stops both ranks within a
second and leaves them usable, a killed rank is reported and the kernel lives on, and a
missing mpirun or an unreachable host is a clear error, never a hang."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import KERNEL_NAME, trainbook_binary
from jupyter_client.manager import start_new_kernel


def run(client, code: str, timeout: float = 120):
    outputs = []
    reply = client.execute_interactive(code, timeout=timeout, output_hook=outputs.append)
    streams = "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream")
    stderr = "".join(
        m["content"]["text"] for m in outputs if m["msg_type"] == "stream" and m["content"]["name"] == "stderr"
    )
    displays = [m["content"]["data"] for m in outputs if m["msg_type"] in ("display_data", "execute_result")]
    errors = [m["content"] for m in outputs if m["msg_type"] == "error"]
    return reply["content"], streams, stderr, displays, errors


@pytest.fixture(scope="module")
def cluster_kernel():
    manager, client = start_new_kernel(kernel_name=KERNEL_NAME)
    content, text, _, _, errors = run(client, "%cluster start 2 --timeout 90", timeout=120)
    assert content["status"] == "ok", errors
    yield manager, client
    try:
        run(client, "%cluster stop", timeout=30)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def test_status_lists_both_ranks(cluster_kernel):
    _, client = cluster_kernel
    content, text, _, _, _ = run(client, "%cluster status")
    assert content["status"] == "ok"
    rows = [line for line in text.splitlines() if re.match(r"^[01]\s", line)]
    assert len(rows) == 2, text
    assert all(row.split()[-1] == "idle" for row in rows), text
    pids = [int(row.split()[2]) for row in rows]
    assert all(os.path.exists(f"/proc/{pid}") for pid in pids)
    content, _, _, displays, _ = run(client, "cluster.size")
    assert displays and displays[0]["text/plain"] == "2"


def test_cells_run_on_every_rank_with_prefixes(cluster_kernel):
    _, client = cluster_kernel
    content, text, _, _, _ = run(client, '%%cluster\nprint("hello from", rank, "of", worldSize)')
    assert content["status"] == "ok"
    assert "[rank 0] hello from 0 of 2\n" in text
    assert "[rank 1] hello from 1 of 2\n" in text


def test_collectives_on_two_ranks(cluster_kernel):
    _, client = cluster_kernel
    code = """%%cluster
let s = allReduce(Tensor([1.0, 2.0]) * Double(rank + 1), op: .sum)
let m = allReduce(Tensor([Double(rank)]), op: .max)
let mean = allReduce(Double(rank), op: .mean)
print(s.scalars, m.scalars, mean)
print(gather(rank * 10), gather("r\\(rank)"), gather([rank, rank]))
print(broadcast(["lr": 0.5 + Double(rank)], from: 1), broadcast(Tensor([[1.0, 2.0]]) + Double(rank), from: 0).scalars)
barrier()
"""
    content, text, _, _, errors = run(client, code)
    assert content["status"] == "ok", (errors, text)
    for rank in (0, 1):
        assert f"[rank {rank}] [3.0, 6.0] [1.0] 0.5\n" in text, text
        assert f'[rank {rank}] [0, 10] ["r0", "r1"] [[0, 0], [1, 1]]\n' in text, text
        assert f'[rank {rank}] ["lr": 1.5] [1.0, 2.0]\n' in text, text


def test_allreduce_leaves_the_input_and_every_value_sharing_it_unchanged(cluster_kernel):
    """allReduce writes its result straight into a new tensor: the input, and the caller's
    other values sharing its storage, keep their elements, on both paths (MPI_Iallreduce below
    4,096 floats and above 262,144, the whole-tensor swap between) and for every operation."""
    _, client = cluster_kernel
    code = """%%cluster
let small = Tensor([1.0, 2.0, 4.0]) * Double(rank + 1)
let smallAlias = small
let big = Tensor.ones([300_000]) * Double(rank + 1)
let bigAlias = big
let row = big.reshaped([3, 100_000])
let s = allReduce(small, op: .sum)
let m = allReduce(small, op: .mean)
let x = allReduce(smallAlias, op: .max)
let b = allReduce(big, op: .mean)
let r = allReduce(row, op: .sum)
print(s.scalars, m.scalars, x.scalars, small.scalars, smallAlias.scalars)
print(b.min().scalar, b.max().scalar, r.shape, r.min().scalar, r.max().scalar)
print(big.min().scalar, big.max().scalar, bigAlias.max().scalar, row.max().scalar)
"""
    content, text, _, _, errors = run(client, code)
    assert content["status"] == "ok", (errors, text)
    for rank in (0, 1):
        mine = [float(v * (rank + 1)) for v in (1, 2, 4)]
        assert f"[rank {rank}] [3.0, 6.0, 12.0] [1.5, 3.0, 6.0] [2.0, 4.0, 8.0] {mine} {mine}\n" in text, text
        assert f"[rank {rank}] 1.5 1.5 [3, 100000] 3.0 3.0\n" in text, text
        value = float(rank + 1)
        assert f"[rank {rank}] {value} {value} {value} {value}\n" in text, text


def test_large_allreduce_takes_the_blocking_path_and_refuses_unequal_sizes(cluster_kernel):
    """allReduce agrees on the size first, then reduces into the
    result's own storage: the same sums and means, and ranks that pass different sizes get a
    clear error (not a hang) and stay in step."""
    _, client = cluster_kernel
    code = """%%cluster
let big = Tensor.ones([300_000]) * Double(rank + 1)
let total = allReduce(big, op: .sum)
let mean = allReduce(big, op: .mean)
print(total.min().scalar, total.max().scalar, mean.min().scalar, mean.max().scalar, big.max().scalar)
"""
    content, text, _, _, errors = run(client, code)
    assert content["status"] == "ok", (errors, text)
    assert "[rank 0] 3.0 3.0 1.5 1.5 1.0\n" in text and "[rank 1] 3.0 3.0 1.5 1.5 2.0\n" in text, text
    for sizes in ("300_000 : 400_000", "5_000 : 6_000", "6_000 : 5_000"):  # Open MPI; whole swaps
        content, text, _, _, errors = run(client, f"%%cluster\nallReduce(Tensor.zeros([rank == 0 ? {sizes}]))")
        assert content["status"] == "error", text
        assert "different sizes" in content["evalue"], content
    content, text, _, _, errors = run(client, "%%cluster\nprint(allReduce(Double(rank + 1)))")
    assert content["status"] == "ok" and text.count("3.0\n") == 2, (errors, text)


def test_ring_allreduce_is_exact_for_uneven_sizes_and_the_same_on_both_ranks(cluster_kernel):
    """Two ranks summing 4,096 to 262,144 floats swap whole tensors over point-to-point
    messages; other sizes and the maximum are Open MPI's MPI_Iallreduce. Odd sizes, every
    operation, exact values, the same bits on both ranks and the input left as it was, on both
    sides of each threshold."""
    _, client = cluster_kernel
    code = """%%cluster
for n in [4_095, 4_096, 4_097, 10_001, 262_144, 262_145, 300_001] {
    let v = arange(n)
    let x = v * Double(rank + 1) + Double(rank)
    let before = x.sum().scalar
    let s = allReduce(x, op: .sum)
    let m = allReduce(x, op: .mean)
    let top = allReduce(x, op: .max)
    let e = s - (v * 3 + 1)
    let f = m - (v * 1.5 + 0.5)
    let g = top - (v * 2 + 1)
    let exact = (e * e).sum().scalar == 0 && (f * f).sum().scalar == 0 && (g * g).sum().scalar == 0
    let sums = gather([s.sum().scalar, m.sum().scalar, m.max().scalar, top.sum().scalar])
    print(n, "exact:", exact, "same:", sums[0] == sums[1], "input kept:", x.sum().scalar == before, s.shape)
}
"""
    content, text, _, _, errors = run(client, code)
    assert content["status"] == "ok", (errors, text)
    for rank in (0, 1):
        for n in (4095, 4096, 4097, 10001, 262144, 262145, 300001):
            assert f"[rank {rank}] {n} exact: true same: true input kept: true [{n}]\n" in text, text


def test_allreduce_is_bit_identical_on_both_ranks_for_non_integer_values(cluster_kernel):
    """Random normal inputs (whose sums round, unlike integers): every rank's whole result,
    gathered, equals every other rank's bit for bit (a difference of exactly zero) and the
    sum of the gathered inputs, for each path: one MPI_Iallreduce (4,095 floats), the whole
    tensor swap (10,001) and Open MPI's ring (300,001), for the sum, the mean and the maximum."""
    _, client = cluster_kernel
    code = """%%cluster
seed(500 + rank)
for n in [4_095, 10_001, 300_001] {
    let x = Tensor(randomNormal: [n]) * 0.37
    let inputs = gather(x)
    let sums = gather(allReduce(x, op: .sum))
    let means = gather(allReduce(x, op: .mean))
    let tops = gather(allReduce(x, op: .max))
    let a = sums[0] - sums[1]
    let b = means[0] - means[1]
    let c = tops[0] - tops[1]
    let same = (a * a).sum().scalar == 0 && (b * b).sum().scalar == 0 && (c * c).sum().scalar == 0
    let e = sums[0] - (inputs[0] + inputs[1])
    let f = means[0] - (inputs[0] + inputs[1]) * 0.5
    let g = tops[0] - inputs[0].maximum(inputs[1])
    let right = (e * e).sum().scalar == 0 && (f * f).sum().scalar == 0 && (g * g).sum().scalar == 0
    print(n, "same bits:", same, "right:", right)
}
"""
    content, text, _, _, errors = run(client, code, timeout=300)
    assert content["status"] == "ok", (errors, text)
    for rank in (0, 1):
        for n in (4095, 10001, 300001):
            assert f"[rank {rank}] {n} same bits: true right: true\n" in text, text


def test_mismatched_sizes_across_the_threshold_and_mismatched_ops_are_clear_errors(cluster_kernel):
    """5,000 floats on one rank and 3,000 on the other (either side of the 4,096 from which two
    ranks use point-to-point messages) and .max on one rank against .sum on the other: a
    clear error on both ranks, never mismatched collectives or silently different results;
    the ranks stay in step."""
    _, client = cluster_kernel
    for sizes in ("5_000 : 3_000", "3_000 : 5_000", "100 : 200"):
        content, text, stderr, _, errors = run(client, f"%%cluster\nallReduce(Tensor.zeros([rank == 0 ? {sizes}]))")
        assert content["status"] == "error", text
        assert "different sizes" in content["evalue"], content
        assert "[rank 0]" in stderr and "[rank 1]" in stderr and stderr.count("different sizes") >= 2, stderr
    for n in (100, 5_000, 300_000):
        code = f"%%cluster\nlet x = Tensor.ones([{n}])\nif rank == 0 {{ allReduce(x, op: .max) }} else {{ allReduce(x, op: .sum) }}"
        content, text, stderr, _, errors = run(client, code)
        assert content["status"] == "error", text
        assert "different operations" in content["evalue"], content
        assert stderr.count("different operations") >= 2, stderr
    content, text, _, _, errors = run(client, "%%cluster\nprint(allReduce(Tensor.ones([5_000])).max().scalar)")
    assert content["status"] == "ok" and text.count("2.0\n") == 2, (errors, text)


def test_broadcast_of_a_model_gives_every_rank_the_root_weights(cluster_kernel):
    _, client = cluster_kernel
    code = """%%cluster
seed(100 + rank)
let model = Sequential { Dense(3, 4); ReLU(); Dense(4, 2) }
let before = gather(model[0].weight.value.sum().scalar)
broadcast(model, from: 0)
let after = gather(model[0].weight.value.sum().scalar)
print(before[0] != before[1], after[0] == after[1], after[0] == before[0])
"""
    content, text, _, _, errors = run(client, code)
    assert content["status"] == "ok", (errors, text)
    assert text.count("true true true\n") == 2, text


def test_root_only_output_and_rank_zero_result(cluster_kernel):
    _, client = cluster_kernel
    content, text, _, displays, _ = run(client, '%%cluster --root\nprint("only", rank)\n40 + rank + 2')
    assert content["status"] == "ok"
    assert text == "only 0\n"
    assert [d["text/plain"] for d in displays] == ["42"]


def test_an_error_on_one_rank_fails_the_cell_and_names_it(cluster_kernel):
    _, client = cluster_kernel
    content, text, stderr, _, errors = run(client, '%%cluster\nif rank == 1 { let x = [1][5] }\nprint("done", rank)')
    assert content["status"] == "error"
    assert content["ename"] == "IndexError"
    assert "on rank 1" in content["evalue"]
    assert "[rank 0] done 0" in text
    assert "[rank 1]" in stderr
    # Both ranks are usable afterwards.
    content, text, _, _, _ = run(client, "%%cluster\nprint(rank)")
    assert content["status"] == "ok" and "[rank 1] 1\n" in text


def wait_until_started(client, msg_id: str) -> None:
    """Waits for the request's execute_input: its cell is about to run."""
    while True:
        message = client.get_iopub_msg(timeout=10)
        if message["msg_type"] == "execute_input" and message["parent_header"]["msg_id"] == msg_id:
            return


def interrupt_and_wait(manager, client, msg_id: str, timeout: float = 10) -> tuple[dict, float]:
    """Presses the stop button; the request's reply content and the seconds it took."""
    start = time.monotonic()
    manager.interrupt_kernel()
    while True:
        reply = client.get_shell_msg(timeout=timeout)
        if reply["parent_header"]["msg_id"] == msg_id:
            return reply["content"], time.monotonic() - start


def test_interrupt_stops_both_ranks_within_a_second(cluster_kernel):
    manager, client = cluster_kernel
    run(client, "%%cluster\nvar steps = 0")
    msg_id = client.execute("%%cluster\nwhile true { steps += 1 }")
    wait_until_started(client, msg_id)
    time.sleep(1.0)
    content, elapsed = interrupt_and_wait(manager, client, msg_id)
    assert content["ename"] == "KeyboardInterrupt"
    assert elapsed < 1.0, f"interrupt took {elapsed:.2f} s"
    content, text, _, _, _ = run(client, "%%cluster\nprint(steps > 0)")
    assert content["status"] == "ok"
    assert text.count("true\n") == 2, text


def test_interrupt_ends_a_wait_for_a_rank_that_never_comes(cluster_kernel):
    """Rank 0 waits in an allReduce of 100,000 floats (the point-to-point path's size
    handshake) that rank 1 never joins: the stop button ends the wait (spinning, then sleeping)
    and rank 1's loop within a second, and `%cluster restart` brings the ranks back in step."""
    manager, client = cluster_kernel
    msg_id = client.execute(
        "%%cluster\nif rank == 0 { allReduce(Tensor.ones([100_000])) } else { var n = 0; while true { n += 1 } }"
    )
    wait_until_started(client, msg_id)
    time.sleep(1.0)
    content, elapsed = interrupt_and_wait(manager, client, msg_id)
    assert content["ename"] == "KeyboardInterrupt", content
    assert elapsed < 1.0, f"interrupt took {elapsed:.2f} s"
    content, _, _, _, errors = run(client, "%cluster restart", timeout=120)
    assert content["status"] == "ok", errors
    content, text, _, _, errors = run(client, "%%cluster\nprint(allReduce(Tensor.ones([100_000])).max().scalar)")
    assert content["status"] == "ok" and text.count("2.0\n") == 2, (errors, text)


def test_interrupt_mid_allreduce_never_gives_wrong_values_and_refuses_until_restart(cluster_kernel):
    """Both ranks loop over large allReduces (the whole-tensor swap at 200,000 floats, Open
    MPI's at 1,000,000) and are interrupted, most likely while
    messages are in flight. A later allReduce never gives wrong values: it is correct, or it
    is refused with an error that says to run %cluster restart (a rank interrupted inside a
    collective refuses every later one; a rank interrupted between two may then wait for it
    and is interrupted again). After %cluster restart the values are right."""
    manager, client = cluster_kernel

    def interrupt(msg_id: str) -> dict:
        return interrupt_and_wait(manager, client, msg_id, timeout=30)[0]

    refused = False
    for delay, n in ((1.0, "200_000"), (1.7, "1_000_000"), (2.3, "200_000")):
        code = (
            f"%%cluster\nlet big = Tensor.ones([{n}]) * Double(rank + 1)\n"
            "while true { let s = allReduce(big); precondition(s.min().scalar == 3 && s.max().scalar == 3) }"
        )
        msg_id = client.execute(code)
        time.sleep(delay)
        assert interrupt(msg_id)["ename"] == "KeyboardInterrupt"
        check = f"%%cluster\nlet t = allReduce(Tensor.ones([{n}]) * Double(rank + 1))\nprint(t.min().scalar, t.max().scalar)"
        outputs: list[dict] = []
        msg_id = client.execute(check)
        try:
            reply = client.get_shell_msg(timeout=20)
            while reply["parent_header"]["msg_id"] != msg_id:
                reply = client.get_shell_msg(timeout=20)
            content = reply["content"]
        except Exception:  # one rank waits for a collective the other refused: stop it
            content = interrupt(msg_id)
        while True:
            message = client.get_iopub_msg(timeout=10)
            if message["parent_header"].get("msg_id") != msg_id:
                continue
            if message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
                break
            outputs.append(message)
        text = "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream")
        if content["status"] == "ok":
            assert text.count("3.0 3.0\n") == 2, text  # never wrong values
            continue
        for line in text.splitlines():  # whatever a rank printed is right
            if re.match(r"^\[rank \d\] [-\d.]+ [-\d.]+$", line):
                assert line.endswith(" 3.0 3.0"), text
        refused = True
        assert content["ename"] in ("KeyboardInterrupt",) or "%cluster restart" in content["evalue"], content
        if content["ename"] == "KeyboardInterrupt":
            content, _, _, _, _ = run(client, check, timeout=30)
            assert content["status"] == "error" and "%cluster restart" in content["evalue"], content
        content, _, _, _, errors = run(client, "%cluster restart", timeout=120)
        assert content["status"] == "ok", errors
    content, text, _, _, errors = run(client, "%%cluster\nprint(allReduce(Tensor.ones([1_000_000])).max().scalar)")
    assert content["status"] == "ok" and text.count("2.0\n") == 2, (errors, text)
    print("refused at least once:", refused)


def test_zz_a_killed_rank_is_reported_and_the_kernel_lives(cluster_kernel):
    _, client = cluster_kernel
    content, text, _, _, _ = run(client, "%cluster status")
    pid = int([line for line in text.splitlines() if re.match(r"^1\s", line)][0].split()[2])
    msg_id = client.execute('%%cluster\nprint("working")\nwhile true { }')
    time.sleep(1.5)
    os.kill(pid, signal.SIGKILL)
    while True:
        reply = client.get_shell_msg(timeout=30)
        if reply["parent_header"]["msg_id"] == msg_id:
            break
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "ClusterError"
    assert "rank 1 died" in reply["content"]["evalue"]
    assert "signal 9" in reply["content"]["evalue"]
    content, text, _, displays, _ = run(client, "1 + 1")
    assert content["status"] == "ok" and displays[0]["text/plain"] == "2"
    content, text, _, _, _ = run(client, "%cluster status")
    assert "failed" in text
    content, text, _, _, errors = run(client, "%cluster restart", timeout=120)
    assert content["status"] == "ok", errors
    content, text, _, _, _ = run(client, "%%cluster\nprint(worldSize)")
    assert text.count("2\n") == 2
    content, text, _, displays, errors = run(client, "let three = Cluster(processes: 3)\nthree.size", timeout=120)
    assert content["status"] == "ok", errors
    assert displays[-1]["text/plain"] == "3"
    content, text, _, _, _ = run(client, "%%cluster\nprint(worldSize)")
    assert text.count("3\n") == 3, text
    content, _, _, _, errors = run(client, "%cluster start 2", timeout=120)
    assert content["status"] == "ok", errors


def test_missing_mpirun_is_explained(tmp_path):
    saved = os.environ.get("TRAINBOOK_MPIRUN")
    os.environ["TRAINBOOK_MPIRUN"] = str(tmp_path / "no-mpirun")
    try:
        manager, client = start_new_kernel(kernel_name=KERNEL_NAME)
    finally:
        if saved is None:
            del os.environ["TRAINBOOK_MPIRUN"]
        else:
            os.environ["TRAINBOOK_MPIRUN"] = saved
    try:
        content, _, _, _, _ = run(client, "%cluster start 2")
        assert content["status"] == "error"
        assert "mpirun was not found" in content["evalue"]
        assert "apt-get install openmpi-bin" in content["evalue"]
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def test_unreachable_host_times_out(tmp_path):
    hostfile = tmp_path / "hosts"
    # TEST-NET-1 (RFC 5737): never routed, so ssh can only wait.
    hostfile.write_text("192.0.2.1 slots=2\n")
    manager, client = start_new_kernel(kernel_name=KERNEL_NAME)
    try:
        start = time.monotonic()
        content, _, _, _, _ = run(client, f"%cluster start 2 --hostfile {hostfile} --timeout 4", timeout=60)
        elapsed = time.monotonic() - start
        assert content["status"] == "error"
        assert content["ename"] == "ClusterError"
        assert "--timeout" in content["evalue"] or "mpirun exited" in content["evalue"]
        assert elapsed < 15, f"took {elapsed:.1f} s"
        content, _, _, displays, _ = run(client, "1 + 1")
        assert content["status"] == "ok"
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def test_ranks_started_outside_the_kernel_are_attached_and_a_frozen_one_is_found(tmp_path):
    """`mpirun -np 2 trainbook-worker --registration-dir DIR` started by the user (as a batch
    script or srun would), then `%cluster attach DIR`: status, a collective over both ranks.
    Then rank 1 and its supervisor are frozen (SIGSTOP: a lost machine, which no mpirun in the
    kernel reports): the heartbeat finds the silent rank and fails the cell waiting on it."""
    directory = tmp_path / "ranks"
    worker = trainbook_binary().parent / "trainbook-worker"
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    env.pop("TRAINBOOK_CLUSTER_KEY", None)
    job = subprocess.Popen(
        ["mpirun", "--oversubscribe", "--bind-to", "none", "-np", "2", str(worker),
         "--registration-dir", str(directory), "--advertise", "127.0.0.1"],
        env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True)  # fmt: skip
    manager, client = start_new_kernel(
        kernel_name=KERNEL_NAME, env=dict(os.environ, TRAINBOOK_CLUSTER_HEARTBEAT_SECONDS="6"))
    stopped: list[int] = []
    try:
        content, text, _, _, errors = run(client, f"%cluster attach {directory} --timeout 120", timeout=150)
        assert content["status"] == "ok", (errors, text)
        assert "2 ranks running (attached from" in text, text
        assert oct(os.stat(directory / "rank-0.json").st_mode & 0o777) == "0o600"
        content, text, _, _, errors = run(
            client, "%%cluster\nlet total = allReduce(Tensor([Double(rank + 1)]), op: .sum)\nprint(\"total\", total.sum().scalar)")
        assert content["status"] == "ok", (errors, text)
        assert re.search(r"^\[rank 0\] total 3(\.0)?$", text, re.M), text
        assert re.search(r"^\[rank 1\] total 3(\.0)?$", text, re.M), text
        content, _, _, _, _ = run(client, "%cluster restart")
        assert content["status"] == "error" and "started outside the kernel" in content["evalue"], content
        pids = rank_pids(client)
        with open(f"/proc/{pids[1]}/stat") as stat:
            supervisor = int(stat.read().rsplit(")", 1)[1].split()[1])
        for pid in (supervisor, pids[1]):
            os.kill(pid, signal.SIGSTOP)
            stopped.append(pid)
        start = time.monotonic()
        content, text, _, _, _ = run(client, "%%cluster\nbarrier()", timeout=120)
        elapsed = time.monotonic() - start
        assert content["status"] == "error", (content, text)
        assert "rank 1 died" in content["evalue"] and "heartbeat" in content["evalue"], content
        assert elapsed < 60, elapsed
        content, text, _, _, _ = run(client, "%cluster status")
        assert "failed" in text and "rank 1 died" in text, text
        content, _, _, _, _ = run(client, "1 + 1")
        assert content["status"] == "ok"
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
        try:
            os.killpg(job.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        for pid in stopped:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        job.wait(timeout=30)


def test_attach_without_ranks_times_out_clearly(tmp_path):
    manager, client = start_new_kernel(kernel_name=KERNEL_NAME)
    try:
        content, _, _, _, _ = run(client, f"%cluster attach {tmp_path} --timeout 1", timeout=30)
        assert content["status"] == "error"
        assert "registered in" in content["evalue"] and "--registration-dir" in content["evalue"], content
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


@pytest.mark.parametrize("distribution, hidden", [
    ("Distribution.dataParallel.bucketSize(10_000)", 32), (".dataParallel", 32),
    (".dataParallel", 4), ("Distribution.dataParallel.bucketSize(1_000)", 4)])
def test_data_parallel_fit_equals_one_process_with_the_whole_batch(cluster_kernel, distribution, hidden):
    """2 ranks × batch 64 on strided shards = 1 process × batch 128 on the same examples in
    the same order, after an epoch (8 updates); and the ranks hold the same weights. Buckets of
    10,000 floats split the 25,450 gradients into several allreduces (the last one the first
    layer's weights alone); the default bucket holds all four, whose gradients the two ranks
    swap from where backward left them, one message each, into one new tensor: a stale or
    misplaced value at any step would show in the weights. With 4 hidden units the model's
    3,190 floats are below the pair's 4,096: the last bucket's parts are then copied into one
    tensor and reduced by Open MPI's allreduce without a handshake (the only fits whose last
    bucket takes that path)."""
    _, client = cluster_kernel
    code = """%%cluster
let data = MNIST().train.prefix(1024)
func makeModel() { Sequential { Flatten(); Dense(784, HIDDEN); ReLU(); Dense(HIDDEN, 10) } }
seed(3)
let model = makeModel()
seed(3)
let single = makeModel()
let history = model.fit(data.shard(rank, of: worldSize), epochs: 1, batchSize: 64,
                        optimizer: SGD(learningRate: 0.1), shuffle: false, verbose: false,
                        distributed: DISTRIBUTION)
let sums = gather(model[1].weight.value.sum().scalar + model[3].bias.value.sum().scalar)
print("same on every rank:", sums[0] == sums[1])
if rank == 0 {
    let alone = single.fit(data, epochs: 1, batchSize: 128, optimizer: SGD(learningRate: 0.1),
                           shuffle: false, verbose: false)
    var difference = 0.0
    for i in [1, 3] {
        let w = model[i].weight.value - single[i].weight.value
        let b = model[i].bias.value - single[i].bias.value
        difference += (w * w).sum().scalar + (b * b).sum().scalar
    }
    print("difference:", difference < 1e-8, difference)
    print("loss:", abs(history["loss"][0] - alone["loss"][0]) < 1e-4, history["loss"][0], alone["loss"][0])
}
"""
    code = code.replace("DISTRIBUTION", distribution).replace("HIDDEN", str(hidden))
    content, text, _, _, errors = run(client, code, timeout=300)
    assert content["status"] == "ok", (errors, text)
    assert text.count("same on every rank: true") == 2, text
    assert "[rank 0] difference: true" in text, text
    assert "[rank 0] loss: true" in text, text


ONE_BUCKET = "12730 floats of 4 trainable parameters in 1 bucket of [12730]"
FROZEN_LAST = "12560 floats of 2 trainable parameters in 1 bucket of [12560]"
# A callback that freezes the last layer on rank 1 only, after the first epoch.
FREEZE_ON_RANK_1 = """callbacks: [{ epoch, logs in
    if rank == 1 && epoch <= 1 { model[3].freeze() }
    return true
}], """
NOTHING_TRAINABLE = "0 floats of 0 trainable parameters in 0 buckets of []"
# A callback that freezes every layer on rank 1 only, after the first epoch.
FREEZE_ALL_ON_RANK_1 = """callbacks: [{ epoch, logs in
    if rank == 1 && epoch <= 1 { model[1].freeze(); model[3].freeze() }
    return true
}], """


@pytest.mark.parametrize("how, callback, rank0, rank1", [
    ("if rank == 1 { model[3].freeze() }\nlet how = Distribution.dataParallel", "", ONE_BUCKET, FROZEN_LAST),
    ("let how = Distribution.dataParallel.bucketSize(rank == 0 ? 1_000_000 : 1_000)", "", ONE_BUCKET,
     "12730 floats of 4 trainable parameters in 2 buckets of [186, 12544]"),
    ("let how = Distribution.dataParallel", FREEZE_ON_RANK_1, ONE_BUCKET, FROZEN_LAST),
    ("let how = Distribution.dataParallel.bucketSize(1_000)", FREEZE_ON_RANK_1,
     "12730 floats of 4 trainable parameters in 2 buckets of [186, 12544]",
     "12560 floats of 2 trainable parameters in 2 buckets of [16, 12544]"),
    ("if rank == 1 { model[1].freeze(); model[3].freeze() }\nlet how = Distribution.dataParallel", "",
     ONE_BUCKET, NOTHING_TRAINABLE),
    ("let how = Distribution.dataParallel", FREEZE_ALL_ON_RANK_1, ONE_BUCKET, NOTHING_TRAINABLE),
    ("if rank == 1 { model[3].freeze() }\nlet how = Distribution.dataParallel.overlapped(false)", "",
     ONE_BUCKET, FROZEN_LAST),
    ("let how = Distribution.dataParallel.overlapped(false)", FREEZE_ON_RANK_1, ONE_BUCKET, FROZEN_LAST),
    ("let how = Distribution.dataParallel.overlapped(false)", FREEZE_ALL_ON_RANK_1, ONE_BUCKET,
     NOTHING_TRAINABLE),
])
def test_a_bucket_plan_that_differs_between_ranks_is_a_clear_error_in_fit(cluster_kernel, how, callback, rank0, rank1):
    """Every rank compares the bucket plan at every step of a data-parallel fit (a max-allreduce
    of its digest; the last bucket's reduction takes no handshake of its own): other frozen
    parameters on one rank, another bucket size, or a layer frozen by a callback on rank 1 only
    after the first epoch (in the middle of the fit, for a model in one bucket and one in two),
    every layer frozen on rank 1 only (no trainable parameters: rank 1 still takes part in the
    comparison), and the same reducing after backward (`.overlapped(false)`, which compares its
    buckets too) fail the fit on both ranks with a message saying what differs, never a hang or mismatched
    collectives; the ranks stay in step."""
    _, client = cluster_kernel
    code = f"""%%cluster
let data = MNIST().train.prefix(256)
func makeModel() {{ Sequential {{ Flatten(); Dense(784, 16); ReLU(); Dense(16, 10) }} }}
let model = makeModel()
{how}
model.fit(data.shard(rank, of: worldSize), epochs: 3, batchSize: 64, optimizer: SGD(learningRate: 0.1),
          {callback}verbose: false, distributed: how)
"""
    content, text, stderr, _, errors = run(client, code, timeout=120)
    assert content["status"] == "error", text
    assert "same trainable parameters and bucket size on every rank" in content["evalue"], content
    for rank in (0, 1):
        assert f"[rank {rank}]" in stderr, stderr
    assert f"rank 0 reduces {rank0}, rank 1 {rank1}" in stderr, stderr
    assert f"rank 1 reduces {rank1}, rank 0 {rank0}" in stderr, stderr
    content, text, _, _, errors = run(client, "%%cluster\nprint(allReduce(Tensor.ones([5_000])).max().scalar)")
    assert content["status"] == "ok" and text.count("2.0\n") == 2, (errors, text)


def test_data_parallel_buckets_reduce_in_place_through_the_whole_tensor_swap(cluster_kernel):
    """Reducing after backward (`.overlapped(false)`), the first layer's 235,200-float weight
    gradient is a bucket of its own, reduced in place over point-to-point messages (two ranks
    swap whole tensors up to 262,144 floats: the peer's received into a scratch buffer, added,
    the mean scaled). The weights equal one process with the whole batch, and are the same on
    both ranks."""
    _, client = cluster_kernel
    code = """%%cluster
let data = MNIST().train.prefix(256)
func makeModel() { Sequential { Flatten(); Dense(784, 300); ReLU(); Dense(300, 10) } }
seed(5)
let model = makeModel()
seed(5)
let single = makeModel()
model.fit(data.shard(rank, of: worldSize), epochs: 1, batchSize: 64,
          optimizer: SGD(learningRate: 0.1), shuffle: false, verbose: false,
          distributed: Distribution.dataParallel.bucketSize(10_000).overlapped(false))
let sums = gather(model[1].weight.value.sum().scalar + model[3].weight.value.sum().scalar)
print("same on every rank:", sums[0] == sums[1])
single.fit(data, epochs: 1, batchSize: 128, optimizer: SGD(learningRate: 0.1), shuffle: false, verbose: false)
var difference = 0.0
for i in [1, 3] {
    let w = model[i].weight.value - single[i].weight.value
    let b = model[i].bias.value - single[i].bias.value
    difference += (w * w).sum().scalar + (b * b).sum().scalar
}
print("as one process:", difference < 1e-8, difference)
"""
    content, text, _, _, errors = run(client, code, timeout=300)
    assert content["status"] == "ok", (errors, text)
    assert text.count("same on every rank: true") == 2, text
    assert text.count("as one process: true") == 2, text


def test_overlapped_buckets_start_during_backward_and_train_as_after_it(cluster_kernel):
    """The allreduces overlap the backward pass: with buckets of 330 floats the MLP's gradients
    (reverse order: b2, W2 | b1 | W1) make three buckets, started strictly in order and all
    reduced at every step. A bucket starts during backward only once the step's plan comparison
    (`BucketPlanCheck`) has heard from every rank, so in a step where the peer runs late (a
    loaded machine) the buckets wait for backward's end; over 32 steps, bucket 0's non-blocking
    allreduce starts before backward has computed the first layer's weight gradient (parameter
    0) in some, on both ranks. The weights equal those of reducing after backward."""
    _, client = cluster_kernel
    code = """%%cluster
let data = MNIST().train.prefix(512)
func makeModel() { Sequential { Flatten(); Dense(784, 32); ReLU(); Dense(32, 10) } }
seed(4)
let overlapped = makeModel()
seed(4)
let after = makeModel()
let during = Distribution.dataParallel.bucketSize(330)
var steps: [[String]] = []
let record = Callback(onBatchEnd: { batch, logs in steps.append(during.lastStepEvents) })
overlapped.fit(data.shard(rank, of: worldSize), epochs: 8, batchSize: 64,
               optimizer: SGD(learningRate: 0.1), callbacks: [record], shuffle: false,
               verbose: false, distributed: during)
print("steps:", steps.count)
for events in steps { print("events:", events) }
let later = Distribution.dataParallel.bucketSize(330).overlapped(false)
after.fit(data.shard(rank, of: worldSize), epochs: 8, batchSize: 64,
          optimizer: SGD(learningRate: 0.1), shuffle: false, verbose: false, distributed: later)
print("no events without overlap:", later.lastStepEvents.isEmpty)
var difference = 0.0
for i in [1, 3] {
    let w = overlapped[i].weight.value - after[i].weight.value
    difference += (w * w).sum().scalar
}
print("as after backward:", difference < 1e-12, difference)
"""
    content, text, _, _, errors = run(client, code, timeout=300)
    assert content["status"] == "ok", (errors, text)
    for rank in (0, 1):
        assert f"[rank {rank}] steps: 32" in text, text
        lines = re.findall(rf"^\[rank {rank}\] events: (.*)$", text, re.MULTILINE)
        assert len(lines) == 32, text
        overlapped_steps = 0
        for line in lines:
            events = re.findall(r'"([^"]*)"', line)
            assert [e for e in events if e.endswith("started")] == [f"bucket {k} started" for k in range(3)], events
            assert [e for e in events if e.endswith("reduced")] == [f"bucket {k} reduced" for k in range(3)], events
            assert events.index("gradient 0 complete") < events.index("backward ended"), events
            # The last bucket (parameter 0's) is reduced once backward has ended.
            assert events.index("backward ended") < events.index("bucket 2 started"), events
            if events.index("bucket 0 started") < events.index("gradient 0 complete"):
                overlapped_steps += 1
        assert overlapped_steps > 0, lines
        assert f"[rank {rank}] no events without overlap: true" in text, text
        assert f"[rank {rank}] as after backward: true" in text, text


def test_push_and_pull_values_and_models(cluster_kernel):
    _, client = cluster_kernel
    code = """seed(5)
let sent = Sequential { Flatten(); Dense(4, 3); ReLU(); Dense(3, 2) }
cluster.push("settings", ["lr": 0.5, "names": ["a", "b"]])
cluster.push("weights", Tensor([[1.0, 2.0], [3.0, 4.0]]))
cluster.push("model", sent)
"""
    content, text, _, _, errors = run(client, code)
    assert content["status"] == "ok", errors
    content, text, _, _, errors = run(
        client,
        '%%cluster\nprint(settings["lr"]!, weights.sum().scalar, model(Tensor([[1.0, 2.0, 3.0, 4.0]])).shape)\n'
        "model[1].weight.value = model[1].weight.value * Double(rank + 2)\nlet mine = rank * 100",
    )
    assert content["status"] == "ok", (errors, text)
    assert text.count("0.5 10.0 [1, 2]") == 2, text
    content, text, _, displays, errors = run(
        client,
        'let back = cluster.pull("model", from: 1)\n'
        "print(cluster.pull(\"mine\", from: 1), cluster.pull(\"mine\"))\n"
        "let ratio = (back[1].weight.value / sent[1].weight.value).mean().scalar\n"
        "print(abs(ratio - 3) < 1e-5, back(Tensor([[1.0, 2.0, 3.0, 4.0]])).shape)",
    )
    assert content["status"] == "ok", (errors, text)
    assert "100 0\n" in text and "true [1, 2]\n" in text, text
    content, _, _, _, _ = run(client, 'cluster.pull("nothing")')
    assert content["status"] == "error" and "nothing" in content["evalue"]


def rank_pids(client) -> dict[int, int]:
    _, text, _, _, _ = run(client, "%cluster status")
    return {int(line.split()[0]): int(line.split()[2]) for line in text.splitlines() if re.match(r"^[01]\s", line)}


def study_rows(table: str) -> list[tuple[str, str]]:
    """The rows of `print(study)`'s table as (state, worker rank)."""
    rows = []
    for line in table.splitlines():
        match = re.match(r"^\s*\d+\s+(complete|failed|pruned|interrupted)\b.*\brank (\d+)", line)
        if match:
            rows.append((match.group(1), match.group(2)))
    return rows


def test_a_study_on_the_cluster_runs_its_trials_on_the_ranks_with_the_kernels_sampler(cluster_kernel):
    """Each trial runs in a rank's session (`score` exists only there); its parameters come
    from the kernel's seeded sampler, equal to a study run in the kernel alone; reports reach
    the kernel's pruner; the table names the rank."""
    _, client = cluster_kernel
    content, text, _, _, errors = run(client, "%%cluster\nfunc score(_ x: Double, _ units: Int) -> Double { x * Double(units) }")
    assert content["status"] == "ok", errors
    code = """let study = Study(sampler: .random(seed: 7), pruner: .median(warmupSteps: 0, startupTrials: 2))
study.optimize(trials: 8, on: cluster) { trial in
    let x = trial.uniform("x", 0...1)
    let units = trial.choice("units", [16, 32, 64])
    trial.report(score(x, units), step: 0)
    if trial.shouldPrune { return 1000.0 }
    print("trial", trial.number, "on rank", rank)
    return score(x, units)
}
let local = Study(sampler: .random(seed: 7), pruner: .median(warmupSteps: 0, startupTrials: 2))
local.optimize(trials: 8) { trial in
    let x = trial.uniform("x", 0...1)
    let units = trial.choice("units", [16, 32, 64])
    trial.report(x * Double(units), step: 0)
    if trial.shouldPrune { return 1000.0 }
    return x * Double(units)
}
var same = 0
for i in 0..<8 {
    if study.trials[i].parameters["x"] as! Double == local.trials[i].parameters["x"] as! Double
        && study.trials[i].parameters["units"] as! Int == local.trials[i].parameters["units"] as! Int {
        same += 1
    }
}
print("same parameters:", same)
print(study)
"""
    content, text, stderr, _, errors = run(client, code, timeout=300)
    assert content["status"] == "ok", (errors, text)
    assert "same parameters: 8" in text, text
    assert re.search(r"\[rank [01]\] trial \d on rank [01]", text), text
    rows = study_rows(text)
    assert len(rows) == 8, text
    assert {worker for _, worker in rows} == {"0", "1"}, text
    assert "worker" in text
    # The kernel's pruner answered the ranks: trials 0 and 1 ran before any trial completed
    # (the pruner's 2 start-up trials); trial 7 (value 33, the median of the complete ones
    # about 4) starts once they have finished, whatever the timing, and is pruned.
    assert [state for state, _ in rows[:2]] == ["complete", "complete"], text
    assert rows[7][0] == "pruned", text


def test_a_study_objective_using_a_kernel_only_name_says_to_push_it(cluster_kernel):
    _, client = cluster_kernel
    code = """let onlyHere = 3.0
let lonely = Study()
lonely.optimize(trials: 2, on: cluster) { trial in trial.uniform("x", 0...1) * onlyHere }"""
    content, _, _, _, errors = run(client, code, timeout=120)
    assert content["status"] == "error", errors
    assert content["ename"] == "ClusterError"
    assert "onlyHere" in content["evalue"] and 'cluster.push("onlyHere", onlyHere)' in content["evalue"]
    content, text, _, _, _ = run(client, 'cluster.push("onlyHere", 3.0)\nlonely.optimize(trials: 2, on: cluster) { trial in trial.uniform("x", 0...1) * onlyHere }\nprint(lonely.trials.filter { $0.state.name == "complete" }.count)')
    assert content["status"] == "ok" and text.strip().endswith("2"), text


def test_interrupt_stops_a_study_on_every_rank_and_leaves_them_usable(cluster_kernel):
    manager, client = cluster_kernel
    code = """let long = Study(sampler: .random(seed: 1))
long.optimize(trials: 50, on: cluster) { trial in
    let x = trial.uniform("x", 0...1)
    sleep(30)
    return x
}"""
    msg_id = client.execute(code)
    time.sleep(3.0)
    content, elapsed = interrupt_and_wait(manager, client, msg_id, timeout=30)
    assert content["ename"] == "KeyboardInterrupt", content
    assert elapsed < 5.0, f"interrupt took {elapsed:.2f} s"
    content, text, _, _, _ = run(client, 'print(long.trials.count, long.trials.filter { $0.state.name == "interrupted" }.count)')
    assert text.strip() == "2 2", text
    content, text, _, _, _ = run(client, "%%cluster\nprint(rank)")
    assert content["status"] == "ok" and "[rank 0] 0\n" in text and "[rank 1] 1\n" in text, text
    content, text, _, _, errors = run(client, 'long.optimize(trials: 2, on: cluster) { trial in trial.uniform("x", 0...1) }\nprint(long.trials.count)')
    assert content["status"] == "ok" and text.strip() == "4", (errors, text)


def test_zz_a_rank_killed_mid_study_fails_its_trial_and_the_study_goes_on(cluster_kernel):
    _, client = cluster_kernel
    pids = rank_pids(client)
    code = """let hardy = Study(sampler: .random(seed: 2))
hardy.optimize(trials: 6, on: cluster) { trial in
    let x = trial.uniform("x", 0...1)
    sleep(3)
    return x
}
print(hardy)"""
    msg_id = client.execute(code)
    time.sleep(2.5)  # inside rank 1's first trial, which lasts 3 s
    os.kill(pids[1], signal.SIGKILL)
    outputs = []
    while True:
        reply = client.get_shell_msg(timeout=120)
        if reply["parent_header"]["msg_id"] == msg_id:
            break
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            message = client.get_iopub_msg(timeout=1)
        except Exception:
            break
        if message["parent_header"].get("msg_id") == msg_id:
            outputs.append(message)
            if message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
                break
    text = "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream")
    assert reply["content"]["status"] == "ok", (reply["content"], text)
    assert "rank 1 died" in text and "signal 9" in text, text
    rows = study_rows(text)
    assert len(rows) == 6, text
    assert [worker for state, worker in rows if state == "failed"] == ["1"], text
    assert sum(state == "complete" for state, _ in rows) == 5, text
    content, text, _, _, _ = run(client, "%cluster status")
    assert "failed" in text and "rank 1 died" in text, text
    content, _, _, _, errors = run(client, "%cluster restart", timeout=120)
    assert content["status"] == "ok", errors


def test_zz_a_rank_killed_while_idle_shows_in_status_and_fails_the_next_cell(cluster_kernel):
    _, client = cluster_kernel
    pids = rank_pids(client)
    os.kill(pids[1], signal.SIGKILL)
    deadline = time.monotonic() + 20
    text = ""
    while time.monotonic() < deadline and "died" not in text:
        time.sleep(0.5)
        _, text, _, _, _ = run(client, "%cluster status")
    assert re.search(r"^1\s.*died \(exited on signal 9 \(Killed\)\)", text, re.M), text
    assert re.search(r"^0\s.*idle", text, re.M), text
    content, text, _, _, _ = run(client, "%%cluster\nprint(rank)")
    assert content["status"] == "error" and "rank 1 died" in content["evalue"], content
    content, _, _, _, errors = run(client, "%cluster restart", timeout=120)
    assert content["status"] == "ok", errors


def test_ranks_end_when_the_kernel_is_killed():
    manager, client = start_new_kernel(kernel_name=KERNEL_NAME)
    content, text, _, _, errors = run(client, "%cluster start 2", timeout=120)
    assert content["status"] == "ok", errors
    pids = [int(line.split()[2]) for line in text.splitlines() if re.match(r"^[01]\s", line)]
    assert len(pids) == 2
    client.stop_channels()
    manager.shutdown_kernel(now=True)  # SIGKILL: no %cluster stop, no clean-up in the kernel
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(os.path.exists(f"/proc/{pid}") for pid in pids):
        time.sleep(0.5)
    alive = [pid for pid in pids if os.path.exists(f"/proc/{pid}")]
    for pid in alive:
        os.kill(pid, signal.SIGKILL)
    assert not alive, "ranks outlived their kernel"

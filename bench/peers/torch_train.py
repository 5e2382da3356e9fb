"""PyTorch peer of `trainbook-bench mlp|cnn`: the same model, data, optimizer and batch, written
the way a PyTorch user who cares about speed would (whole data set in one tensor, a shuffled
index per epoch, no DataLoader), printing the same JSON lines.

    python torch_train.py mlp|cnn [--data fashion|mnist5k] [--epochs N] [--batch-size B]
                                  [--learning-rate LR] [--seed S] [--threads T] [--limit N] [--test-limit N]

An epoch's `seconds` cover its training batches only; the test-set evaluation after it is timed
apart (`eval_seconds`), as trainbook-bench does.
"""

from __future__ import annotations

import argparse
import os
import time

import idx
from report import batch_pace, cpu_seconds, emit, peak_resident_bytes


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("workload", choices=["mlp", "cnn"])
    parser.add_argument("--data", default="fashion", choices=["fashion", "mnist5k"])
    parser.add_argument("--data-dir")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--learning-rate", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--test-limit", type=int)
    return parser.parse_args()


def model(workload: str, nn):
    """The tutorial's MLP or CNN, as trainbook-bench's Workloads builds them."""
    if workload == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 5 * 5, 128), nn.ReLU(), nn.Linear(128, 10),
    )  # fmt: skip


def main() -> None:
    options = arguments()
    os.environ.setdefault("OMP_NUM_THREADS", str(options.threads))
    load_start = time.perf_counter()
    import torch
    from torch import nn

    torch.set_num_threads(options.threads)
    torch.manual_seed(options.seed)
    train_x, train_y, test_x, test_y = idx.load(options.data, options.data_dir)
    if options.limit:
        train_x, train_y = train_x[: options.limit], train_y[: options.limit]
    if options.test_limit:
        test_x, test_y = test_x[: options.test_limit], test_y[: options.test_limit]
    # [N, 1, 28, 28] as Trainbook's data sets give images.
    train_x = torch.from_numpy(train_x).unsqueeze(1)
    test_x = torch.from_numpy(test_x).unsqueeze(1)
    train_y, test_y = torch.from_numpy(train_y), torch.from_numpy(test_y)
    load_seconds = time.perf_counter() - load_start

    network = model(options.workload, nn)
    optimizer = torch.optim.Adam(network.parameters(), lr=options.learning_rate)
    loss_function = nn.CrossEntropyLoss()
    emit(
        "config", workload=options.workload, data=options.data, peer="pytorch",
        train_examples=len(train_x), test_examples=len(test_x), epochs=options.epochs,
        batch_size=options.batch_size, learning_rate=options.learning_rate, seed=options.seed,
        threads=torch.get_num_threads(), parameters=sum(p.numel() for p in network.parameters()),
        load_seconds=load_seconds, torch_version=torch.__version__,
    )  # fmt: skip

    generator = torch.Generator().manual_seed(options.seed)
    count = len(train_x)
    final = {}
    total_seconds = 0.0
    for epoch in range(1, options.epochs + 1):
        network.train()
        cpu_start, start = cpu_seconds(), time.perf_counter()
        order = torch.randperm(count, generator=generator)
        loss_sum, correct = 0.0, 0
        batch_seconds, batch_end = [], start
        for first in range(0, count, options.batch_size):
            batch = order[first : first + options.batch_size]
            x, y = train_x[batch], train_y[batch]
            optimizer.zero_grad(set_to_none=True)
            logits = network(x)
            loss = loss_function(logits, y)
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * len(batch)
            correct += (logits.argmax(1) == y).sum().item()
            now = time.perf_counter()
            batch_seconds.append(now - batch_end)
            batch_end = now
        seconds = time.perf_counter() - start
        cpu = cpu_seconds() - cpu_start
        total_seconds += seconds

        eval_start = time.perf_counter()
        network.eval()
        test_loss, test_correct = 0.0, 0
        with torch.inference_mode():
            for first in range(0, len(test_x), 1000):
                x, y = test_x[first : first + 1000], test_y[first : first + 1000]
                logits = network(x)
                test_loss += loss_function(logits, y).item() * len(y)
                test_correct += (logits.argmax(1) == y).sum().item()
        final = {"test_loss": test_loss / len(test_x), "test_accuracy": test_correct / len(test_x)}
        emit(
            "epoch", epoch=epoch, seconds=seconds, cpu_seconds=cpu, **batch_pace(batch_seconds),
            samples_per_second=count / seconds, train_loss=loss_sum / count,
            train_accuracy=correct / count, **final,
            eval_seconds=time.perf_counter() - eval_start, peak_rss_bytes=peak_resident_bytes(),
        )  # fmt: skip
    emit(
        "summary", epochs=options.epochs, train_seconds=total_seconds,
        mean_epoch_seconds=total_seconds / max(options.epochs, 1),
        final_test_accuracy=final.get("test_accuracy", float("nan")),
        final_test_loss=final.get("test_loss", float("nan")), peak_rss_bytes=peak_resident_bytes(),
    )  # fmt: skip


if __name__ == "__main__":
    main()

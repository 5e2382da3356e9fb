"""Hand-written NumPy peer of `trainbook-bench mlp`: Flatten, Dense 784→128 relu, Dense 128→10,
softmax cross-entropy, Adam (Kingma & Ba 2015, "Adam: A Method for Stochastic Optimization",
with PyTorch's bias-corrected step), batch 128, seeded shuffles; float32 throughout, buffers
allocated once and updated in place (`out=`), every product one BLAS call. The fastest peer for
this small model on a CPU. Prints the same JSON lines as trainbook-bench.

    python numpy_mlp.py [--data fashion|mnist5k] [--epochs N] [--batch-size B]
                        [--learning-rate LR] [--seed S] [--threads T] [--limit N] [--test-limit N]

Set OPENBLAS_NUM_THREADS before starting Python for the thread count to apply to NumPy's BLAS
(the harness does); --threads is recorded.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import idx
from report import batch_pace, cpu_seconds, emit, peak_resident_bytes

F32 = np.float32


class AdamState:
    """One parameter's Adam moments, updated in place."""

    def __init__(self, parameter: np.ndarray) -> None:
        self.parameter = parameter
        self.first = np.zeros_like(parameter)
        self.second = np.zeros_like(parameter)
        self.scratch = np.zeros_like(parameter)
        self.denominator = np.zeros_like(parameter)

    def step(self, gradient: np.ndarray, rate: float, step: int, betas=(0.9, 0.999), eps=1e-8):
        beta1, beta2 = betas
        self.first *= F32(beta1)
        self.first += F32(1 - beta1) * gradient
        self.second *= F32(beta2)
        np.multiply(gradient, gradient, out=self.scratch)
        self.scratch *= F32(1 - beta2)
        self.second += self.scratch
        correction1 = 1 - beta1**step
        correction2 = 1 - beta2**step
        np.sqrt(self.second, out=self.denominator)
        self.denominator *= F32(1 / np.sqrt(correction2))
        self.denominator += F32(eps)
        np.divide(self.first, self.denominator, out=self.scratch)
        self.scratch *= F32(rate / correction1)
        self.parameter -= self.scratch


class MLP:
    """Dense 784→128 relu, Dense 128→10, with PyTorch's default initialisation
    (uniform in ±1/√fan_in for weights and biases) and weights laid out [out, in] as torch's."""

    def __init__(self, rng: np.random.Generator, hidden: int = 128, classes: int = 10) -> None:
        def uniform(shape, fan_in):
            bound = 1 / np.sqrt(fan_in)
            return rng.uniform(-bound, bound, size=shape).astype(F32)

        self.w1, self.b1 = uniform((hidden, 784), 784), uniform((hidden,), 784)
        self.w2, self.b2 = uniform((classes, hidden), hidden), uniform((classes,), hidden)
        self.parameters = [self.w1, self.b1, self.w2, self.b2]

    def logits(self, x: np.ndarray) -> np.ndarray:
        hidden = x @ self.w1.T
        hidden += self.b1
        np.maximum(hidden, 0, out=hidden)
        out = hidden @ self.w2.T
        out += self.b2
        return out


def train_batch(model: MLP, states, x: np.ndarray, y: np.ndarray, rate: float, step: int):
    """One forward/backward pass and Adam update; returns (summed loss, correct predictions)."""
    count = len(y)
    rows = np.arange(count)
    hidden = x @ model.w1.T
    hidden += model.b1
    np.maximum(hidden, 0, out=hidden)
    logits = hidden @ model.w2.T
    logits += model.b2
    correct = int((logits.argmax(1) == y).sum())
    # Stable softmax cross-entropy; its gradient with respect to the logits is (p - onehot) / n.
    logits -= logits.max(axis=1, keepdims=True)
    probabilities = np.exp(logits)
    sums = probabilities.sum(axis=1, keepdims=True)
    loss = float(np.log(sums[:, 0]).sum() - logits[rows, y].sum())
    probabilities /= sums
    probabilities[rows, y] -= 1
    probabilities *= F32(1 / count)
    d_logits = probabilities
    d_w2 = d_logits.T @ hidden
    d_b2 = d_logits.sum(axis=0)
    d_hidden = d_logits @ model.w2
    d_hidden *= hidden > 0
    d_w1 = d_hidden.T @ x
    d_b1 = d_hidden.sum(axis=0)
    for state, gradient in zip(states, (d_w1, d_b1, d_w2, d_b2)):
        state.step(gradient, rate, step)
    return loss, correct


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="fashion", choices=["fashion", "mnist5k"])
    parser.add_argument("--data-dir")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--learning-rate", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--test-limit", type=int)
    options = parser.parse_args()

    load_start = time.perf_counter()
    train_x, train_y, test_x, test_y = idx.load(options.data, options.data_dir)
    if options.limit:
        train_x, train_y = train_x[: options.limit], train_y[: options.limit]
    if options.test_limit:
        test_x, test_y = test_x[: options.test_limit], test_y[: options.test_limit]
    train_x = np.ascontiguousarray(train_x.reshape(len(train_x), -1))
    test_x = np.ascontiguousarray(test_x.reshape(len(test_x), -1))
    load_seconds = time.perf_counter() - load_start

    rng = np.random.default_rng(options.seed)
    model = MLP(rng)
    states = [AdamState(parameter) for parameter in model.parameters]
    emit(
        "config", workload="mlp", data=options.data, peer="numpy", train_examples=len(train_x),
        test_examples=len(test_x), epochs=options.epochs, batch_size=options.batch_size,
        learning_rate=options.learning_rate, seed=options.seed, threads=options.threads,
        parameters=sum(p.size for p in model.parameters), load_seconds=load_seconds,
        numpy_version=np.__version__,
    )  # fmt: skip

    count, step, total_seconds, final = len(train_x), 0, 0.0, {}
    for epoch in range(1, options.epochs + 1):
        cpu_start, start = cpu_seconds(), time.perf_counter()
        order = rng.permutation(count)
        loss_sum, correct = 0.0, 0
        batch_seconds, batch_end = [], start
        for first in range(0, count, options.batch_size):
            batch = order[first : first + options.batch_size]
            step += 1
            loss, right = train_batch(
                model, states, train_x[batch], train_y[batch], options.learning_rate, step
            )
            loss_sum += loss
            correct += right
            now = time.perf_counter()
            batch_seconds.append(now - batch_end)
            batch_end = now
        seconds = time.perf_counter() - start
        cpu = cpu_seconds() - cpu_start
        total_seconds += seconds

        eval_start = time.perf_counter()
        test_loss, test_correct = 0.0, 0
        for first in range(0, len(test_x), 1000):
            x, y = test_x[first : first + 1000], test_y[first : first + 1000]
            logits = model.logits(x)
            test_correct += int((logits.argmax(1) == y).sum())
            logits -= logits.max(axis=1, keepdims=True)
            test_loss += float(
                np.log(np.exp(logits).sum(axis=1)).sum() - logits[np.arange(len(y)), y].sum()
            )
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

"""bench/cluster: the PyTorch DDP peer of the data-parallel MLP epoch (issue 16).

The same model (784-128-10), data (the bundled MNIST subset's 4,000 training images), shards
(every 2nd image from the rank, as `data.shard(rank, of: 2)`, no shuffling), batch (64 per rank)
and optimizer (SGD, learning rate 0.05) as bench/cluster/run.py's Trainbook epoch, trained by
`torch.nn.parallel.DistributedDataParallel` with the gloo backend on 2 processes of 1 thread each
(DDP's default 25 MB buckets, allreduce overlapped with backward). Prints one JSON line per epoch
from rank 0: {"epoch": k, "seconds": wall seconds of the epoch on rank 0}.

usage: /usr/bin/python3 bench/cluster/torch_ddp.py [--epochs N] [--port P]
(Debian's python3-torch has gloo; most pip wheels do too.)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "peers"))
import idx  # noqa: E402


def train(rank: int, world: int, epochs: int, port: int) -> None:
    os.environ["OMP_NUM_THREADS"] = "1"
    import torch
    import torch.distributed as dist
    from torch import nn
    from torch.nn.parallel import DistributedDataParallel

    torch.set_num_threads(1)
    dist.init_process_group(
        "gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world)
    train_x, train_y, _, _ = idx.load("mnist5k")
    usable = len(train_x) // world * world
    x_all = torch.from_numpy(train_x[:usable][rank::world]).unsqueeze(1)
    y_all = torch.from_numpy(train_y[:usable][rank::world])
    torch.manual_seed(1)
    network = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    model = DistributedDataParallel(network)  # broadcasts rank 0's parameters
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    loss_function = nn.CrossEntropyLoss()
    for epoch in range(1, epochs + 1):
        dist.barrier()
        start = time.perf_counter()
        for first in range(0, len(x_all), 64):
            x, y = x_all[first : first + 64], y_all[first : first + 64]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_function(model(x), y)
            loss.backward()  # DDP's hooks allreduce the buckets as their gradients are ready
            optimizer.step()
        seconds = time.perf_counter() - start
        if rank == 0:
            print(json.dumps({"epoch": epoch, "seconds": seconds}), flush=True)
    dist.destroy_process_group()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--port", type=int, default=29517)
    options = parser.parse_args()
    import torch.multiprocessing as mp

    mp.spawn(train, args=(2, options.epochs, options.port), nprocs=2, join=True)


if __name__ == "__main__":
    main()

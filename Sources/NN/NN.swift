// NN: neural-network layers, losses, optimizers, learning-rate schedules, regularizers, the
// training loop and PyTorch-compatible state dicts.
//
// Design note. Layers and models are reference objects holding `Parameter`s (a tensor plus its
// gradient, frozen flag, group and optional pruning mask); optimizers keep per-parameter state and
// override one per-parameter step, as in mlx-swift and tensorflow/swift-apis.

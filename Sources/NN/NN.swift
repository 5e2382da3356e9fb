// NN: neural-network layers, losses, optimizers, learning-rate schedules, regularizers, the
// training loop and PyTorch-compatible state dicts.
//
// Design note. Layers and models are reference objects holding `Parameter`s (a tensor plus its
// gradient, frozen flag, group and optional pruning mask); optimizers keep per-parameter state and
// override one per-parameter step, as in mlx-swift and tensorflow/swift-apis.
//
// `Layer` is a small protocol: a forward pass, the layer's own parameters, buffers and children
// by name, and a training flag. Everything else — recursive names (`1.weight`, as PyTorch spells
// them), counting, freezing, train/eval, state dicts, summaries, regularization — is a default
// implementation over those few requirements, so a layer written in the cell language is adapted
// by one class that lists its stored properties.
//
// Gradients are functional: `valueWithGradient(of: model) { m in loss }` makes each trainable
// parameter an autodiff leaf for the duration of the closure and returns the loss with a
// `Gradients` value keyed by parameter identity and name; `optimizer.update(model, along:)`
// applies them in place, off the tape. A pruning mask is an invariant (masked entries of a value
// stay exactly zero): gradients are masked when taken and values re-masked after each update, so
// the forward pass pays nothing for it.
//
// Losses are free functions of (prediction, target) from logits; schedules are value types that
// give the learning rate at a training position; architectures are described as JSON so a saved
// safetensors file can rebuild its model.

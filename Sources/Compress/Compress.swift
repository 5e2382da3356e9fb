// Compress: making trained models smaller and faster — weight pruning (unstructured, gradual,
// structured), and later int8 quantization and the side-by-side comparison.
//
// Design note. Unstructured pruning needs no new layer type: NN's `Parameter` carries an
// optional pruning mask, and NN keeps it as an invariant — gradients are masked when
// `valueWithGradient` takes them and every optimizer (through `OptimizerBase`) re-masks the value
// after its step — so `fit`, hand-written loops and every optimizer's momentum or moment
// estimates leave a pruned weight at exactly zero. This module only decides *which* entries to
// mask: `prune(_:sparsity:scope:)` by magnitude once, `PruningSchedule` gradually during `fit`.
// Masks only grow: an entry pruned once is never revived by a later, lower target.
//
// Structured pruning (`pruneUnits(_:fraction:by:)`) is different in kind: it builds a new,
// smaller `Sequential` whose Dense layers have fewer units and Conv2D layers fewer channels (with
// their BatchNorm and the next layer's inputs), so the saving is real in parameters,
// file size and time, not just in zeros.
//
// Which tensors are pruned: the weights of rank ≥ 2 (Dense, Conv2D, Embedding); biases and
// normalization scales stay dense, as in `torch.nn.utils.prune` tutorials and TF-MOT.

// Data: real data sets for training — readers, in-memory data sets, batching and augmentation.
//
// Design note. Images are held as UInt8 and converted to Float32 one batch at a time, so the full
// Fashion-MNIST costs 55 MB, not 220 MB. Shuffles, splits and augmentation take a seeded
// `RandomGenerator`, so `seed(42)` makes them reproducible.

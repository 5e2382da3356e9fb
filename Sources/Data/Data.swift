// Data: real data sets for training — readers, in-memory data sets, batching and augmentation.
//
// Design note. Images are held as UInt8 and converted to Float32 one batch at a time, so the full
// Fashion-MNIST costs 55 MB, not 220 MB. Shuffles, splits and augmentation take a seeded
// `RandomGenerator`, so `seed(42)` makes them reproducible.
//
// A `Dataset` is a reference object: two immutable stores (features, targets) and a list of rows.
// `prefix`, `subset`, `shuffled`, `split`, `filtered` and `normalized` return views over the same
// stores, so cutting a 2,000-image subset or a validation split copies no pixels. Normalisation
// is recorded on the view and applied as batches are made.
//
// Batching (`Batches`) draws the epoch's order up front; each batch gathers its rows and converts
// them in one pass into a buffer the iterator reuses (bytes through a 256-entry table per channel
// that folds in the /255 and the normalisation), then applies augmentations in place, then
// becomes a tensor. Each batch's augmentation generator is derived from the epoch seed and the
// batch index, so `batch(at:)` and the iterator agree whatever the access order — which is also
// what lets `makeIterator(prefetching: true)` assemble the next batch on a background queue.
//
// Readers (IDX, CSV) read the whole file, then check every header against the file size and the
// memory budget before allocating: a truncated, corrupt or lying file is a `DataError` naming
// the file and what is wrong, never a trap or a huge allocation. Gzip goes through zlib with an
// output bounded by what the checked header asks for.

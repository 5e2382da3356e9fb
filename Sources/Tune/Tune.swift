// Tune: hyperparameter search — studies, trials, samplers, trial pruners, journals.
//
// Design note. A `Study` owns the trial records and runs an objective, a Swift closure that
// asks its `Trial` for parameters (`trial.uniform("dropout", 0...0.5)`), may report
// intermediate values (`trial.report(loss, step: epoch)`) and returns the objective value(s).
// Where a parameter comes from is a `Sampler`'s business (grid, random, TPE, Gaussian process,
// NSGA-II); whether a trial stops early is a `Pruner`'s (median, asynchronous successive halving,
// Hyperband, and their multi-objective form). Both are small protocols that read the finished
// trials; neither keeps hidden state: every draw of a trial comes from a generator seeded by the
// sampler's seed and the trial's number, so a study reloaded from its journal continues exactly
// as an uninterrupted one would. A `JournalStorage` appends every event as one JSON line (as
// Optuna's JournalStorage does) and replays them to rebuild a study.
//
// Samplers work in an internal space: a float parameter is its value (its logarithm when log
// scaled), an integer its value (or logarithm) widened by half a step on either side, a choice
// the index of the option. `Distribution` converts both ways.

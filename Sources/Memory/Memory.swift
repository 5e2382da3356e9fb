// Memory: the one memory budget of a session, shared by everything a cell can allocate.
//
// Design note. A cell allocates through two routes: the language's own values (arrays, strings,
// repetitions) and library tensors. Each has its own way to be counted: a tensor's storage is
// reserved and released exactly; a Swift array has no hook when it dies, so it is seen through
// the growth of the process's resident memory. `MemoryBudget` holds both counts and checks
// every request against their larger one, so neither route can pass the limit by hiding behind
// the other. A session owns its budget; the evaluating thread installs it (`MemoryBudget.current`)
// for the duration of each cell, so two sessions in one process keep their own limits.

// Files: the one way Trainbook writes a whole file.
//
// Design note. Every file a user or the kernel keeps (checkpoints, safetensors weights, charts,
// notebooks, connection files, history, kernelspecs) is written by `AtomicFile`: the bytes go to
// a temporary file in the target's directory, the file is synced, renamed over the target, and
// the directory is synced, so a reader (or a crash) sees the old contents or the new, never half
// a file. A symbolic link is written through (its target is replaced, the link stays), and a
// path that cannot hold a new file gets an error that says why, not the system's bare errno.

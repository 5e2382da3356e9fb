// Jupyter: the Jupyter messaging protocol over ZeroMQ, as a kernel server and as a client.
//
// Design note. Layers, each one file or folder, each knowing only the one below:
//   sockets (libzmq, retry on EINTR) -> wire (identities, <IDS|MSG>, HMAC-SHA256 verified before
//   any JSON is parsed) -> messages (typed header and content) -> kernel server (one dispatch
//   table from message type to handler; busy/idle; queueing; interrupt) -> `Interpreter`.
// The server knows no language: it drives any `KernelInterface.Interpreter`.

/// A decoded shell request waiting to be served (read early while aborting the queue).
struct QueuedRequest {
    var request: Request
}

extension KernelServer {
    /// The execution thread: serves shell requests one at a time until shutdown.
    func shellLoop() {
        var poller = ZMQPoller([.socket(shellSocket), .pipe(shellWakeup)])
        while !isShuttingDown {
            recordHistory()
            if !queuedRequests.isEmpty {
                serve(queuedRequests.removeFirst().request)
                continue
            }
            do {
                let ready = try poller.poll(timeoutMilliseconds: -1)
                if ready[1] { shellWakeup.drain() }
                if ready[0], !isShuttingDown, let frames = try shellSocket.receive(wait: false) {
                    receive(frames, on: .shell)
                }
            } catch {
                log("shell: \(error.description)")
                return
            }
        }
        recordHistory()
    }

    /// Records the cell that `handleExecute` left in `unrecordedHistory`.
    private func recordHistory() {
        guard let entry = unrecordedHistory else { return }
        unrecordedHistory = nil
        history.add(line: entry.line, input: entry.input, output: entry.output)
    }

    /// The control thread: serves control requests, also while a cell runs, until shutdown.
    func controlLoop() {
        var poller = ZMQPoller([.socket(controlSocket), .pipe(controlWakeup)])
        while true {
            do {
                let ready = try poller.poll(timeoutMilliseconds: -1)
                if ready[1] { controlWakeup.drain() }
                if ready[0], let frames = try controlSocket.receive(wait: false) {
                    receive(frames, on: .control)
                }
            } catch {
                log("control: \(error.description)")
                return
            }
            // Leave only once the execution thread is done, so a shutdown reply is sent first.
            if isShuttingDown, hasShellStopped { return }
        }
    }

    /// Reads every shell request already waiting, without blocking, and marks the execute
    /// requests among them as aborted (stop_on_error after a failed cell).
    func abortQueuedExecuteRequests() {
        for index in queuedRequests.indices
        where queuedRequests[index].request.header.type == .executeRequest {
            queuedRequests[index].request.isAborted = true
        }
        while true {
            let frames: [[UInt8]]?
            do {
                frames = try shellSocket.receive(wait: false)
            } catch {
                log("shell: \(error.description)")
                return
            }
            guard let frames else { return }
            guard var request = decode(frames, on: .shell) else { continue }
            request.isAborted = request.header.type == .executeRequest
            queuedRequests.append(QueuedRequest(request: request))
        }
    }
}

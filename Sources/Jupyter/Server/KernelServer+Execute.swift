import KernelInterface

extension KernelServer {
    /// Runs a cell: `execute_input`, the interpreter's output, `execute_result` or `error`, the
    /// user expressions, then the reply (`busy` and `execute_input` go out together just before
    /// the cell runs; the result is held to go out with the reply and `idle`); after a failure
    /// with `stop_on_error`, the execute requests already queued are answered as aborted
    /// without running. The history entry is
    /// left in `unrecordedHistory` for the shell loop to record after `idle` (a file write less
    /// before the front end hears that the cell is done).
    func handleExecute(_ request: Request) throws(JupyterError) {
        let content = try request.message.decode(ExecuteRequest.self)
        if request.isAborted {
            reply(
                to: request, .executeReply,
                content: ExecuteReply(executionCount: executionCount, status: .error(.aborted)).json
            )
            return
        }
        if content.storeHistory { executionCount += 1 }
        let count = executionCount
        if !content.silent {
            hold(
                .executeInput, parent: request.header,
                content: ExecuteInput(code: content.code, executionCount: count).json)
        }
        let sink = KernelOutputSink(
            publisher: publisher, session: session, parent: request.header,
            isSilent: content.silent,
            input: content.allowStdin
                ? InputSource(stdin: stdin, request: request, publisher: publisher) : nil)
        // Nothing stays held while the cell runs: a front end hears `busy` at once.
        publisher.flush()
        isExecuting.store(true, ordering: .sequentiallyConsistent)
        let outcome = interpreter.value.execute(
            ExecutionRequest(
                code: content.code, executionCount: count, silent: content.silent,
                storeHistory: content.storeHistory, allowStdin: content.allowStdin),
            output: sink)
        isExecuting.store(false, ordering: .sequentiallyConsistent)
        stdin.clearInterrupt()

        let status: ExecuteReply.Status
        var resultText: String?
        switch outcome {
        case .success(let result):
            if let result, !content.silent {
                resultText = result.plainText
                hold(
                    .executeResult, parent: request.header,
                    content: DisplayContent(bundle: result, executionCount: count).json)
            }
            // User expressions are user code and may take long: the result goes out first.
            if !content.userExpressions.isEmpty { publisher.flush() }
            status = .ok(
                payload: sink.pages.map(KernelServer.pagePayload),
                userExpressions: evaluate(content.userExpressions))
        case .failure(let error):
            if !content.silent {
                hold(.error, parent: request.header, content: ErrorContent(error).json)
            }
            status = .error(error)
        }
        if content.storeHistory {
            unrecordedHistory = (line: count, input: content.code, output: resultText)
        }
        if case .error = status, content.stopOnError { abortQueuedExecuteRequests() }
        // The reply goes out with `idle`, after everything held or printed (withBusyStatus).
        reply(
            to: request, .executeReply,
            content: ExecuteReply(executionCount: count, status: status).json)
    }

    /// Evaluates `user_expressions`; each failure is reported under its own name only.
    private func evaluate(_ expressions: [String: String]) -> [String: JSONValue] {
        expressions.mapValues { expression in
            switch interpreter.value.evaluate(expression: expression) {
            case .success(let bundle):
                return [
                    "status": "ok", "data": .object(bundle.data),
                    "metadata": .object(bundle.metadata),
                ]
            case .failure(let error):
                return ErrorReply(error).json
            }
        }
    }

    /// A pager payload entry of `execute_reply`.
    static func pagePayload(_ bundle: MimeBundle) -> JSONValue {
        ["source": "page", "data": .object(bundle.data), "start": 0]
    }
}

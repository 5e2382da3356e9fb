import KernelInterface

/// Handlers for every request except execute.
extension KernelServer {
    func handleKernelInfo(_ request: Request) {
        reply(to: request, .kernelInfoReply, content: KernelInfoReply(info: info).json)
    }

    func handleComplete(_ request: Request) throws(JupyterError) {
        let content = try request.message.decode(CodeAtCursor.self)
        let result = interpreter.value.complete(content.code, cursor: content.cursorPosition)
        reply(to: request, .completeReply, content: CompleteReply(result).json)
    }

    func handleInspect(_ request: Request) throws(JupyterError) {
        let content = try request.message.decode(CodeAtCursor.self)
        let bundle = interpreter.value.inspect(
            content.code, cursor: content.cursorPosition, detailLevel: content.detailLevel)
        reply(to: request, .inspectReply, content: InspectReply(bundle).json)
    }

    func handleIsComplete(_ request: Request) throws(JupyterError) {
        let content = try request.message.decode(IsCompleteRequest.self)
        reply(
            to: request, .isCompleteReply,
            content: IsCompleteReply(interpreter.value.isComplete(content.code)).json)
    }

    func handleHistory(_ request: Request) throws(JupyterError) {
        let content = try request.message.decode(HistoryRequest.self)
        let entries = history.entries(for: content.access)
        reply(
            to: request, .historyReply,
            content: HistoryReply(entries: entries, includeOutput: content.includeOutput).json)
    }

    /// Trainbook registers no comm targets.
    func handleCommInfo(_ request: Request) {
        reply(to: request, .commInfoReply, content: ["status": "ok", "comms": [:]])
    }

    /// A comm for a target that does not exist is closed at once, as the protocol asks.
    func handleCommOpen(_ request: Request) throws(JupyterError) {
        let content = try request.message.decode(CommContent.self)
        log(
            "comm_open: no target named \"\(content.targetName ?? "")\"; closing comm \(content.commId)"
        )
        publish(
            .commClose, parent: request.header, content: CommContent(commId: content.commId).json)
    }

    func handleShutdown(_ request: Request) throws(JupyterError) {
        let content = try request.message.decode(ShutdownContent.self)
        reply(to: request, .shutdownReply, content: ShutdownContent(restart: content.restart).json)
        shutdown(restart: content.restart)
    }

    func handleInterrupt(_ request: Request) {
        interrupt()
        reply(to: request, .interruptReply, content: ["status": "ok"])
    }
}

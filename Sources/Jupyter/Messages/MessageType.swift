/// Every message type of the Jupyter messaging protocol that Trainbook sends or handles.
///
/// Unknown types stay strings in `MessageHeader.messageType`; `MessageType(rawValue:)` is nil
/// for them.
public enum MessageType: String, Sendable, CaseIterable {
    // Shell and control requests and replies.
    case kernelInfoRequest = "kernel_info_request"
    case kernelInfoReply = "kernel_info_reply"
    case executeRequest = "execute_request"
    case executeReply = "execute_reply"
    case completeRequest = "complete_request"
    case completeReply = "complete_reply"
    case inspectRequest = "inspect_request"
    case inspectReply = "inspect_reply"
    case isCompleteRequest = "is_complete_request"
    case isCompleteReply = "is_complete_reply"
    case historyRequest = "history_request"
    case historyReply = "history_reply"
    case commInfoRequest = "comm_info_request"
    case commInfoReply = "comm_info_reply"
    case shutdownRequest = "shutdown_request"
    case shutdownReply = "shutdown_reply"
    case interruptRequest = "interrupt_request"
    case interruptReply = "interrupt_reply"
    // Comms (shell in, iopub out).
    case commOpen = "comm_open"
    case commMsg = "comm_msg"
    case commClose = "comm_close"
    // Stdin.
    case inputRequest = "input_request"
    case inputReply = "input_reply"
    // IOPub.
    case status
    case stream
    case executeInput = "execute_input"
    case executeResult = "execute_result"
    case displayData = "display_data"
    case updateDisplayData = "update_display_data"
    case error
    case clearOutput = "clear_output"
    case iopubWelcome = "iopub_welcome"

    /// The reply type of a request type, e.g. `execute_reply` for `execute_request`.
    public var replyType: MessageType? {
        MessageType.replyName(forRequest: rawValue).flatMap(MessageType.init(rawValue:))
    }

    /// The name of the reply to a request named `name` ("x_request" -> "x_reply"), or nil when
    /// `name` is not a request.
    public static func replyName(forRequest name: String) -> String? {
        guard name.hasSuffix("_request") else { return nil }
        return String(name.dropLast("_request".count)) + "_reply"
    }
}

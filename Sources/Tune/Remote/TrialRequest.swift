import KernelInterface

/// A question a trial running in another process (a cluster rank) asks the study that owns it,
/// and the study's answer: the messages of the `trainbook-trial/1` exchange
/// (protocol/cluster.md), one JSON object each way.
///
/// ```swift
/// let request = TrialRequest.suggest(trial: 3, name: "rate", distribution: .float(0.1...1, log: true))
/// let answer = study.answer(request, for: running[3])   // .value(.double(0.42))
/// ```
public enum TrialRequest: Sendable, Equatable {
    /// `trial.suggest…`: the value of a parameter.
    case suggest(trial: Int, name: String, distribution: Distribution)
    /// `trial.report(value, step:)`.
    case report(trial: Int, step: Int, values: [Double])
    /// `trial.shouldPrune`.
    case shouldPrune(trial: Int)
    /// `trial.constrain(…)`.
    case constrain(trial: Int, values: [Double])
    /// The objective returned these values: the trial's last message.
    case finish(trial: Int, values: [Double])

    /// The protocol name every request carries.
    public static let protocolName = "trainbook-trial/1"

    /// The trial the request is about.
    public var trial: Int {
        switch self {
        case .suggest(let trial, _, _), .report(let trial, _, _), .shouldPrune(let trial),
            .constrain(let trial, _), .finish(let trial, _):
            return trial
        }
    }

    /// The request as one JSON object.
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "protocol": .string(Self.protocolName), "trial": .int(trial),
        ]
        switch self {
        case .suggest(_, let name, let distribution):
            object["op"] = "suggest"
            object["name"] = .string(name)
            object["distribution"] = StudyEvent.encode(distribution)
        case .report(_, let step, let values):
            object["op"] = "report"
            object["step"] = .int(step)
            object["values"] = StudyEvent.encode(values)
        case .shouldPrune:
            object["op"] = "shouldPrune"
        case .constrain(_, let values):
            object["op"] = "constrain"
            object["values"] = StudyEvent.encode(values)
        case .finish(_, let values):
            object["op"] = "finish"
            object["values"] = StudyEvent.encode(values)
        }
        return .object(object)
    }

    /// The request a JSON object holds, or nil when it is not one (another protocol, a field
    /// missing).
    public init?(json: JSONValue) {
        guard json["protocol"]?.stringValue == Self.protocolName,
            let trial = json["trial"]?.intValue, let op = json["op"]?.stringValue
        else { return nil }
        let values = json["values"].flatMap(StudyEvent.decodeNumbers)
        switch op {
        case "suggest":
            guard let name = json["name"]?.stringValue,
                let distribution = json["distribution"].flatMap(StudyEvent.decodeDistribution)
            else { return nil }
            self = .suggest(trial: trial, name: name, distribution: distribution)
        case "report":
            guard let step = json["step"]?.intValue, let values else { return nil }
            self = .report(trial: trial, step: step, values: values)
        case "shouldPrune":
            self = .shouldPrune(trial: trial)
        case "constrain":
            guard let values else { return nil }
            self = .constrain(trial: trial, values: values)
        case "finish":
            guard let values else { return nil }
            self = .finish(trial: trial, values: values)
        default:
            return nil
        }
    }
}

/// The study's answer to a `TrialRequest`.
public enum TrialAnswer: Sendable, Equatable {
    /// The parameter's value (to `suggest`).
    case value(ParameterValue)
    /// Whether to stop early (to `shouldPrune`).
    case prune(Bool)
    /// Noted (to `report`, `constrain`, `finish`).
    case done
    /// The study refused the request; the text says why (a conflicting distribution, say).
    case refused(String)

    /// The answer as one JSON object.
    public var json: JSONValue {
        switch self {
        case .value(let value): return ["value": StudyEvent.encode(value)]
        case .prune(let prune): return ["prune": .bool(prune)]
        case .done: return ["done": true]
        case .refused(let message): return ["refused": .string(message)]
        }
    }

    /// The answer a JSON object holds, or nil when it is not one.
    public init?(json: JSONValue) {
        if let value = json["value"].flatMap(StudyEvent.decodeValue) {
            self = .value(value)
        } else if let prune = json["prune"]?.boolValue {
            self = .prune(prune)
        } else if json["done"]?.boolValue == true {
            self = .done
        } else if let message = json["refused"]?.stringValue {
            self = .refused(message)
        } else {
            return nil
        }
    }
}

import KernelInterface

/// What happens in a study, as it happens: the lines of its journal (replayed in order, they
/// rebuild the study) and what a `StudyObserver` (a live display) is told.
public enum StudyEvent: Sendable, Equatable {
    /// The study's header, the first line.
    case studyCreated(directions: [StudyDirection])
    /// Trial `number` started.
    case trialStarted(number: Int)
    /// A parameter of trial `number` was chosen.
    case parameterSet(number: Int, name: String, distribution: Distribution, value: ParameterValue)
    /// Trial `number` reported intermediate values at `step`.
    case reported(number: Int, step: Int, values: [Double])
    /// Trial `number` recorded constraint values.
    case constrained(number: Int, values: [Double])
    /// Trial `number` ended.
    case trialFinished(number: Int, state: TrialState, values: [Double])
    /// A trial's wall-clock duration in seconds, written just before it finishes.
    case trialTimed(number: Int, seconds: Double)
    /// Trial `number` runs on `worker` (a cluster rank, "rank 1"), written after it starts.
    case trialWorker(number: Int, worker: String)

    /// The event as one JSON object.
    public var json: JSONValue {
        switch self {
        case .studyCreated(let directions):
            return [
                "op": "study", "version": 1,
                "directions": .array(directions.map { .string($0.rawValue) }),
            ]
        case .trialStarted(let number):
            return ["op": "start", "trial": .int(number)]
        case .parameterSet(let number, let name, let distribution, let value):
            return [
                "op": "param", "trial": .int(number), "name": .string(name),
                "distribution": Self.encode(distribution), "value": Self.encode(value),
            ]
        case .reported(let number, let step, let values):
            return [
                "op": "report", "trial": .int(number), "step": .int(step),
                "values": Self.encode(values),
            ]
        case .constrained(let number, let values):
            return ["op": "constrain", "trial": .int(number), "values": Self.encode(values)]
        case .trialFinished(let number, let state, let values):
            var object: [String: JSONValue] = [
                "op": "finish", "trial": .int(number), "state": .string(state.name),
                "values": Self.encode(values),
            ]
            if case .failed(let message) = state { object["error"] = .string(message) }
            return .object(object)
        case .trialTimed(let number, let seconds):
            return ["op": "time", "trial": .int(number), "seconds": Self.encode(seconds)]
        case .trialWorker(let number, let worker):
            return ["op": "worker", "trial": .int(number), "worker": .string(worker)]
        }
    }

    /// The event a JSON object holds, or nil when it is not a journal event.
    public init?(json: JSONValue) {
        guard let op = json["op"]?.stringValue else { return nil }
        let number = json["trial"]?.intValue
        switch op {
        case "study":
            guard let names = json["directions"]?.arrayValue else { return nil }
            let directions = names.compactMap { $0.stringValue.flatMap(StudyDirection.init) }
            guard directions.count == names.count, !directions.isEmpty else { return nil }
            self = .studyCreated(directions: directions)
        case "start":
            guard let number else { return nil }
            self = .trialStarted(number: number)
        case "param":
            guard let number, let name = json["name"]?.stringValue,
                let distribution = json["distribution"].flatMap(Self.decodeDistribution),
                let value = json["value"].flatMap(Self.decodeValue)
            else { return nil }
            self = .parameterSet(
                number: number, name: name, distribution: distribution, value: value)
        case "report":
            guard let number, let step = json["step"]?.intValue,
                let values = json["values"].flatMap(Self.decodeNumbers)
            else { return nil }
            self = .reported(number: number, step: step, values: values)
        case "constrain":
            guard let number, let values = json["values"].flatMap(Self.decodeNumbers) else {
                return nil
            }
            self = .constrained(number: number, values: values)
        case "finish":
            guard let number, let name = json["state"]?.stringValue,
                let values = json["values"].flatMap(Self.decodeNumbers)
            else { return nil }
            let state: TrialState
            switch name {
            case "complete": state = .complete
            case "pruned": state = .pruned
            case "failed": state = .failed(json["error"]?.stringValue ?? "")
            case "interrupted": state = .interrupted
            default: return nil
            }
            self = .trialFinished(number: number, state: state, values: values)
        case "time":
            guard let number, let seconds = json["seconds"].flatMap(Self.decodeNumber) else {
                return nil
            }
            self = .trialTimed(number: number, seconds: seconds)
        case "worker":
            guard let number, let worker = json["worker"]?.stringValue else { return nil }
            self = .trialWorker(number: number, worker: worker)
        default: return nil
        }
    }

    // MARK: - Values

    /// Numbers, with the non-finite ones JSON cannot hold written as strings.
    static func encode(_ values: [Double]) -> JSONValue {
        .array(values.map(encode))
    }

    static func encode(_ value: Double) -> JSONValue {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return .double(value)
    }

    static func decodeNumber(_ json: JSONValue) -> Double? {
        switch json.stringValue {
        case "nan": return .nan
        case "inf": return .infinity
        case "-inf": return -.infinity
        default: return json.doubleValue
        }
    }

    static func decodeNumbers(_ json: JSONValue) -> [Double]? {
        guard let array = json.arrayValue else { return nil }
        let numbers = array.compactMap(decodeNumber)
        return numbers.count == array.count ? numbers : nil
    }

    static func encode(_ value: ParameterValue) -> JSONValue {
        switch value {
        case .double(let x): return ["double": encode(x)]
        case .int(let x): return ["int": .int(x)]
        case .string(let x): return ["string": .string(x)]
        case .bool(let x): return ["bool": .bool(x)]
        }
    }

    static func decodeValue(_ json: JSONValue) -> ParameterValue? {
        if let x = json["double"].flatMap(decodeNumber) { return .double(x) }
        if let x = json["int"]?.intValue { return .int(x) }
        if let x = json["string"]?.stringValue { return .string(x) }
        if let x = json["bool"]?.boolValue { return .bool(x) }
        return nil
    }

    static func encode(_ distribution: Distribution) -> JSONValue {
        switch distribution {
        case .float(let range, let log):
            return [
                "kind": "float", "low": encode(range.lowerBound), "high": encode(range.upperBound),
                "log": .bool(log),
            ]
        case .int(let range, let step, let log):
            return [
                "kind": "int", "low": .int(range.lowerBound), "high": .int(range.upperBound),
                "step": .int(step), "log": .bool(log),
            ]
        case .choice(let options):
            return ["kind": "choice", "options": .array(options.map(encode))]
        }
    }

    static func decodeDistribution(_ json: JSONValue) -> Distribution? {
        let log = json["log"]?.boolValue ?? false
        switch json["kind"]?.stringValue {
        case "float":
            guard let low = json["low"].flatMap(decodeNumber),
                let high = json["high"].flatMap(decodeNumber), low <= high
            else { return nil }
            return .float(low...high, log: log)
        case "int":
            guard let low = json["low"]?.intValue, let high = json["high"]?.intValue, low <= high,
                let step = json["step"]?.intValue
            else { return nil }
            return .int(low...high, step: step, log: log)
        case "choice":
            guard let options = json["options"]?.arrayValue else { return nil }
            let values = options.compactMap(decodeValue)
            return values.count == options.count ? .choice(values) : nil
        default: return nil
        }
    }
}

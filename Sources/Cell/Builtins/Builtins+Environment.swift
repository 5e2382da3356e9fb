import Foundation

/// `environment`, `seed` and `sleep`.
extension Builtins {
    static func installEnvironment(into registry: Registry) {
        let name = Param<String>.positional("name")
        let seed = Param<Int>.positional("value")
        let seconds = Param<Double>.positional("seconds")
        registry.function(
            "environment",
            doc: """
                The value of an environment variable, or nil: notebooks read \
                `environment("TRAINBOOK_QUICK")` to pick small data in CI.
                """,
            parameters: [name], returns: "String?"
        ) { arguments in
            arguments.session.environment(try arguments[name]).map(Value.string) ?? .nilValue
        }
        registry.function(
            "seed",
            doc: """
                Reseeds the session's random generator (and the libraries' that follow it), so \
                shuffles, initialisation and searches repeat: `seed(42)`.
                """,
            parameters: [seed]
        ) { arguments in
            arguments.session.reseed(UInt64(bitPattern: Int64(try arguments[seed])))
            return .void
        }
        registry.function(
            "sleep", doc: "Waits for `seconds` (interruptible).",
            parameters: [seconds]
        ) { arguments in
            let seconds = try arguments[seconds]
            guard seconds.isFinite, seconds >= 0 else {
                throw CellError.invalidValue("sleep needs a finite number of seconds ≥ 0")
            }
            let end = Date().addingTimeInterval(min(seconds, 1e9))
            while Date() < end {
                try arguments.session.checkInterrupt()
                Thread.sleep(forTimeInterval: min(0.01, max(0, end.timeIntervalSinceNow)))
            }
            return .void
        }
    }
}

extension Session {
    /// Restarts the session's generator from `seed` and tells the libraries.
    public func reseed(_ seed: UInt64) {
        random.reseed(seed)
        for observer in registry.seedObservers { observer(seed) }
    }
}

import Jupyter

/// `trainbook install`: writes Trainbook's kernelspec.
enum InstallCommand {
    static let usage = """
        usage: trainbook install [--user | --prefix DIR | --sys-prefix] [--name NAME]
                                 [--display-name TEXT] [--env KEY=VALUE ...]
                                 [--interrupt-mode signal|message]
        """

    static func run(_ arguments: Arguments) throws(JupyterError) {
        var arguments = arguments
        let user = arguments.flag("--user")
        let sysPrefix = arguments.flag("--sys-prefix")
        let prefix = try arguments.option("--prefix")
        let name = try arguments.option("--name") ?? "trainbook"
        let displayName = try arguments.option("--display-name")
        let modeName = try arguments.option("--interrupt-mode") ?? "signal"
        var environment: [String: String] = [:]
        for assignment in try arguments.options("--env") {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex
            else {
                throw JupyterError.usage("--env wants KEY=VALUE, got \"\(assignment)\"")
            }
            environment[String(assignment[..<equals])] = String(
                assignment[assignment.index(after: equals)...])
        }
        guard try arguments.positional().isEmpty else { throw JupyterError.usage(usage) }
        guard [user, sysPrefix, prefix != nil].filter({ $0 }).count <= 1 else {
            throw JupyterError.usage("choose one of --user, --prefix DIR and --sys-prefix")
        }
        guard let mode = KernelSpec.InterruptMode(rawValue: modeName) else {
            throw JupyterError.usage("--interrupt-mode must be signal or message")
        }
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) })
        else {
            throw JupyterError.usage("--name may hold only letters, digits, '-', '_' and '.'")
        }
        let destination: KernelSpecInstaller.Destination =
            prefix.map { .prefix($0) } ?? (sysPrefix ? .environment : .user)
        let spec = KernelSpecInstaller.trainbookSpec(
            name: name, displayName: displayName,
            executable: KernelSpecInstaller.currentExecutablePath(),
            environment: environment, interruptMode: mode, version: Version.current)
        let directory = try KernelSpecInstaller.install(spec, into: destination)
        print("installed kernelspec \(name) in \(directory)")
    }
}

/// The version of this build.
enum Version {
    static let current = "0.1.0"
}

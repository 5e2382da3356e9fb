import Foundation

/// Where Jupyter keeps kernelspecs and runtime files, following jupyter_core's rules so that
/// `jupyter kernelspec list` and Trainbook agree.
///
/// ```swift
/// JupyterPaths.dataDirectories()  // ["/home/ada/.local/share/jupyter", "/usr/local/share/jupyter", ...]
/// ```
public enum JupyterPaths {
    /// The user's data directory: `$JUPYTER_DATA_DIR`, else `$XDG_DATA_HOME/jupyter`, else
    /// `~/.local/share/jupyter`.
    public static func userDataDirectory(
        environment: [String: String] = ProcessInfo.processInfo.environment
    )
        -> String
    {
        if let directory = nonEmpty(environment["JUPYTER_DATA_DIR"]) { return directory }
        if let xdg = nonEmpty(environment["XDG_DATA_HOME"]) { return xdg + "/jupyter" }
        return home(environment) + "/.local/share/jupyter"
    }

    /// The data directories searched for kernelspecs, highest priority first: each entry of
    /// `$JUPYTER_PATH`, the user directory, the active virtual environment's or conda prefix's
    /// `share/jupyter`, then `/usr/local/share/jupyter` and `/usr/share/jupyter`.
    public static func dataDirectories(
        environment: [String: String] = ProcessInfo.processInfo.environment
    )
        -> [String]
    {
        var directories: [String] = []
        if let path = nonEmpty(environment["JUPYTER_PATH"]) {
            directories += path.split(separator: ":").map(String.init).filter { !$0.isEmpty }
        }
        directories.append(userDataDirectory(environment: environment))
        if let prefix = environmentPrefix(environment: environment) {
            directories.append(prefix + "/share/jupyter")
        }
        directories += ["/usr/local/share/jupyter", "/usr/share/jupyter"]
        var seen: Set<String> = []
        return directories.filter { seen.insert($0).inserted }
    }

    /// The prefix of the active Python environment (`$VIRTUAL_ENV`, else `$CONDA_PREFIX`).
    public static func environmentPrefix(
        environment: [String: String] = ProcessInfo.processInfo.environment
    )
        -> String?
    {
        nonEmpty(environment["VIRTUAL_ENV"]) ?? nonEmpty(environment["CONDA_PREFIX"])
    }

    /// Where connection files go: `$JUPYTER_RUNTIME_DIR`, else `$XDG_RUNTIME_DIR/jupyter`, else
    /// the user data directory's `runtime`.
    public static func runtimeDirectory(
        environment: [String: String] = ProcessInfo.processInfo.environment
    )
        -> String
    {
        if let directory = nonEmpty(environment["JUPYTER_RUNTIME_DIR"]) { return directory }
        if let xdg = nonEmpty(environment["XDG_RUNTIME_DIR"]) { return xdg + "/jupyter" }
        return userDataDirectory(environment: environment) + "/runtime"
    }

    private static func home(_ environment: [String: String]) -> String {
        nonEmpty(environment["HOME"]) ?? NSHomeDirectory()
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}

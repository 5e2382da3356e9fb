/// `%help` without a name: every builtin, by module, with its one-line summary, generated
/// from the registry.
struct HelpIndex {
    let session: Session

    var text: String {
        let registry = session.registry
        var lines = [
            "Trainbook cell language: builtins by module. `%help NAME` shows one in full.",
            "Magics: %time, %%time, %timeit, %%timeit, %who, %whos, %reset, %seed N, %help [NAME], "
                + "%history [-n], %progress rich|text|none, %blas.",
        ]
        for module in registry.modules {
            var entries: [(String, String)] = []
            for (name, overloads) in registry.functions
            where registry.functionModules[name] == module {
                entries.append((name, overloads.first?.signature.summary ?? ""))
            }
            for (name, info) in registry.types where info.module == module && !info.doc.isEmpty {
                entries.append((name, firstLine(info.doc)))
            }
            for (name, constant) in registry.constants where constant.module == module {
                entries.append((name, firstLine(constant.doc)))
            }
            for (name, info) in registry.protocols
            where module == "Core" || info.doc.contains(module) {
                entries.append((name, "protocol: " + firstLine(info.doc)))
            }
            guard !entries.isEmpty else { continue }
            lines.append("")
            lines.append("\(module):")
            let width = min(24, entries.map(\.0.count).max() ?? 0)
            for (name, summary) in entries.sorted(by: { $0.0 < $1.0 }) {
                lines.append(
                    "  "
                        + name.padding(
                            toLength: max(width, name.count), withPad: " ", startingAt: 0) + "  "
                        + summary)
            }
        }
        return lines.joined(separator: "\n")
    }

    private func firstLine(_ text: String) -> String {
        String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
    }
}

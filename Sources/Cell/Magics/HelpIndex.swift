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

extension Session {
    /// A rough count of the bytes a value holds, for `%whos`.
    func approximateBytes(of value: Value, depth: Int = 0) -> Int {
        let stride = MemoryLayout<Value>.stride
        guard depth < 8 else { return stride }
        switch value {
        case .string(let text): return stride + text.utf8.count
        case .array(let elements):
            return stride
                + elements.prefix(10_000).reduce(0) {
                    $0 + approximateBytes(of: $1, depth: depth + 1)
                }
                + max(0, elements.count - 10_000) * stride
        case .dictionary(let dictionary):
            return stride + dictionary.count * 3 * stride
        case .tuple(let tuple):
            return tuple.elements.reduce(stride) { $0 + approximateBytes(of: $1, depth: depth + 1) }
        case .structure(let instance):
            return instance.fields.reduce(stride) {
                $0 + approximateBytes(of: $1, depth: depth + 1)
            }
        case .host(let object):
            return stride + (object.type.countBytes?(value) ?? 0)
        default:
            return stride
        }
    }
}

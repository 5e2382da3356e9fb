// The text form of a model, in the shape PyTorch prints a module: each layer with its
// configuration, children indented under their names.

extension Layer {
    /// The layer and its children as an indented tree.
    ///
    /// ```text
    /// Sequential(
    ///   (0): Flatten()
    ///   (1): Dense(784 → 128, relu)
    ///   (2): Dense(128 → 10)
    /// )
    /// ```
    public var structureDescription: String {
        var lines: [String] = []
        appendStructure(to: &lines, label: "", indent: "")
        return lines.joined(separator: "\n")
    }

    private func appendStructure(to lines: inout [String], label: String, indent: String) {
        var head = indent + label + typeName + "(" + configurationSummary
        let frozen = !parameters.isEmpty && isFrozen
        let children = self.children
        if children.isEmpty {
            head += ")" + (frozen ? " [frozen]" : "")
            lines.append(head)
            return
        }
        lines.append(head + (configurationSummary.isEmpty ? "" : ",") + (frozen ? " [frozen]" : ""))
        for (name, child) in children {
            child.appendStructure(to: &lines, label: "(\(name)): ", indent: indent + "  ")
        }
        lines.append(indent + ")")
    }
}

extension Sequential: CustomStringConvertible {
    /// The tree of layers (see `structureDescription`).
    public var description: String { structureDescription }
}

extension Dense: CustomStringConvertible {
    /// "Dense(784 → 128, relu)".
    public var description: String { structureDescription }
}

extension Conv2D: CustomStringConvertible {
    /// "Conv2D(1 → 32, 3×3, relu)".
    public var description: String { structureDescription }
}

extension ActivationLayer: CustomStringConvertible {
    /// "ReLU()".
    public var description: String { structureDescription }
}

extension Flatten: CustomStringConvertible {
    /// "Flatten()".
    public var description: String { structureDescription }
}

extension MaxPool2D: CustomStringConvertible {
    /// "MaxPool2D(2×2)".
    public var description: String { structureDescription }
}

extension AvgPool2D: CustomStringConvertible {
    /// "AvgPool2D(2×2)".
    public var description: String { structureDescription }
}

extension GlobalAvgPool: CustomStringConvertible {
    /// "GlobalAvgPool()".
    public var description: String { structureDescription }
}

extension Dropout: CustomStringConvertible {
    /// "Dropout(p = 0.5)".
    public var description: String { structureDescription }
}

extension BatchNorm: CustomStringConvertible {
    /// "BatchNorm(128 features)".
    public var description: String { structureDescription }
}

extension LayerNorm: CustomStringConvertible {
    /// "LayerNorm([128])".
    public var description: String { structureDescription }
}

extension Embedding: CustomStringConvertible {
    /// "Embedding(10000 × 64)".
    public var description: String { structureDescription }
}

extension CustomLayer: CustomStringConvertible {
    /// The type name and children.
    public var description: String { structureDescription }
}

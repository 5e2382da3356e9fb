// A data set as text: what a cell shows for `data.train`.

extension Dataset: CustomStringConvertible {
    /// A few lines naming the set, its size and shape, its targets and the class balance:
    ///
    /// ```text
    /// Fashion-MNIST train: 60,000 examples of shape [1, 28, 28] (bytes scaled to [0, 1])
    /// 10 classes, balanced (6,000 each): T-shirt/top, Trouser, Pullover, Dress, Coat, …
    /// ```
    public var description: String {
        var lines = ["\(name): \(grouped(count)) examples of shape \(elementShape) \(storageNote)"]
        if !featureNames.isEmpty {
            let shown = featureNames.prefix(12).joined(separator: ", ")
            lines.append("features: \(shown)\(featureNames.count > 12 ? ", …" : "")")
        }
        if isClassification {
            lines.append(contentsOf: balanceLines())
        } else {
            lines.append("regression to \(targetWidth) value\(targetWidth == 1 ? "" : "s")")
        }
        if let normalization {
            lines.append("normalized per channel: \(normalization)")
        }
        return lines.joined(separator: "\n")
    }

    private var storageNote: String {
        switch features.values {
        case .bytes(_, let divisor):
            return "(bytes scaled to [0, \(format3(255 / divisor))])"
        case .floats:
            return "(float32)"
        }
    }

    private func balanceLines() -> [String] {
        let counts = classCounts
        let names = classNames
        let header = "\(names.count) class\(names.count == 1 ? "" : "es")"
        if let first = counts.first, counts.allSatisfy({ $0 == first }) {
            let shown = names.prefix(10).joined(separator: ", ") + (names.count > 10 ? ", …" : "")
            return ["\(header), balanced (\(grouped(first)) each): \(shown)"]
        }
        var lines = ["\(header):"]
        let total = max(count, 1)
        for (name, number) in zip(names, counts).prefix(20) {
            let percent = (Double(number) * 1000 / Double(total)).rounded() / 10
            lines.append("  \(name): \(grouped(number)) (\(percent)%)")
        }
        if names.count > 20 { lines.append("  … \(names.count - 20) more classes") }
        return lines
    }
}

/// `60000` as "60,000".
func grouped(_ number: Int) -> String {
    let digits = String(number.magnitude)
    var result = ""
    for (position, digit) in digits.enumerated() {
        if position > 0, (digits.count - position) % 3 == 0 { result.append(",") }
        result.append(digit)
    }
    return number < 0 ? "-" + result : result
}

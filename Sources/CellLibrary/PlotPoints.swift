import Cell
import Data
import Tensor

/// The points of a `scatter` call, split into groups (one colour and legend entry each): from
/// `x` and `y` series, an [N, 2] tensor, or a data set of 2-D examples grouped by class.
struct PlotPoints {
    /// One coloured set of points.
    struct Group {
        var name: String?
        var x: [Double] = []
        var y: [Double] = []
    }

    /// The groups, in legend order.
    var groups: [Group]

    /// The points of `scatter`'s arguments: x, y (nil for x alone), groups (nil for none) and
    /// class names.
    init(x xValue: Value, y yValue: Value, groups given: Value, classNames: [String]?) throws {
        var classNames = classNames
        var labels: [Int]?
        let x: [Double]
        let y: [Double]
        if let set = xValue.hostPayload(as: Dataset.self) {
            guard set.elementShape == [2] else {
                throw CellError.invalidValue(
                    "scatter(data) needs examples of shape [2], not \(set.elementShape); "
                        + "pass x and y instead")
            }
            guard set.count <= PlotData.maximumPoints else {
                throw CellError.invalidValue(
                    "\(set.count) points are too many to draw; scatter a prefix of the set")
            }
            let batch = try set.batch(Array(0..<set.count))
            (x, y) = try Self.columns(of: batch.x)
            if set.isClassification {
                labels = batch.y.scalars.map { Int($0) }
                classNames = classNames ?? set.classNames
            }
        } else if yValue.isNil, let tensor = xValue.hostPayload(as: Tensor.self) {
            (x, y) = try Self.columns(of: tensor)
        } else {
            x = try PlotData.numbers(xValue, role: "x")
            y = try PlotData.numbers(yValue, role: "y")
            guard x.count == y.count else {
                throw CellError.invalidValue("x has \(x.count) points but y has \(y.count)")
            }
        }
        if !given.isNil {
            let names = try PlotData.labels(given)
            guard names.count == x.count else {
                throw CellError.invalidValue(
                    "groups has \(names.count) labels for \(x.count) points")
            }
            groups = Self.grouped(x, y, by: names)
        } else if let labels {
            let names = labels.map { label in
                classNames.flatMap { $0.indices.contains(label) ? $0[label] : nil }
                    ?? String(label)
            }
            groups = Self.grouped(x, y, by: names, order: labels)
        } else {
            groups = [Group(name: nil, x: x, y: y)]
        }
    }

    /// The two columns of an [N, 2] tensor.
    private static func columns(of tensor: Tensor) throws -> ([Double], [Double]) {
        guard tensor.rank == 2, tensor.shape[1] == 2 else {
            throw CellError.invalidValue(
                "points must have the shape [N, 2], not \(tensor.shape); pass x and y instead")
        }
        guard tensor.shape[0] <= PlotData.maximumPoints else {
            throw CellError.invalidValue("\(tensor.shape[0]) points are too many to draw")
        }
        let scalars = tensor.scalars
        let count = tensor.shape[0]
        return (
            (0..<count).map { Double(scalars[2 * $0]) },
            (0..<count).map { Double(scalars[2 * $0 + 1]) }
        )
    }

    /// Points split by name, groups in order of first appearance (or of `order`, ascending,
    /// when given: class indices).
    private static func grouped(
        _ x: [Double], _ y: [Double], by names: [String], order: [Int]? = nil
    ) -> [Group] {
        var index: [String: Int] = [:]
        var groups: [Group] = []
        var keys: [Int] = []
        for point in names.indices {
            let name = names[point]
            let position: Int
            if let existing = index[name] {
                position = existing
            } else {
                position = groups.count
                index[name] = position
                groups.append(Group(name: name))
                keys.append(order?[point] ?? position)
            }
            groups[position].x.append(x[point])
            groups[position].y.append(y[point])
        }
        return zip(keys, groups).sorted { $0.0 < $1.0 }.map(\.1)
    }
}

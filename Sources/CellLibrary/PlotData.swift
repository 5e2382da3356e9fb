import Cell
import NN
import Plot
import Tensor

/// Cell values as chart data: numbers from arrays, tensors and ranges; several series from an
/// array of them, a matrix's columns or a dictionary (its keys become the legend); labels;
/// axis scales and limits.
enum PlotData {
    /// The most points one series may have (a chart of more would not show them apart).
    static let maximumPoints = 1_000_000

    /// One series of numbers: an array of numbers, a range of Int, or a tensor with one axis
    /// (or a single column or row).
    ///
    /// - Throws: `CellError.typeMismatch` for anything else, `invalidValue` when too long.
    static func numbers(_ value: Value, role: String) throws -> [Double] {
        let numbers: [Double]
        switch value {
        case .array(let elements):
            numbers = try elements.map { element in
                guard let number = element.numberValue else {
                    throw CellError.typeMismatch(
                        "\(role) must hold numbers; found a \(element.typeName)")
                }
                return number
            }
        case .range:
            numbers = try TensorConversion.tensor(from: value).scalars.map(Double.init)
        case .host where tensor(of: value) != nil:
            let tensor = try tensor(of: value) ?? TensorConversion.tensor(from: value)
            let long = tensor.shape.filter { $0 != 1 }
            guard long.count <= 1 else {
                throw CellError.invalidValue(
                    "\(role) must have one axis, not the shape \(tensor.shape); pass an array "
                        + "of series for several")
            }
            numbers = tensor.scalars.map(Double.init)
        default:
            throw CellError.typeMismatch(
                "\(role) must be an array of numbers or a Tensor, not \(value.typeName)")
        }
        guard numbers.count <= maximumPoints else {
            throw CellError.invalidValue(
                "\(role) has \(numbers.count) points; at most \(maximumPoints) can be drawn")
        }
        return numbers
    }

    /// One or several series with their names: an array of numbers or a vector (one series),
    /// an array of arrays or vectors, a matrix tensor (its columns, as matplotlib), or a
    /// dictionary of series (named by its keys).
    static func seriesList(_ value: Value, role: String) throws -> [(name: String?, y: [Double])] {
        switch value {
        case .dictionary(let dictionary):
            return try dictionary.pairs.map { pair in
                (pair.key.stringText, try numbers(pair.value, role: role))
            }
        case .array(let elements) where elements.contains(where: isSeries):
            return try elements.map { (nil, try numbers($0, role: role)) }
        case .host:
            if let tensor = tensor(of: value), tensor.rank == 2,
                tensor.shape.allSatisfy({ $0 > 1 })
            {
                let rows = tensor.shape[0]
                let columns = tensor.shape[1]
                let scalars = tensor.scalars
                return (0..<columns).map { column in
                    (nil, (0..<rows).map { Double(scalars[$0 * columns + column]) })
                }
            }
            return [(nil, try numbers(value, role: role))]
        default:
            return [(nil, try numbers(value, role: role))]
        }
    }

    /// Whether a value is a series rather than a number.
    private static func isSeries(_ value: Value) -> Bool {
        switch value {
        case .array, .range: return true
        default: return tensor(of: value) != nil
        }
    }

    /// The tensor a value holds: a Tensor, or the value of a model's Parameter
    /// (`model[1].weight`).
    static func tensor(of value: Value) -> Tensor? {
        guard case .host(let object) = value else { return nil }
        if let tensor = object.payload as? Tensor { return tensor }
        return (object.payload as? NN.Parameter)?.value
    }

    /// Labels: an array of strings or numbers, or a tensor of class indices, each written
    /// as text (class indices through `classNames` when given).
    static func labels(_ value: Value, classNames: [String] = []) throws -> [String] {
        func name(_ number: Int) -> String {
            classNames.indices.contains(number) ? classNames[number] : String(number)
        }
        switch value {
        case .array(let elements):
            return elements.map { element in
                if case .int(let number) = element { return name(number) }
                return element.stringText
            }
        case .host:
            if let tensor = tensor(of: value) {
                return tensor.scalars.map { Float($0).isFinite ? name(Int($0)) : "?" }
            }
        default:
            break
        }
        throw CellError.typeMismatch(
            "labels must be an array of strings or numbers, or a Tensor of class indices, not "
                + value.typeName)
    }

    /// An axis from a cell's arguments: its title, scale (`.log`) and limits (a range such as
    /// `0...1`).
    static func axis(label: Value, scale: Value, limits: Value) throws -> Axis {
        var axis = Axis(label: label.isNil ? nil : label.stringText)
        axis.scale = try self.scale(scale)
        if case .range(let range) = limits {
            axis.lowerBound = range.lower?.numberValue
            axis.upperBound = range.upper?.numberValue
        } else if !limits.isNil {
            throw CellError.typeMismatch(
                "axis limits must be a range such as 0...1, not \(limits.typeName)")
        }
        return axis
    }

    /// An axis scale: `.linear` (also for nil) or `.log`.
    static func scale(_ value: Value) throws -> AxisScale {
        if value.isNil { return .linear }
        guard let scale = value.hostPayload(as: AxisScale.self) else {
            throw CellError.typeMismatch("an axis scale is .linear or .log, not \(value.typeName)")
        }
        return scale
    }

    /// An optional String argument.
    static func text(_ value: Value) -> String? {
        value.isNil ? nil : value.stringText
    }
}

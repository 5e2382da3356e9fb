import Cell
import NN
import Tensor

/// A layer written in the cell language, as NN sees it: `struct Residual: Layer { var inner =
/// Dense(128, 128, activation: relu); func callAsFunction(_ x) { x + inner(x) } }`.
///
/// Its children and parameters are found by walking the struct's stored properties: library
/// layers and nested user layers become children (named after the property; arrays of layers
/// become `name.0`, `name.1`, …), bound `Parameter`s become its own parameters. Since those are
/// reference objects shared with the struct, gradients, optimizer updates and freezing reach the
/// very parameters the struct's `callAsFunction` uses; that method is called back into the
/// interpreter on every forward pass, so the layer takes part in autodiff, `fit` and `Sequential`.
final class UserLayerAdaptor: Layer {
    /// The user's struct instance.
    let value: Value
    /// The struct's name, shown in summaries.
    let typeName: String
    /// Whether the layer is in training mode (children carry their own flags).
    var isTraining = true
    private weak var session: Session?
    private let childLayers: [(name: String, layer: any Layer)]
    private let parameterList: [(name: String, parameter: NN.Parameter)]

    /// The deepest nesting of user layers adapted.
    static let maximumDepth = 256

    /// Adapts a user struct instance that conforms to `Layer`.
    ///
    /// - Throws: `CellError.invalidValue` when user layers are nested deeper than
    ///   `maximumDepth`.
    init(_ value: Value, session: Session, depth: Int = 0) throws {
        guard depth < Self.maximumDepth else {
            throw CellError.invalidValue(
                "user layers are nested more than \(Self.maximumDepth) deep")
        }
        self.value = value
        self.typeName = value.typeName
        self.session = session
        var children: [(name: String, layer: any Layer)] = []
        var parameters: [(name: String, parameter: NN.Parameter)] = []
        for (name, field) in session.storedProperties(of: value) ?? [] {
            try Self.collect(
                name, field, session: session, depth: depth, children: &children,
                parameters: &parameters)
        }
        childLayers = children
        parameterList = parameters
    }

    private static func collect(
        _ name: String, _ field: Value, session: Session, depth: Int,
        children: inout [(name: String, layer: any Layer)],
        parameters: inout [(name: String, parameter: NN.Parameter)]
    ) throws {
        switch field {
        case .host(let object):
            if let layer = object.payload as? any Layer {
                children.append((name, layer))
            } else if let parameter = object.payload as? NN.Parameter {
                parameters.append((name, parameter))
            }
        case .structure where session.conforms(field, to: "Layer"):
            children.append((name, try UserLayerAdaptor(field, session: session, depth: depth + 1)))
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                try collect(
                    "\(name).\(index)", element, session: session, depth: depth,
                    children: &children, parameters: &parameters)
            }
        default:
            break
        }
    }

    /// Calls the struct's `callAsFunction` with `input`.
    func callAsFunction(_ input: Tensor) throws -> Tensor {
        guard let session else {
            throw CellError.invalidValue("the session that defined \(typeName) has ended")
        }
        let output = try session.callMethod("callAsFunction", on: value, [try session.wrap(input)])
        do {
            return try TensorConversion.tensor(from: output)
        } catch {
            throw CellError.typeMismatch(
                "\(typeName).callAsFunction must return a Tensor, not \(output.typeName)")
        }
    }

    /// The layers stored in the struct's properties.
    var children: [(name: String, layer: any Layer)] { childLayers }

    /// The `Parameter`s stored in the struct's properties.
    var ownParameters: [(name: String, parameter: NN.Parameter)] { parameterList }

    /// The names of the child layers.
    var configurationSummary: String {
        childLayers.isEmpty ? "" : childLayers.map(\.name).joined(separator: ", ")
    }
}

import Cell
import NN
import Tensor

/// Layers crossing the boundary: a cell value as a layer (a library layer, or a user struct that
/// conforms to `Layer`, adapted), and a layer as a cell value (its registered type, or the user's
/// struct again for an adapted one).
enum LayerValues {
    /// `value` as a layer, or nil when it is not one.
    ///
    /// - Throws: when a user struct's stored properties cannot be adapted.
    static func layer(from value: Value, session: Session) throws -> (any Layer)? {
        switch value {
        case .host(let object):
            return object.payload as? any Layer
        case .structure:
            guard session.conforms(value, to: "Layer") else { return nil }
            return try UserLayerAdaptor(value, session: session)
        default:
            return nil
        }
    }

    /// `value` as a layer.
    ///
    /// - Throws: `CellError.typeMismatch` naming `role` when it is not a layer.
    static func requireLayer(_ value: Value, session: Session, role: String) throws -> any Layer {
        if let layer = try layer(from: value, session: session) { return layer }
        if case .structure = value {
            throw CellError.typeMismatch(
                "\(role) must be a layer; declare the struct as 'struct \(value.typeName): Layer' "
                    + "with a 'callAsFunction(_ x)' method")
        }
        throw CellError.typeMismatch(
            "\(role) must be a layer, not a value of type \(value.typeName)")
    }

    /// `layer` as a cell value: the user's struct for an adapted layer, else the library object
    /// under its registered type.
    ///
    /// - Throws: `CellError.typeMismatch` for a layer type the language does not know.
    static func value(of layer: any Layer, session: Session) throws -> Value {
        try value(of: layer, registry: session.registry)
    }

    /// `layer` as a cell value (see `value(of:session:)`).
    static func value(of layer: any Layer, registry: Registry) throws -> Value {
        if let adaptor = layer as? UserLayerAdaptor { return adaptor.value }
        guard let info = registry.typesBySwiftType[ObjectIdentifier(type(of: layer))]
        else {
            throw CellError.typeMismatch(
                "the layer type \(layer.typeName) is not bound into the cell language")
        }
        return info.wrap(layer)
    }

    /// Layers listed in a builder block or an array: layers, user layers, activation functions
    /// (`relu` becomes a `ReLU()` layer) and nested arrays.
    static func layers(from value: Value, session: Session) throws -> [any Layer] {
        guard case .array(let elements) = value else {
            return [try element(value, session: session)]
        }
        var result: [any Layer] = []
        for element in elements {
            if case .array = element {
                result += try layers(from: element, session: session)
            } else if !element.isVoid {
                result.append(try self.element(element, session: session))
            }
        }
        return result
    }

    private static func element(_ value: Value, session: Session) throws -> any Layer {
        if let layer = try layer(from: value, session: session) { return layer }
        if let activation = try? ActivationBindings.activation(from: value, session: session) {
            return ActivationBindings.layer(for: activation)
        }
        return try requireLayer(value, session: session, role: "each element of a Sequential")
    }
}

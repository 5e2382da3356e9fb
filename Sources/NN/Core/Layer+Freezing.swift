// Freezing for transfer learning: a frozen parameter gets no gradient from
// `valueWithGradient(of:)`, so `fit` and every optimizer leave it alone (no update, no optimizer
// state). A layer that keeps training state besides its parameters (BatchNorm's running
// statistics) adopts `StateFreezable`, and freezing it also fixes that state: a frozen BatchNorm
// normalizes with its running statistics even while the rest of the model trains, as Keras does
// for a BatchNorm layer with `trainable = False`.

/// A layer whose training mode changes state other than its parameters, and which holds that
/// state fixed while it is frozen.
///
/// `freeze()`, `freeze(matching:)` and `Sequential.freeze(upTo:)` set `isStateFrozen` on every
/// such layer they cover; the unfreezing counterparts clear it.
public protocol StateFreezable: Layer {
    /// Whether the layer behaves as in evaluation mode, keeping its state, even in training
    /// mode.
    var isStateFrozen: Bool { get set }
}

extension Layer {
    /// Freezes every parameter of this layer and its descendants, and the running statistics
    /// of every BatchNorm among them (transfer learning).
    ///
    /// Frozen parameters get no gradient, no optimizer state and no update; a frozen BatchNorm
    /// normalizes with its running statistics and leaves them unchanged, even in training mode
    /// (as a Keras BatchNorm with `trainable = False`).
    ///
    /// ```swift
    /// try model[0].freeze()
    /// ```
    public func freeze() { setFrozen(true) }

    /// Unfreezes every parameter of this layer and its descendants (and lets BatchNorm layers
    /// use and update batch statistics again in training mode).
    public func unfreeze() { setFrozen(false) }

    /// Whether every parameter is frozen (true for a layer without parameters).
    public var isFrozen: Bool { parameters.allSatisfy(\.isFrozen) }

    /// Freezes the parameters whose dotted name starts with `prefix`, and the layers named so:
    /// `"0"` or `"0."` covers `0.weight` and everything in layer `0` (not `10.weight`);
    /// `"0.3.weight"` a single parameter.
    ///
    /// ```swift
    /// try model.freeze(matching: "0.")      // the whole body of Sequential { body; head }
    /// ```
    ///
    /// - Returns: The number of parameters frozen.
    /// - Throws: `NNError.unknownName` when nothing is named so (a misspelt prefix).
    @discardableResult
    public func freeze(matching prefix: String) throws -> Int {
        try setFrozen(true, matching: prefix)
    }

    /// Unfreezes the parameters and layers named by `prefix` (see `freeze(matching:)`).
    ///
    /// - Returns: The number of parameters unfrozen.
    @discardableResult
    public func unfreeze(matching prefix: String) throws -> Int {
        try setFrozen(false, matching: prefix)
    }

    /// Lets every BatchNorm (every `StateFreezable` layer) of this layer and its descendants
    /// train again — its γ and β and its running statistics, which then follow the new data's
    /// batches — while everything else stays as it is: fastai's `train_bn`, the default of its
    /// frozen phase (Howard & Gugger, 2020, "Fastai: A Layered API for Deep Learning"). A body
    /// pretrained on other data then normalizes the new data with statistics of its own
    /// instead of the old data's.
    ///
    /// ```swift
    /// model[0].freeze()
    /// model[0].unfreezeBatchNorm()    // the body's BatchNorm layers still learn
    /// ```
    ///
    /// - Returns: The number of parameters unfrozen (γ and β of each BatchNorm).
    @discardableResult
    public func unfreezeBatchNorm() -> Int {
        var count = 0
        visit(prefix: "") { _, layer in
            guard let freezable = layer as? any StateFreezable else { return }
            freezable.isStateFrozen = false
            for (_, parameter) in freezable.ownParameters where parameter.isFrozen {
                parameter.isFrozen = false
                count += 1
            }
        }
        return count
    }

    /// Sets the frozen flag of every parameter and `StateFreezable` layer of the tree.
    func setFrozen(_ frozen: Bool) {
        for parameter in parameters { parameter.isFrozen = frozen }
        visit(prefix: "") { _, layer in
            if let freezable = layer as? any StateFreezable { freezable.isStateFrozen = frozen }
        }
    }

    private func setFrozen(_ frozen: Bool, matching prefix: String) throws -> Int {
        let layers = namedLayers().filter { name, _ in
            !name.isEmpty && (covers(name, prefix: prefix) || name + "." == prefix)
        }
        let parameters = namedParameters().filter { covers($0.name, prefix: prefix) }
        guard !layers.isEmpty || !parameters.isEmpty else {
            throw NNError.unknownName(
                prefix, available: children.map(\.name) + ownParameters.map(\.name))
        }
        for (_, parameter) in parameters { parameter.isFrozen = frozen }
        for (_, layer) in layers {
            if let freezable = layer as? any StateFreezable { freezable.isStateFrozen = frozen }
        }
        return parameters.count
    }
}

/// Whether the dotted name `name` is `prefix` or lies under it ("0" and "0." cover "0.weight"
/// and "0.3.bias", not "10.weight"), the rule `ParameterGroup` uses.
func covers(_ name: String, prefix: String) -> Bool {
    if prefix.isEmpty || name == prefix { return true }
    if prefix.hasSuffix(".") { return name.hasPrefix(prefix) }
    return name.hasPrefix(prefix + ".")
}

extension Sequential {
    /// Freezes the layers before position `index` (negative counts from the end, so
    /// `freeze(upTo: -1)` freezes everything but the head); the others keep their state.
    ///
    /// ```swift
    /// try model.freeze(upTo: 4)           // layers 0, 1, 2 and 3
    /// ```
    public func freeze(upTo index: Int) throws {
        for layer in layers[0..<(try boundary(index, function: "freeze(upTo:)"))] {
            layer.freeze()
        }
    }

    /// Unfreezes the layers before position `index` (see `freeze(upTo:)`).
    public func unfreeze(upTo index: Int) throws {
        for layer in layers[0..<(try boundary(index, function: "unfreeze(upTo:)"))] {
            layer.unfreeze()
        }
    }

    /// `index` as an end position in 0...count, negative counting from the end.
    private func boundary(_ index: Int, function: String) throws -> Int {
        let position = index < 0 ? index + count : index
        guard position >= 0, position <= count else {
            throw NNError.indexOutOfRange(
                container: "Sequential.\(function)", index: index, count: count + 1)
        }
        return position
    }
}

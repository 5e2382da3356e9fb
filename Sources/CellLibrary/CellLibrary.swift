import Cell

/// A registry parameter: Cell's, not NN's trainable `Parameter`.
typealias Parameter = Cell.Parameter

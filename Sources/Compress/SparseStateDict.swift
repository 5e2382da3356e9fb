import NN
import Tensor

extension Layer {
    /// The state dict with every pruned weight (one with a mask) stored as CSR — four tensors
    /// named `NAME.csr.*` (see `CSRMatrix`) — and everything else dense, ready to write as a
    /// safetensors file that is about (1 − sparsity)·2 the size of the dense weights.
    ///
    /// ```swift
    /// try prune(model, sparsity: 0.9)
    /// try SafeTensorsFile(tensors: model.sparseStateDict()).write(to: "pruned.safetensors")
    /// ```
    public func sparseStateDict() throws -> [String: Tensor] {
        var result = stateDict()
        for (name, parameter) in prunableWeights where parameter.mask != nil {
            result[name] = nil
            let matrix = try CSRMatrix(parameter.value, keeping: parameter.mask)
            for (key, tensor) in try matrix.tensors(named: name) {
                result[key] = tensor
            }
        }
        return result
    }
}

/// A dense state dict from one written by `sparseStateDict()`: every CSR group `NAME.csr.*`
/// becomes the dense tensor `NAME`, bit for bit; other tensors pass through.
///
/// ```swift
/// let file = try SafeTensorsFile.read("pruned.safetensors")
/// try model.load(stateDict: denseStateDict(fromSparse: file.tensors))
/// ```
public func denseStateDict(fromSparse tensors: [String: Tensor]) throws -> [String: Tensor] {
    var result = tensors
    for name in sparseTensorNames(in: tensors) {
        result[name] = try CSRMatrix(named: name, in: tensors).dense()
        for suffix in CSRMatrix.allSuffixes {
            result[name + suffix] = nil
        }
    }
    return result
}

/// The names of the tensors stored as CSR groups (`NAME.csr.*`) among `tensors`, sorted.
///
/// ```swift
/// sparseTensorNames(in: file.tensors)      // ["1.weight", "3.weight"]
/// ```
public func sparseTensorNames(in tensors: [String: Tensor]) -> [String] {
    let marker = CSRMatrix.suffixes.values
    return tensors.keys.filter { $0.hasSuffix(marker) }.map { String($0.dropLast(marker.count)) }
        .sorted()
}

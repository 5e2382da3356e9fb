import NN
import Tensor

/// Fuses into each `QuantizedConv2D` (with no activation or ReLU) a `MaxPool2D` that directly
/// follows it in a Sequential (at any depth, in place), when the pooling has stride equal to
/// its window and no padding: the int8 epilogue then takes the maximum of the integer
/// accumulators over each window and writes only the pooled float32 output (a quarter of it
/// for 2×2), which skips the pooling pass over the full output. The result is the same: the
/// dequantization is increasing (positive scales) and ReLU monotonic.
func fuseMaxPools(_ model: any Layer) throws {
    guard let sequential = model as? Sequential else { return }
    var index = 0
    while index < sequential.count {
        let layer = sequential.layers[index]
        if layer is Sequential { try fuseMaxPools(layer) }
        if let conv = layer as? QuantizedConv2D, conv.pool == nil, index + 1 < sequential.count,
            let pool = sequential.layers[index + 1] as? MaxPool2D,
            pool.fuses(after: conv.activation)
        {
            try sequential.replace(at: index, with: conv.fusingMaxPool(pool.kernelSize))
            try sequential.remove(at: index + 1)
        }
        index += 1
    }
}

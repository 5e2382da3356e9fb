// Copies and sums of short runs of floats (a row of an image: 5 to 100 values), written with
// explicit 8-wide SIMD loads and stores. A plain loop would be turned into a call to memcpy by
// the optimiser, and for a run of 11 floats that call costs more than the copy itself; im2col
// makes millions of them per epoch.

/// Short float runs copied, zeroed and added with inline SIMD, never through a libc call.
enum FloatRun {
    /// Copies `count` floats from `source` to `target` (the ranges must not overlap).
    @inline(__always)
    static func copy(
        from source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>, count: Int
    ) {
        let from = UnsafeRawPointer(source)
        let to = UnsafeMutableRawPointer(target)
        if count >= 8 {
            var offset = 0
            while offset &+ 8 <= count {
                let bytes = offset &* 4
                to.storeBytes(
                    of: from.loadUnaligned(fromByteOffset: bytes, as: SIMD8<Float>.self),
                    toByteOffset: bytes, as: SIMD8<Float>.self)
                offset &+= 8
            }
            // The last 8 floats again, overlapping what was copied: a copy is idempotent.
            if offset < count {
                let bytes = (count &- 8) &* 4
                to.storeBytes(
                    of: from.loadUnaligned(fromByteOffset: bytes, as: SIMD8<Float>.self),
                    toByteOffset: bytes, as: SIMD8<Float>.self)
            }
            return
        }
        if count >= 4 {
            let tail = (count &- 4) &* 4
            let head = from.loadUnaligned(as: SIMD4<Float>.self)
            let last = from.loadUnaligned(fromByteOffset: tail, as: SIMD4<Float>.self)
            to.storeBytes(of: head, as: SIMD4<Float>.self)
            to.storeBytes(of: last, toByteOffset: tail, as: SIMD4<Float>.self)
            return
        }
        if count > 0 { target[0] = source[0] }
        if count > 1 { target[1] = source[1] }
        if count > 2 { target[2] = source[2] }
    }

    /// Adds `count` floats of `source` onto `target` (the ranges must not overlap).
    @inline(__always)
    static func add(
        _ source: UnsafePointer<Float>, onto target: UnsafeMutablePointer<Float>, count: Int
    ) {
        let from = UnsafeRawPointer(source)
        let to = UnsafeMutableRawPointer(target)
        var offset = 0
        while offset &+ 8 <= count {
            let bytes = offset &* 4
            let sum =
                to.loadUnaligned(fromByteOffset: bytes, as: SIMD8<Float>.self)
                + from.loadUnaligned(fromByteOffset: bytes, as: SIMD8<Float>.self)
            to.storeBytes(of: sum, toByteOffset: bytes, as: SIMD8<Float>.self)
            offset &+= 8
        }
        if offset &+ 4 <= count {
            let bytes = offset &* 4
            let sum =
                to.loadUnaligned(fromByteOffset: bytes, as: SIMD4<Float>.self)
                + from.loadUnaligned(fromByteOffset: bytes, as: SIMD4<Float>.self)
            to.storeBytes(of: sum, toByteOffset: bytes, as: SIMD4<Float>.self)
            offset &+= 4
        }
        while offset < count {
            target[offset] += source[offset]
            offset &+= 1
        }
    }

    /// Sets `count` floats at `target` to `value`.
    @inline(__always)
    static func fill(_ target: UnsafeMutablePointer<Float>, with value: Float, count: Int) {
        let to = UnsafeMutableRawPointer(target)
        let wide = SIMD8<Float>(repeating: value)
        var offset = 0
        while offset &+ 8 <= count {
            to.storeBytes(of: wide, toByteOffset: offset &* 4, as: SIMD8<Float>.self)
            offset &+= 8
        }
        while offset < count {
            target[offset] = value
            offset &+= 1
        }
    }

    /// The sum of `count` floats at `source`, in 8 interleaved partial sums.
    @inline(__always)
    static func sum(_ source: UnsafePointer<Float>, count: Int) -> Float {
        let from = UnsafeRawPointer(source)
        var partial = SIMD8<Float>()
        var offset = 0
        while offset &+ 8 <= count {
            partial += from.loadUnaligned(fromByteOffset: offset &* 4, as: SIMD8<Float>.self)
            offset &+= 8
        }
        var total = partial.sum()
        while offset < count {
            total += source[offset]
            offset &+= 1
        }
        return total
    }
}

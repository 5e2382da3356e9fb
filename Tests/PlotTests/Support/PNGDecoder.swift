import CZlib

/// A small PNG reader for tests, written separately from the encoder: it checks the signature,
/// every chunk's CRC, the IHDR fields, inflates the image data and undoes the five row filters.
struct DecodedPNG {
    enum Failure: Error, Equatable {
        case badSignature
        case truncated
        case badCRC(chunk: String)
        case missingHeader
        case unsupported(String)
        case inflateFailed(Int32)
        case badFilter(UInt8)
    }

    var width = 0
    var height = 0
    var bitDepth: UInt8 = 0
    var colorType: UInt8 = 0
    var chunkTypes: [String] = []
    var filterTypes: [UInt8] = []
    /// Samples, row by row, channels interleaved.
    var samples: [UInt8] = []
    var pixelsPerMeter: Int?

    var channels: Int {
        switch colorType {
        case 0: return 1
        case 2: return 3
        case 6: return 4
        default: return 0
        }
    }

    init(_ bytes: [UInt8]) throws {
        guard bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else {
            throw Failure.badSignature
        }
        var offset = 8
        var compressed: [UInt8] = []
        func uint32(_ at: Int) -> Int {
            bytes[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) }
        }
        while offset < bytes.count {
            guard offset + 12 <= bytes.count else { throw Failure.truncated }
            let length = uint32(offset)
            guard offset + 12 + length <= bytes.count else { throw Failure.truncated }
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let body = Array(bytes[(offset + 8)..<(offset + 8 + length)])
            let stored = uint32(offset + 8 + length)
            let checked = Array(bytes[(offset + 4)..<(offset + 8 + length)])
            let computed = checked.withUnsafeBufferPointer {
                crc32(0, $0.baseAddress, uInt($0.count))
            }
            guard Int(computed) == stored else { throw Failure.badCRC(chunk: type) }
            chunkTypes.append(type)
            switch type {
            case "IHDR":
                width = body[0..<4].reduce(0) { $0 << 8 | Int($1) }
                height = body[4..<8].reduce(0) { $0 << 8 | Int($1) }
                bitDepth = body[8]
                colorType = body[9]
                guard body[10] == 0, body[11] == 0, body[12] == 0 else {
                    throw Failure.unsupported("compression, filter method or interlace")
                }
            case "pHYs":
                pixelsPerMeter = body[0..<4].reduce(0) { $0 << 8 | Int($1) }
            case "IDAT":
                compressed += body
            default:
                break
            }
            offset += 12 + length
        }
        guard chunkTypes.first == "IHDR" else { throw Failure.missingHeader }
        guard bitDepth == 8, channels > 0 else { throw Failure.unsupported("format") }
        let stride = width * channels
        var raw = [UInt8](repeating: 0, count: (stride + 1) * height)
        var rawLength = uLongf(raw.count)
        let status = raw.withUnsafeMutableBufferPointer { output in
            compressed.withUnsafeBufferPointer { input in
                uncompress(output.baseAddress, &rawLength, input.baseAddress, uLong(input.count))
            }
        }
        guard status == Z_OK, Int(rawLength) == raw.count else {
            throw Failure.inflateFailed(status)
        }
        samples = [UInt8](repeating: 0, count: stride * height)
        for row in 0..<height {
            let filter = raw[row * (stride + 1)]
            filterTypes.append(filter)
            for index in 0..<stride {
                let value = raw[row * (stride + 1) + 1 + index]
                let a = index >= channels ? Int(samples[row * stride + index - channels]) : 0
                let b = row > 0 ? Int(samples[(row - 1) * stride + index]) : 0
                let c =
                    row > 0 && index >= channels
                    ? Int(samples[(row - 1) * stride + index - channels]) : 0
                let prediction: Int
                switch filter {
                case 0: prediction = 0
                case 1: prediction = a
                case 2: prediction = b
                case 3: prediction = (a + b) / 2
                case 4:
                    let p = a + b - c
                    let pa = abs(p - a)
                    let pb = abs(p - b)
                    let pc = abs(p - c)
                    prediction = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
                default: throw Failure.badFilter(filter)
                }
                samples[row * stride + index] = UInt8((Int(value) + prediction) & 0xFF)
            }
        }
    }

    /// The RGB of a pixel (grey images repeat the grey).
    func rgb(x: Int, y: Int) -> [UInt8] {
        let base = (y * width + x) * channels
        return channels == 1
            ? Array(repeating: samples[base], count: 3) : Array(samples[base..<(base + 3)])
    }
}

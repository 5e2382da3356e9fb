#if canImport(Glibc)
    import Glibc
#endif

/// A key press, decoded from the terminal's bytes.
enum Key: Equatable {
    case character(Character)
    case enter, tab, backspace, delete, left, right, up, down, home, end
    case controlC, controlD, killToStart, killToEnd, ignored
}

/// Reads key presses from standard input (raw mode), decoding UTF-8 and escape sequences.
enum KeyReader {
    static func next() -> Key? {
        guard let byte = readByte() else { return nil }
        switch byte {
        case 0x0D, 0x0A: return .enter
        case 0x09: return .tab
        case 0x7F, 0x08: return .backspace
        case 0x03: return .controlC
        case 0x04: return .controlD
        case 0x01: return .home
        case 0x05: return .end
        case 0x15: return .killToStart
        case 0x0B: return .killToEnd
        case 0x02: return .left
        case 0x06: return .right
        case 0x10: return .up
        case 0x0E: return .down
        case 0x1B: return escapeSequence()
        case 0x00..<0x20: return .ignored
        default: return character(startingWith: byte)
        }
    }

    private static func escapeSequence() -> Key {
        guard let first = readByte(), first == UInt8(ascii: "[") || first == UInt8(ascii: "O"),
            let code = readByte()
        else { return .ignored }
        switch code {
        case UInt8(ascii: "A"): return .up
        case UInt8(ascii: "B"): return .down
        case UInt8(ascii: "C"): return .right
        case UInt8(ascii: "D"): return .left
        case UInt8(ascii: "H"): return .home
        case UInt8(ascii: "F"): return .end
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            var number = Int(code - UInt8(ascii: "0"))
            while let next = readByte(), next != UInt8(ascii: "~") {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(next) else {
                    return .ignored
                }
                number = min(number * 10 + Int(next - UInt8(ascii: "0")), 1000)
            }
            switch number {
            case 1, 7: return .home
            case 3: return .delete
            case 4, 8: return .end
            default: return .ignored
            }
        default: return .ignored
        }
    }

    private static func character(startingWith first: UInt8) -> Key {
        let length = first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : first >= 0xC0 ? 2 : 1
        var bytes = [first]
        while bytes.count < length, let next = readByte() { bytes.append(next) }
        guard let character = String(decoding: bytes, as: UTF8.self).first else { return .ignored }
        return .character(character)
    }

    private static func readByte() -> UInt8? {
        var byte: UInt8 = 0
        while true {
            let count = read(STDIN_FILENO, &byte, 1)
            if count == 1 { return byte }
            if count < 0, errno == EINTR { continue }
            return nil
        }
    }
}

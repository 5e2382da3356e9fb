import CSodium

/// Signs and verifies messages with HMAC-SHA256 (RFC 2104, FIPS 180-4) over the four JSON parts,
/// as the Jupyter wire protocol specifies, using libsodium.
///
/// An empty key disables signing: signatures are empty and every message verifies.
///
/// ```swift
/// let signer = MessageSigner(key: Array("secret".utf8))
/// let signature = signer.hexSignature(of: [header, parent, metadata, content])
/// signer.verify(hexSignature: signature, of: [header, parent, metadata, content])  // true
/// ```
public struct MessageSigner: Sendable {
    /// The shared key from the connection file.
    public let key: [UInt8]
    /// The HMAC state right after the key was absorbed (its inner and outer pads hashed):
    /// each digest starts from a copy instead of hashing the key again, two of the dozen
    /// SHA-256 blocks a typical message costs.
    private let keyedState: crypto_auth_hmacsha256_state

    /// Creates a signer for `key`.
    public init(key: [UInt8]) {
        _ = MessageSigner.sodiumReady
        self.key = key
        var state = crypto_auth_hmacsha256_state()
        // libsodium wants a non-null key pointer even for a zero-length key.
        let keyBytes = key.isEmpty ? [0] : key
        keyBytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            _ = crypto_auth_hmacsha256_init(&state, base, key.count)
        }
        keyedState = state
    }

    /// Whether messages are signed at all.
    public var isEnabled: Bool { !key.isEmpty }

    /// The 32-byte HMAC-SHA256 of the concatenation of `parts`.
    public func digest(of parts: [[UInt8]]) -> [UInt8] {
        var state = keyedState
        for part in parts {
            part.withUnsafeBufferPointer { part in
                _ = crypto_auth_hmacsha256_update(&state, part.baseAddress, UInt64(part.count))
            }
        }
        var digest = [UInt8](repeating: 0, count: Int(crypto_auth_hmacsha256_BYTES))
        _ = crypto_auth_hmacsha256_final(&state, &digest)
        return digest
    }

    /// The signature frame for `parts`: the lowercase hex digest, or empty when signing is off.
    public func hexSignature(of parts: [[UInt8]]) -> [UInt8] {
        guard isEnabled else { return [] }
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in digest(of: parts) {
            hex.append(MessageSigner.hexDigits[Int(byte >> 4)])
            hex.append(MessageSigner.hexDigits[Int(byte & 0x0F)])
        }
        return hex
    }

    /// Whether `hexSignature` is the signature of `parts`, compared in constant time.
    ///
    /// A signature that is not 64 hex digits never verifies (when signing is enabled).
    public func verify(hexSignature: [UInt8], of parts: [[UInt8]]) -> Bool {
        guard isEnabled else { return true }
        guard let received = MessageSigner.decodeHex(hexSignature),
            received.count == Int(crypto_auth_hmacsha256_BYTES)
        else { return false }
        let expected = digest(of: parts)
        return sodium_memcmp(received, expected, expected.count) == 0
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// libsodium must be initialised once before use; `sodium_init` is thread safe and idempotent.
    private static let sodiumReady: Bool = sodium_init() >= 0

    private static func decodeHex(_ hex: [UInt8]) -> [UInt8]? {
        guard hex.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.count / 2)
        var index = 0
        while index < hex.count {
            guard let high = nibble(hex[index]), let low = nibble(hex[index + 1]) else {
                return nil
            }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

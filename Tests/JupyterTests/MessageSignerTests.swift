import Jupyter
import Testing

/// HMAC-SHA256 test vectors from RFC 4231, section 4.
@Suite struct MessageSignerTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let name: String
        let key: [UInt8]
        let data: [UInt8]
        let digest: String
        var testDescription: String { name }
    }

    static let vectors: [Vector] = [
        Vector(
            name: "4.2", key: [UInt8](repeating: 0x0b, count: 20), data: Array("Hi There".utf8),
            digest: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        Vector(
            name: "4.3", key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8),
            digest: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        Vector(
            name: "4.4", key: [UInt8](repeating: 0xaa, count: 20),
            data: [UInt8](repeating: 0xdd, count: 50),
            digest: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        Vector(
            name: "4.5", key: Array(1...25), data: [UInt8](repeating: 0xcd, count: 50),
            digest: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        Vector(
            name: "4.7", key: [UInt8](repeating: 0xaa, count: 131),
            data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
            digest: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        Vector(
            name: "4.8", key: [UInt8](repeating: 0xaa, count: 131),
            data: Array(
                ("This is a test using a larger than block-size key and a larger than block-size data."
                    + " The key needs to be hashed before being used by the HMAC algorithm.").utf8),
            digest: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ]

    @Test(arguments: vectors)
    func rfc4231(vector: Vector) {
        let signer = MessageSigner(key: vector.key)
        #expect(
            String(decoding: signer.hexSignature(of: [vector.data]), as: UTF8.self) == vector.digest
        )
        #expect(signer.verify(hexSignature: Array(vector.digest.utf8), of: [vector.data]))
    }

    @Test func rfc4231TruncatedOutput() {
        // Test case 5 (section 4.6) checks only the first 128 bits.
        let signer = MessageSigner(key: [UInt8](repeating: 0x0c, count: 20))
        let hex = String(
            decoding: signer.hexSignature(of: [Array("Test With Truncation".utf8)]), as: UTF8.self)
        #expect(hex.hasPrefix("a3b6167473100ee06e0c796c2955552b"))
    }

    @Test func partsAreSignedAsOneConcatenation() {
        let signer = MessageSigner(key: Array("Jefe".utf8))
        let whole = signer.hexSignature(of: [Array("what do ya want for nothing?".utf8)])
        let split = signer.hexSignature(of: [
            Array("what do ya ".utf8), [], Array("want for nothing?".utf8),
        ])
        #expect(whole == split)
    }

    @Test func verificationRejectsAlteredOrMalformedSignatures() {
        let signer = MessageSigner(key: Array("key".utf8))
        let parts = [Array("{}".utf8), Array("{}".utf8)]
        var signature = signer.hexSignature(of: parts)
        #expect(signer.verify(hexSignature: signature, of: parts))
        #expect(
            signer.verify(
                hexSignature: Array(String(decoding: signature, as: UTF8.self).uppercased().utf8),
                of: parts))
        signature[0] = signature[0] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        #expect(!signer.verify(hexSignature: signature, of: parts))
        #expect(!signer.verify(hexSignature: [], of: parts))
        #expect(!signer.verify(hexSignature: Array("zz".utf8), of: parts))
        #expect(
            !signer.verify(hexSignature: Array(repeating: UInt8(ascii: "a"), count: 63), of: parts))
    }

    @Test func emptyKeyDisablesSigning() {
        let signer = MessageSigner(key: [])
        #expect(!signer.isEnabled)
        #expect(signer.hexSignature(of: [[1, 2, 3]]).isEmpty)
        #expect(signer.verify(hexSignature: Array("anything".utf8), of: [[1]]))
    }
}

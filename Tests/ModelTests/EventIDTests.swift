import CSHA1
import Model
import Testing

@Suite("Deterministic ids")
struct EventIDTests {
    @Test("UUIDv5 matches the RFC 9562 algorithm (known vector)")
    func knownVector() {
        // uuid5(NAMESPACE_DNS, "python.org") from Python's uuid module.
        let dns: [UInt8] = [
            0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
        ]
        let uuid = EventID.format(EventID.uuidV5(namespace: dns, name: Array("python.org".utf8)))
        #expect(uuid == "886313e1-3b8a-5372-9b90-0c9aee199e5d")
    }

    @Test("the same source, document and position always give the same id; any change gives another")
    func determinism() {
        let a = EventID.make(source: "urn:crossdock:partner:ACME", document: "000000001/0001", position: "0")
        let b = EventID.make(source: "urn:crossdock:partner:ACME", document: "000000001/0001", position: "0")
        #expect(a == b)
        #expect(a != EventID.make(source: "urn:crossdock:partner:ACME", document: "000000001/0001", position: "1"))
        #expect(a != EventID.make(source: "urn:crossdock:partner:ACME", document: "000000001/0002", position: "0"))
        // Field boundaries matter: ("a|b", "c") is not ("a", "b|c").
        #expect(
            EventID.make(source: "s", document: "a|b", position: "c")
                != EventID.make(source: "s", document: "a", position: "b|c"))
        #expect(a.count == 36 && a[a.index(a.startIndex, offsetBy: 14)] == "5")
    }

    @Test("content digests are SHA-1's (FIPS 180-4 vectors: empty, one block, two blocks, a million bytes)")
    func digestVectors() {
        #expect(EventID.digest([]) == "da39a3ee5e6b4b0d")
        #expect(EventID.digest(Array("abc".utf8)) == "a9993e364706816a")
        #expect(EventID.digest(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)) == "84983e441c3bd26e")
        #expect(EventID.digest([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)) == "34aa973cd4c4daa4")
    }

    @Test("the SHA-1 compression gives the same words with and without the processor's SHA extensions")
    func compressionPaths() {
        // Deterministic bytes (a linear congruential sequence), 1 to 9 blocks from every offset pattern.
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        let data: [UInt8] = (0..<(64 * 9)).map { _ in
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: seed >> 56)
        }
        for blocks in 1...9 {
            var portable: [UInt32] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0]
            var dispatched = portable
            crossdock_sha1_blocks_portable(&portable, data, blocks)
            crossdock_sha1_blocks(&dispatched, data, blocks)
            #expect(portable == dispatched, "\(blocks) blocks")
        }
        // The portable code on its own against a known digest ("abc", padded by hand).
        var block = [UInt8](repeating: 0, count: 64)
        block[0] = 0x61
        block[1] = 0x62
        block[2] = 0x63
        block[3] = 0x80
        block[63] = 24
        var state: [UInt32] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0]
        crossdock_sha1_blocks_portable(&state, block, 1)
        #expect(state == [0xA999_3E36, 0x4706_816A, 0xBA3E_2571, 0x7850_C26C, 0x9CD0_D89D])
    }
}

@Suite("SHA-256")
struct SHA256Tests {
    @Test("FIPS 180-4 vectors: empty, one block, two blocks, a million bytes, block boundaries")
    func vectors() {
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        // 55, 56 and 64 bytes: the length fits in the last block, just does not, and a whole block.
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 55)) == "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318")
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 56)) == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 64)) == "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb")
    }

    @Test("an original above the limit is cut at a character boundary, its length and digest those of the whole")
    func boundedOriginal() {
        let text = Array(("ÄÖÜ" + String(repeating: "x", count: 10)).utf8)  // 6 bytes of 2-byte letters first
        let (carried, fingerprint) = OriginalFingerprint.bounded(text, limit: 3)
        #expect(Array(carried) == Array("Ä".utf8))
        #expect(fingerprint.length == 16 && fingerprint.truncated && fingerprint.sha256 == SHA256.hex(text))
        let whole = OriginalFingerprint.bounded(text, limit: 16)
        #expect(Array(whole.carried) == text && !whole.fingerprint.truncated)
    }
}

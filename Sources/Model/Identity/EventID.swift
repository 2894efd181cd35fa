import CSHA1

/// Deterministic event ids: a name-based UUID (version 5, RFC 9562) over the source document's
/// identity and the event's position in it. Replaying the same input gives the same ids, so
/// consumers can de-duplicate on `id`.
public enum EventID {
    /// Crossdock's UUID namespace: UUIDv5(DNS namespace, "crossdock.dev").
    public static let namespace: [UInt8] = uuidV5(
        namespace: [
            0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
        ], name: Array("crossdock.dev".utf8))

    /// The id of an event: `source` (for example `urn:crossdock:partner:ACME`), the document
    /// identity within it (interchange and transaction set control numbers, ASN number, ...), and
    /// the event's position in the document.
    public static func make(source: String, document: String, position: String) -> String {
        // Unit separators keep ("a|b", "c") and ("a", "b|c") apart. The name is built on the stack.
        var source = source
        var document = document
        var position = position
        let length = namespace.count + source.utf8.count + document.utf8.count + position.utf8.count + 2
        let hash = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: length) { name in
            var end = 0
            func put(_ bytes: UnsafeBufferPointer<UInt8>) {
                for byte in bytes {
                    name[end] = byte
                    end += 1
                }
            }
            func separator() {
                name[end] = 0x1F
                end += 1
            }
            namespace.withUnsafeBufferPointer(put)
            source.withUTF8(put)
            separator()
            document.withUTF8(put)
            separator()
            position.withUTF8(put)
            return SHA1.words(UnsafeBufferPointer(rebasing: name[..<end]))
        }
        return format { version5(SHA1.byte(hash, $0), at: $0) }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A short content digest (SHA-1, 16 hex digits) for documents that carry no control number
    /// of their own: the same bytes always give the same identity, changed bytes another.
    public static func digest(_ bytes: [UInt8]) -> String {
        let hash = SHA1.words(bytes)
        return String(unsafeUninitializedCapacity: 16) { out in
            for index in 0..<8 {
                let byte = SHA1.byte(hash, index)
                out[2 * index] = hexDigits[Int(byte >> 4)]
                out[2 * index + 1] = hexDigits[Int(byte & 0x0F)]
            }
            return 16
        }
    }

    /// RFC 9562 version-5 UUID bytes.
    public static func uuidV5(namespace: [UInt8], name: [UInt8]) -> [UInt8] {
        let hash = SHA1.words(namespace + name)
        return (0..<16).map { version5(SHA1.byte(hash, $0), at: $0) }
    }

    /// Byte `index` of a SHA-1 digest as a version-5 UUID has it: the version in byte 6, the
    /// variant in byte 8.
    private static func version5(_ byte: UInt8, at index: Int) -> UInt8 {
        switch index {
        case 6: (byte & 0x0F) | 0x50
        case 8: (byte & 0x3F) | 0x80
        default: byte
        }
    }

    /// The canonical lower-case 8-4-4-4-12 form.
    public static func format(_ bytes: [UInt8]) -> String { format { bytes[$0] } }

    /// The 8-4-4-4-12 form of the 16 bytes `byte(0)`...`byte(15)`.
    private static func format(_ byte: (Int) -> UInt8) -> String {
        String(unsafeUninitializedCapacity: 36) { out in
            var position = 0
            for index in 0..<16 {
                if index == 4 || index == 6 || index == 8 || index == 10 {
                    out[position] = UInt8(ascii: "-")
                    position += 1
                }
                let value = byte(index)
                out[position] = hexDigits[Int(value >> 4)]
                out[position + 1] = hexDigits[Int(value & 0x0F)]
                position += 2
            }
            return position
        }
    }
}

/// SHA-1 (FIPS 180-4; the compression in C, with the processor's SHA extensions where there are
/// any), used only to derive UUIDv5 names as RFC 9562 requires; not for security.
enum SHA1 {
    /// A digest as its five big-endian words: no array is made for it.
    typealias Words = (UInt32, UInt32, UInt32, UInt32, UInt32)

    /// Byte `index` (0-19) of a digest.
    @inline(__always)
    static func byte(_ hash: Words, _ index: Int) -> UInt8 {
        let word =
            switch index >> 2 {
            case 0: hash.0
            case 1: hash.1
            case 2: hash.2
            case 3: hash.3
            default: hash.4
            }
        return UInt8(truncatingIfNeeded: word >> UInt32(24 - 8 * (index & 3)))
    }

    static func words(_ message: [UInt8]) -> Words { message.withUnsafeBufferPointer(words) }

    static func words(_ input: UnsafeBufferPointer<UInt8>) -> Words {
        var h: Words = (0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0)
        withUnsafeMutableBytes(of: &h) { raw in
            let state = raw.baseAddress!.assumingMemoryBound(to: UInt32.self)
            let whole = input.count / 64
            if whole > 0 { crossdock_sha1_blocks(state, input.baseAddress, whole) }
            // The tail, the 0x80 marker and the bit length: one or two more blocks.
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 128) { tail in
                let rest = input.count - whole * 64
                let blocks = rest + 9 <= 64 ? 1 : 2
                tail.initialize(repeating: 0)
                for index in 0..<rest { tail[index] = input[whole * 64 + index] }
                tail[rest] = 0x80
                let bitLength = UInt64(input.count) * 8
                for index in 0..<8 { tail[blocks * 64 - 1 - index] = UInt8(truncatingIfNeeded: bitLength >> UInt64(8 * index)) }
                crossdock_sha1_blocks(state, tail.baseAddress, blocks)
            }
        }
        return h
    }
}

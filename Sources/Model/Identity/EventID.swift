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
        // Unit separators keep ("a|b", "c") and ("a", "b|c") apart.
        let name = Array(source.utf8) + [0x1F] + Array(document.utf8) + [0x1F] + Array(position.utf8)
        return format(uuidV5(namespace: namespace, name: name))
    }

    /// A short content digest (SHA-1, 16 hex digits) for documents that carry no control number
    /// of their own: the same bytes always give the same identity, changed bytes another.
    public static func digest(_ bytes: [UInt8]) -> String {
        let hex = Array("0123456789abcdef".utf8)
        return String(decoding: SHA1.hash(bytes).prefix(8).flatMap { [hex[Int($0 >> 4)], hex[Int($0 & 0x0F)]] }, as: UTF8.self)
    }

    /// RFC 9562 version-5 UUID bytes.
    public static func uuidV5(namespace: [UInt8], name: [UInt8]) -> [UInt8] {
        var digest = SHA1.hash(namespace + name)
        digest[6] = (digest[6] & 0x0F) | 0x50
        digest[8] = (digest[8] & 0x3F) | 0x80
        return Array(digest.prefix(16))
    }

    /// The canonical lower-case 8-4-4-4-12 form.
    public static func format(_ bytes: [UInt8]) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if [4, 6, 8, 10].contains(index) { out.append(UInt8(ascii: "-")) }
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// SHA-1 (FIPS 180-4), used only to derive UUIDv5 names as RFC 9562 requires; not for security.
enum SHA1 {
    static func hash(_ message: [UInt8]) -> [UInt8] {
        var h: (UInt32, UInt32, UInt32, UInt32, UInt32) = (0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0)
        var padded = message
        padded.append(0x80)
        while padded.count % 64 != 56 { padded.append(0) }
        let bitLength = UInt64(message.count) * 8
        for shift in stride(from: 56, through: 0, by: -8) { padded.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }

        var w = [UInt32](repeating: 0, count: 80)
        for chunk in stride(from: 0, to: padded.count, by: 64) {
            for i in 0..<16 {
                let j = chunk + i * 4
                w[i] = UInt32(padded[j]) << 24 | UInt32(padded[j + 1]) << 16 | UInt32(padded[j + 2]) << 8 | UInt32(padded[j + 3])
            }
            for i in 16..<80 {
                let x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]
                w[i] = x << 1 | x >> 31
            }
            var (a, b, c, d, e) = h
            for i in 0..<80 {
                let (f, k): (UInt32, UInt32)
                switch i {
                case 0..<20: (f, k) = ((b & c) | (~b & d), 0x5A82_7999)
                case 20..<40: (f, k) = (b ^ c ^ d, 0x6ED9_EBA1)
                case 40..<60: (f, k) = ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC)
                default: (f, k) = (b ^ c ^ d, 0xCA62_C1D6)
                }
                let temp = (a << 5 | a >> 27) &+ f &+ e &+ k &+ w[i]
                e = d
                d = c
                c = b << 30 | b >> 2
                b = a
                a = temp
            }
            h = (h.0 &+ a, h.1 &+ b, h.2 &+ c, h.3 &+ d, h.4 &+ e)
        }
        var digest: [UInt8] = []
        for word in [h.0, h.1, h.2, h.3, h.4] {
            digest += [UInt8(word >> 24), UInt8(truncatingIfNeeded: word >> 16), UInt8(truncatingIfNeeded: word >> 8), UInt8(truncatingIfNeeded: word)]
        }
        return digest
    }
}

/// The pipeline stage that rejected a record.
public enum RejectionStage: String, Sendable, Hashable, CaseIterable {
    /// The bytes could not be read at all (size, encoding, unknown format).
    case decode
    /// The syntax is wrong (X12, EDIFACT, JSON, GS1).
    case parse
    /// The document is well-formed but cannot be mapped (unknown partner, unmapped code).
    case map
    /// Master data says no (unknown location, unit not convertible, impossible transition).
    case validate
}

// Stored optionals are spelled `Optional<T>` so that initialisers move their arguments into place
// (see `Item`).
/// Where an input record came from: a Kafka position or a file.
public struct SourcePosition: Sendable, Hashable, JSONEncodable {
    public var topic: Optional<String>
    public var partition: Optional<Int>
    public var offset: Optional<Int>
    public var file: Optional<String>

    public init(topic: String? = nil, partition: Int? = nil, offset: Int? = nil, file: String? = nil) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.file = file
    }

    public static func kafka(topic: String, partition: Int, offset: Int) -> SourcePosition {
        SourcePosition(topic: topic, partition: partition, offset: offset)
    }

    public static func file(_ path: String) -> SourcePosition { SourcePosition(file: path) }

    /// The `sourceref` extension: `topic/partition/offset`, or the file name.
    public var reference: String {
        if let topic, let partition, let offset {
            // Written into one string of its exact size (each `+` made a string of its own; a
            // short one stays a small string, without an allocation).
            var topic = topic
            return topic.withUTF8 { name in
                let length = name.count + 2 + decimalLength(Int64(partition)) + decimalLength(Int64(offset))
                return String(unsafeUninitializedCapacity: length) { out in
                    var end = name.count
                    _ = out.initialize(fromContentsOf: name)
                    out[end] = UInt8(ascii: "/")
                    end = appendDecimal(Int64(partition), to: out, at: end + 1)
                    out[end] = UInt8(ascii: "/")
                    return appendDecimal(Int64(offset), to: out, at: end + 1)
                }
            }
        }
        return file ?? topic ?? ""
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("topic", topic)
        w.field("partition", partition)
        w.field("offset", offset)
        w.field("file", file)
        w.endObject()
    }
}

/// How many bytes `value` takes in decimal.
private func decimalLength(_ value: Int64) -> Int {
    var length = value < 0 ? 2 : 1
    var magnitude = value.magnitude
    while magnitude >= 10 {
        magnitude /= 10
        length += 1
    }
    return length
}

/// Writes `value` in decimal at `start`; returns the end.
private func appendDecimal(_ value: Int64, to out: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
    var end = start
    if value < 0 {
        out[end] = UInt8(ascii: "-")
        end += 1
    }
    var magnitude = value.magnitude
    let first = end
    repeat {
        out[end] = UInt8(ascii: "0") + UInt8(magnitude % 10)
        magnitude /= 10
        end += 1
    } while magnitude > 0
    out[first..<end].reverse()
    return end
}

/// Bytes carried inside JSON: as text when they are text (valid UTF-8 whose only control
/// characters are tab, line feed and carriage return), else base64. Other control characters would
/// take six bytes each as JSON escapes (a megabyte of NUL bytes, six of JSON) and belong to binary
/// data or to X12 separators, which base64 carries at four bytes for three.
public struct EmbeddedBytes: Sendable, Hashable, JSONEncodable {
    public enum Encoding: String, Sendable, Hashable {
        case utf8 = "utf-8"
        case base64
    }

    public var encoding: Encoding
    public var value: String

    public init(_ bytes: [UInt8]) {
        let plain = bytes.allSatisfy { $0 >= 0x20 && $0 != 0x7F || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        if plain, let text = String(validating: bytes, as: UTF8.self) {
            encoding = .utf8
            value = text
        } else {
            encoding = .base64
            value = Base64.encode(bytes)
        }
    }

    public var bytes: [UInt8]? {
        switch encoding {
        case .utf8: Array(value.utf8)
        case .base64: Base64.decode(value)
        }
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("encoding", encoding.rawValue)
        w.field("value", value)
        w.endObject()
    }
}

/// One rejected document of an input record that held several (transaction sets, messages, scans
/// of a batch): its identity, its reason, and which of the record's diagnostics are its own.
public struct RejectedDocument: Sendable, Hashable, JSONEncodable {
    /// The document's identity: control numbers (`ISA13/GS06/ST02`, `UNB 0020/UNH 0062`), or the
    /// input's digest for JSON.
    public var document: String
    /// Its position in the input (`0`, `scan/3`, ...).
    public var position: String
    public var code: DiagnosticCode
    public var stage: RejectionStage
    public var message: String
    public var partner: Optional<String>
    /// Its findings: ``RejectedRecord/diagnostics`` from `firstDiagnostic`, `diagnosticCount` of them.
    public var firstDiagnostic: Int
    public var diagnosticCount: Int

    public init(
        document: String, position: String, code: DiagnosticCode, stage: RejectionStage, message: String, partner: String?,
        firstDiagnostic: Int, diagnosticCount: Int
    ) {
        self.document = document
        self.position = position
        self.code = code
        self.stage = stage
        self.message = message
        self.partner = partner
        self.firstDiagnostic = firstDiagnostic
        self.diagnosticCount = diagnosticCount
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("document", document)
        w.field("position", position)
        w.field("code", code.rawValue)
        w.field("stage", stage.rawValue)
        w.field("message", message)
        w.field("partner", partner)
        w.field("firstDiagnostic", firstDiagnostic)
        w.field("diagnosticCount", diagnosticCount)
        w.endObject()
    }
}

/// What is known of an input record's value when a rejection carries it: its length and SHA-256,
/// and whether the bytes carried are all of it. Above a size limit only the first bytes are
/// carried, so a rejection always fits where it is written; the whole record stays at its source
/// position, and the digest tells whether bytes fetched from there are the same.
public struct OriginalFingerprint: Sendable, Hashable {
    public var length: Int
    public var sha256: String
    public var truncated: Bool

    public init(length: Int, sha256: String, truncated: Bool) {
        self.length = length
        self.sha256 = sha256
        self.truncated = truncated
    }

    /// The first `limit` bytes of `bytes` (cut back to a character boundary when the bytes are
    /// text), with the fingerprint of the whole.
    public static func bounded(_ bytes: [UInt8], limit: Int) -> (carried: ArraySlice<UInt8>, fingerprint: OriginalFingerprint) {
        let fingerprint = OriginalFingerprint(length: bytes.count, sha256: SHA256.hex(bytes), truncated: bytes.count > limit)
        guard fingerprint.truncated else { return (bytes[...], fingerprint) }
        var end = max(0, limit)
        // A UTF-8 continuation byte (10xxxxxx) cannot start the cut-off part.
        while end > 0, end < bytes.count, bytes[end] & 0xC0 == 0x80, limit - end < 4 { end -= 1 }
        return (bytes[..<end], fingerprint)
    }
}

/// `crossdock.rejected.v1`: why an input record could not become canonical events.
///
/// On the dead-letter topic the record itself is the original bytes and key (the value cut short
/// above the hub's `maxOutputBytes`), with the reason in headers (the Hub's `DeadLetter`), so it
/// can be replayed as it was. This JSON form is what `crossdock normalize` prints for a rejection,
/// and what the schema describes. An input record gets one rejection at most, however many of its
/// documents were rejected: they are listed in ``documents``, and the original appears once.
public struct RejectedRecord: EventPayload {
    public static var eventType: EventType { .rejected }

    /// The code of the first error: the stable reason.
    public var code: DiagnosticCode
    public var stage: RejectionStage
    public var message: String
    /// Every finding, errors and warnings, in input order.
    public var diagnostics: [Diagnostic]
    public var partner: Optional<String>
    public var source: SourcePosition
    /// Each rejected document, when the input record held more than one document.
    public var documents: Optional<[RejectedDocument]>
    /// Rejected documents beyond those listed in ``documents`` (only the first thousand are).
    public var documentsOmitted: Optional<Int> = nil
    /// The input record's key.
    public var key: Optional<EmbeddedBytes>
    /// The input record's value, unchanged; only its first bytes when ``originalTruncated``.
    public var original: EmbeddedBytes
    /// The length of the whole input value, in bytes.
    public var originalLength: Int
    /// The SHA-256 of the whole input value (hexadecimal).
    public var originalSha256: String
    /// Whether ``original`` is only the first bytes of the input value.
    public var originalTruncated: Bool

    public init(
        code: DiagnosticCode, stage: RejectionStage, message: String, diagnostics: [Diagnostic],
        partner: String? = nil, source: SourcePosition, documents: [RejectedDocument]? = nil, key: [UInt8]? = nil,
        original: [UInt8], originalLimit: Int = .max
    ) {
        self.code = code
        self.stage = stage
        self.message = message
        self.diagnostics = diagnostics
        self.partner = partner
        self.source = source
        self.documents = documents
        self.key = key.map(EmbeddedBytes.init)
        let (carried, fingerprint) = OriginalFingerprint.bounded(original, limit: originalLimit)
        self.original = EmbeddedBytes(Array(carried))
        originalLength = fingerprint.length
        originalSha256 = fingerprint.sha256
        originalTruncated = fingerprint.truncated
    }

    /// A rejection whose reason is the first error among `diagnostics`.
    public init?(
        stage: RejectionStage, diagnostics: [Diagnostic], partner: String? = nil, source: SourcePosition,
        key: [UInt8]? = nil, original: [UInt8], originalLimit: Int = .max
    ) {
        guard let first = diagnostics.first(where: { $0.severity == .error }) else { return nil }
        self.init(
            code: first.code, stage: stage, message: first.message, diagnostics: diagnostics, partner: partner,
            source: source, key: key, original: original, originalLimit: originalLimit)
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("code", code.rawValue)
        w.field("stage", stage.rawValue)
        w.field("message", message)
        w.field("diagnostics", diagnostics, always: true)
        w.field("partner", partner)
        w.field("source", source)
        if let documents { w.field("documents", documents) }
        w.field("documentsOmitted", documentsOmitted)
        w.field("key", key)
        w.field("original", original)
        w.field("originalLength", originalLength)
        w.field("originalSha256", originalSha256)
        w.key("originalTruncated")
        w.bool(originalTruncated)
        w.endObject()
    }
}

/// Text that goes into Kafka headers or log lines: one line, control characters escaped.
public enum HeaderText {
    /// `text` escaped, and cut (with `…`) so that it takes at most about `maxBytes` bytes: a limit
    /// in bytes, not characters, since one character can be any number of combining marks.
    public static func escape(_ text: String, maxBytes: Int) -> String {
        escape(text.boundedUTF8(maxBytes))
    }

    public static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A: result += "\\n"
            case 0x0D: result += "\\r"
            case 0x09: result += "\\t"
            case 0..<0x20, 0x7F: result += unicodeEscape(scalar)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// `\u` and at least four hexadecimal digits: how escaped text shows a character it hides.
    public static func unicodeEscape(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}

/// RFC 4648 base64 with padding.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= bytes.count {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
            index += 3
        }
        let rest = bytes.count - index
        if rest > 0 {
            let n = UInt32(bytes[index]) << 16 | (rest == 2 ? UInt32(bytes[index + 1]) << 8 : 0)
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)]]
            out += rest == 2 ? [alphabet[Int(n >> 6 & 63)], UInt8(ascii: "=")] : [UInt8(ascii: "="), UInt8(ascii: "=")]
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func decode(_ text: String) -> [UInt8]? {
        var lookup = [UInt8](repeating: 255, count: 256)
        for (index, byte) in alphabet.enumerated() { lookup[Int(byte)] = UInt8(index) }
        let input = Array(text.utf8)
        guard input.count % 4 == 0 else { return nil }
        var out: [UInt8] = []
        var index = 0
        while index < input.count {
            var n: UInt32 = 0
            var padding = 0
            for offset in 0..<4 {
                let byte = input[index + offset]
                if byte == UInt8(ascii: "="), index + 4 == input.count, offset >= 2 {
                    padding += 1
                    n <<= 6
                    continue
                }
                guard padding == 0, lookup[Int(byte)] != 255 else { return nil }
                n = n << 6 | UInt32(lookup[Int(byte)])
            }
            out.append(UInt8(n >> 16 & 255))
            if padding < 2 { out.append(UInt8(n >> 8 & 255)) }
            if padding < 1 { out.append(UInt8(n & 255)) }
            index += 4
        }
        return out
    }
}

extension String {
    /// The text cut at a Unicode scalar boundary so that it takes at most `maxBytes` bytes of
    /// UTF-8 (with `…` added when cut): partner text in messages and headers stays bounded.
    public func boundedUTF8(_ maxBytes: Int) -> String {
        guard utf8.count > maxBytes else { return self }
        var result = ""
        var bytes = 0
        for scalar in unicodeScalars {
            let length = UTF8.width(scalar)
            guard bytes + length <= maxBytes else { break }
            result.unicodeScalars.append(scalar)
            bytes += length
        }
        return result + "…"
    }
}

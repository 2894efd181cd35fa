/// Writes JSON bytes directly, in the order the caller writes members, so the same value always
/// produces the same bytes. Numbers are written from exact text; strings are escaped minimally
/// and deterministically (quote, backslash, control characters and DEL; everything else as UTF-8).
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// Per open container (one bit each, the innermost lowest): whether the next element needs a
    /// comma first. Beyond 64 levels the outermost bits move to `deeper`.
    private var commaBits: UInt64 = 0
    private var depth = 0
    private var deeper: [UInt64] = []
    /// A member name was just written; its value follows without a comma.
    private var afterKey = false

    public init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    @inline(__always)
    private mutating func beforeValue() {
        if afterKey {
            afterKey = false
        } else if depth > 0 {
            if commaBits & 1 != 0 { bytes.append(UInt8(ascii: ",")) }
            commaBits |= 1
        }
    }

    private mutating func open(_ bracket: UInt8) {
        beforeValue()
        bytes.append(bracket)
        if depth >= 64 { deeper.append(commaBits >> 63) }
        commaBits <<= 1
        depth += 1
    }

    private mutating func close(_ bracket: UInt8) {
        depth -= 1
        commaBits >>= 1
        if depth >= 64, let outermost = deeper.popLast() { commaBits |= outermost << 63 }
        bytes.append(bracket)
    }

    public mutating func beginObject() { open(UInt8(ascii: "{")) }

    public mutating func endObject() { close(UInt8(ascii: "}")) }

    public mutating func beginArray() { open(UInt8(ascii: "[")) }

    public mutating func endArray() { close(UInt8(ascii: "]")) }

    /// Writes a member name given in the source (it must need no escaping: the model's names are
    /// plain ASCII); the next call writes its value.
    public mutating func key(_ name: StaticString) {
        beforeValue()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        afterKey = true
    }

    /// Writes a member name from data (escaped as any string); the next call writes its value.
    public mutating func key(text name: String) {
        beforeValue()
        writeString(name)
        bytes.append(UInt8(ascii: ":"))
        afterKey = true
    }

    public mutating func string(_ value: String) {
        beforeValue()
        writeString(value)
    }

    /// Writes a number from text that is already a valid JSON number.
    public mutating func number(text: String) {
        beforeValue()
        bytes.append(contentsOf: text.utf8)
    }

    public mutating func number(_ value: Int) { number(text: String(value)) }

    public mutating func number(_ value: ExactDecimal) { number(text: value.description) }

    public mutating func bool(_ value: Bool) {
        beforeValue()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    public mutating func null() {
        beforeValue()
        bytes.append(contentsOf: "null".utf8)
    }

    /// Writes any parsed value, members in their stored order.
    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let b): bool(b)
        case .number(let text): number(text: text)
        case .string(let s): string(s)
        case .array(let elements):
            beginArray()
            for element in elements { self.value(element) }
            endArray()
        case .object(let object):
            beginObject()
            for member in object.members {
                key(text: member.key)
                self.value(member.value)
            }
            endObject()
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Bytes that a JSON string must escape: quote, backslash, control characters and DEL.
    @inline(__always)
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0x7F
    }

    private mutating func writeString(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            bytes.append(UInt8(ascii: "\""))
            // Most strings need no escape: copy runs of plain bytes at once.
            var start = 0
            for index in utf8.indices where Self.needsEscape(utf8[index]) {
                if start < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index])) }
                escape(utf8[index])
                start = index + 1
            }
            if start < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...])) }
            bytes.append(UInt8(ascii: "\""))
        }
    }

    private mutating func escape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            bytes.append(UInt8(ascii: "u"))
            bytes.append(UInt8(ascii: "0"))
            bytes.append(UInt8(ascii: "0"))
            bytes.append(Self.hexDigits[Int(byte >> 4)])
            bytes.append(Self.hexDigits[Int(byte & 0xF)])
        }
    }

    /// Writes a string whose bytes `body` appends; they must need no escaping (digits, signs,
    /// letters: dates, times, numbers).
    public mutating func plainString(_ body: (inout [UInt8]) -> Void) {
        beforeValue()
        bytes.append(UInt8(ascii: "\""))
        body(&bytes)
        bytes.append(UInt8(ascii: "\""))
    }
}

/// A model value with one canonical JSON form.
public protocol JSONEncodable {
    func write(to writer: inout JSONWriter)
}

extension JSONEncodable {
    /// The canonical JSON bytes.
    public func jsonBytes() -> [UInt8] {
        var writer = JSONWriter(capacity: 2048)  // a canonical event is 1-2 KB
        write(to: &writer)
        return writer.bytes
    }
}

extension JSONWriter {
    /// Writes `key: value` unless the value is nil (absent members are omitted, never null).
    public mutating func field(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    public mutating func field(_ name: StaticString, _ value: ExactDecimal?) {
        guard let value else { return }
        key(name)
        number(value)
    }

    public mutating func field(_ name: StaticString, _ value: Int?) {
        guard let value else { return }
        key(name)
        number(value)
    }

    public mutating func field(_ name: StaticString, _ value: (some JSONEncodable)?) {
        guard let value else { return }
        key(name)
        value.write(to: &self)
    }

    /// Writes an array member; an empty array is omitted unless `always` is set.
    public mutating func field(_ name: StaticString, _ values: [some JSONEncodable], always: Bool = false) {
        guard always || !values.isEmpty else { return }
        key(name)
        beginArray()
        for value in values { value.write(to: &self) }
        endArray()
    }

    public mutating func field(_ name: StaticString, strings values: [String], always: Bool = false) {
        guard always || !values.isEmpty else { return }
        key(name)
        beginArray()
        for value in values { string(value) }
        endArray()
    }
}

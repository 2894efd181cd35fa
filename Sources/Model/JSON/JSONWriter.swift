/// Writes JSON bytes directly, in the order the caller writes members, so the same value always
/// produces the same bytes. Numbers are written from exact text; strings are escaped minimally
/// and deterministically (quote, backslash, control characters and DEL; everything else as UTF-8).
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// Per open container: whether the next element needs a comma first.
    private var needsComma: [Bool] = []
    /// A member name was just written; its value follows without a comma.
    private var afterKey = false

    public init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    private mutating func beforeValue() {
        if afterKey {
            afterKey = false
        } else if let last = needsComma.last {
            if last { bytes.append(UInt8(ascii: ",")) }
            needsComma[needsComma.count - 1] = true
        }
    }

    public mutating func beginObject() {
        beforeValue()
        bytes.append(UInt8(ascii: "{"))
        needsComma.append(false)
    }

    public mutating func endObject() {
        needsComma.removeLast()
        bytes.append(UInt8(ascii: "}"))
    }

    public mutating func beginArray() {
        beforeValue()
        bytes.append(UInt8(ascii: "["))
        needsComma.append(false)
    }

    public mutating func endArray() {
        needsComma.removeLast()
        bytes.append(UInt8(ascii: "]"))
    }

    /// Writes a member name; the next call writes its value.
    public mutating func key(_ name: String) {
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
                key(member.key)
                self.value(member.value)
            }
            endObject()
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private mutating func writeString(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x00..<0x20, 0x7F:
                bytes.append(contentsOf: [
                    UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                    Self.hexDigits[Int(byte >> 4)], Self.hexDigits[Int(byte & 0xF)],
                ])
            default: bytes.append(byte)
            }
        }
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
        var writer = JSONWriter()
        write(to: &writer)
        return writer.bytes
    }
}

extension JSONWriter {
    /// Writes `key: value` unless the value is nil (absent members are omitted, never null).
    public mutating func field(_ name: String, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    public mutating func field(_ name: String, _ value: ExactDecimal?) {
        guard let value else { return }
        key(name)
        number(value)
    }

    public mutating func field(_ name: String, _ value: Int?) {
        guard let value else { return }
        key(name)
        number(value)
    }

    public mutating func field(_ name: String, _ value: (some JSONEncodable)?) {
        guard let value else { return }
        key(name)
        value.write(to: &self)
    }

    /// Writes an array member; an empty array is omitted unless `always` is set.
    public mutating func field(_ name: String, _ values: [some JSONEncodable], always: Bool = false) {
        guard always || !values.isEmpty else { return }
        key(name)
        beginArray()
        for value in values { value.write(to: &self) }
        endArray()
    }

    public mutating func field(_ name: String, strings values: [String], always: Bool = false) {
        guard always || !values.isEmpty else { return }
        key(name)
        beginArray()
        for value in values { string(value) }
        endArray()
    }
}

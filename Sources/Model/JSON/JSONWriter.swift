/// Where the model's formatters (dates, times) append bytes: an array, or a ``JSONWriter``.
public protocol ByteSink: ~Copyable {
    mutating func append(_ byte: UInt8)
}

extension Array: ByteSink where Element == UInt8 {}

/// Writes JSON bytes directly, in the order the caller writes members, so the same value always
/// produces the same bytes. Numbers are written from exact text; strings are escaped minimally
/// and deterministically (quote, backslash, control characters and DEL; everything else as UTF-8).
///
/// The bytes grow in a buffer of its own (no uniqueness or capacity check of an array per byte);
/// ``bytes`` copies them out once. Not copyable: a writer is written to in place and read once.
public struct JSONWriter: ~Copyable, ByteSink {
    private var base: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int
    /// Per open container (one bit each, the innermost lowest): whether the next element needs a
    /// comma first. Beyond 64 levels the outermost bits move to `deeper`.
    private var commaBits: UInt64 = 0
    private var depth = 0
    private var deeper: [UInt64] = []
    /// A member name was just written; its value follows without a comma.
    private var afterKey = false

    public init(capacity: Int = 1024) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The bytes written so far.
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// The bytes written so far; the writer is then empty again and keeps its buffer (a loop that
    /// encodes many values reuses one writer).
    public mutating func take() -> [UInt8] {
        defer { reset() }
        return bytes
    }

    /// Empties the writer; it keeps its buffer.
    public mutating func reset() {
        count = 0
        commaBits = 0
        depth = 0
        deeper.removeAll()
        afterKey = false
    }

    /// How many bytes were written.
    public var byteCount: Int { count }

    /// Forgets the bytes after the first `length` (written outside any open value).
    public mutating func truncate(to length: Int) {
        precondition(depth == 0 && length <= count, "truncate inside a value")
        count = length
    }

    /// The size of the buffer.
    public var bufferCapacity: Int { capacity }

    /// Calls `body` with the bytes written so far (valid only inside `body`).
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Appends text as its UTF-8 bytes, outside any JSON value (for a buffer that holds more than
    /// JSON documents: record keys, header values); returns where they are.
    @discardableResult
    public mutating func appendRaw(_ text: String) -> Range<Int> {
        let start = count
        var text = text
        text.withUTF8 { append($0) }
        return start..<count
    }

    /// Appends bytes as they are (see the `String` form); returns where they are.
    @discardableResult
    public mutating func appendRaw(_ bytes: [UInt8]) -> Range<Int> {
        let start = count
        bytes.withUnsafeBufferPointer { append($0) }
        return start..<count
    }

    /// Makes room for `more` bytes.
    @inline(__always)
    private mutating func reserve(_ more: Int) {
        if count + more > capacity { grow(to: count + more) }
    }

    private mutating func grow(to needed: Int) {
        var larger = capacity * 2
        while larger < needed { larger *= 2 }
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.initialize(from: base, count: count)
        base.deallocate()
        base = moved
        capacity = larger
    }

    /// Appends one byte as it is (no escaping: for formatters writing inside ``plainString(_:)``).
    @inline(__always)
    public mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always)
    private mutating func append(_ buffer: UnsafeBufferPointer<UInt8>) {
        guard let source = buffer.baseAddress, buffer.count > 0 else { return }
        reserve(buffer.count)
        (base + count).initialize(from: source, count: buffer.count)
        count += buffer.count
    }

    private mutating func append(_ text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    @inline(__always)
    private mutating func beforeValue() {
        if afterKey {
            afterKey = false
        } else if depth > 0 {
            if commaBits & 1 != 0 { append(UInt8(ascii: ",")) }
            commaBits |= 1
        }
    }

    private mutating func open(_ bracket: UInt8) {
        beforeValue()
        append(bracket)
        if depth >= 64 { deeper.append(commaBits >> 63) }
        commaBits <<= 1
        depth += 1
    }

    private mutating func close(_ bracket: UInt8) {
        depth -= 1
        commaBits >>= 1
        if depth >= 64, let outermost = deeper.popLast() { commaBits |= outermost << 63 }
        append(bracket)
    }

    public mutating func beginObject() { open(UInt8(ascii: "{")) }

    public mutating func endObject() { close(UInt8(ascii: "}")) }

    public mutating func beginArray() { open(UInt8(ascii: "[")) }

    public mutating func endArray() { close(UInt8(ascii: "]")) }

    /// Writes a member name given in the source (it must need no escaping: the model's names are
    /// plain ASCII); the next call writes its value.
    public mutating func key(_ name: StaticString) {
        beforeValue()
        let length = name.utf8CodeUnitCount
        reserve(length + 3)
        base[count] = UInt8(ascii: "\"")
        (base + count + 1).initialize(from: name.utf8Start, count: length)
        base[count + 1 + length] = UInt8(ascii: "\"")
        base[count + 2 + length] = UInt8(ascii: ":")
        count += length + 3
        afterKey = true
    }

    /// Writes a member name from data (escaped as any string); the next call writes its value.
    public mutating func key(text name: String) {
        beforeValue()
        writeString(name)
        append(UInt8(ascii: ":"))
        afterKey = true
    }

    public mutating func string(_ value: String) {
        beforeValue()
        writeString(value)
    }

    /// Writes a number from text that is already a valid JSON number.
    public mutating func number(text: String) {
        beforeValue()
        var text = text
        text.withUTF8 { append($0) }
    }

    public mutating func number(_ value: Int) { number(text: String(value)) }

    public mutating func number(_ value: ExactDecimal) {
        beforeValue()
        value.append(to: &self)
    }

    public mutating func bool(_ value: Bool) {
        beforeValue()
        append(value ? "true" : "false")
    }

    public mutating func null() {
        beforeValue()
        append("null")
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

    private static let hexDigits: StaticString = "0123456789abcdef"

    /// Bytes that a JSON string must escape: quote, backslash, control characters and DEL.
    @inline(__always)
    /// Control characters, quote and backslash; and the lead bytes of the three line breaks JSON
    /// allows raw (U+0085, U+2028, U+2029), which are escaped too so that a JSON line is one line
    /// for every reader that splits lines by Unicode's rules.
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0x7F || byte == 0xC2 || byte == 0xE2
    }

    private mutating func writeString(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            // Room for the common case, a string without escapes, written in one pass.
            reserve(utf8.count + 2)
            base[count] = UInt8(ascii: "\"")
            var written = count + 1
            for index in utf8.indices {
                let byte = utf8[index]
                if Self.needsEscape(byte) {
                    count = written
                    writeEscaped(UnsafeBufferPointer(rebasing: utf8[index...]))
                    append(UInt8(ascii: "\""))
                    return
                }
                base[written] = byte
                written += 1
            }
            base[written] = UInt8(ascii: "\"")
            count = written + 1
        }
    }

    /// The rest of a string from its first byte that needs an escape.
    private mutating func writeEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            index += 1
            guard Self.needsEscape(byte) else {
                append(byte)
                continue
            }
            if byte == 0xC2 || byte == 0xE2 {
                // U+0085 is C2 85; U+2028 and U+2029 are E2 80 A8 and E2 80 A9. Other characters
                // with these lead bytes are written as they are.
                if byte == 0xC2, index < utf8.count, utf8[index] == 0x85 {
                    append("\\u0085")
                    index += 1
                } else if byte == 0xE2, index + 1 < utf8.count, utf8[index] == 0x80, utf8[index + 1] == 0xA8 || utf8[index + 1] == 0xA9 {
                    append(utf8[index + 1] == 0xA8 ? "\\u2028" : "\\u2029")
                    index += 2
                } else {
                    append(byte)
                }
                continue
            }
            append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): append(byte)
            case 0x0A: append(UInt8(ascii: "n"))
            case 0x0D: append(UInt8(ascii: "r"))
            case 0x09: append(UInt8(ascii: "t"))
            default:
                append("u00")
                append(Self.hexDigits.utf8Start[Int(byte >> 4)])
                append(Self.hexDigits.utf8Start[Int(byte & 0xF)])
            }
        }
    }

    /// Writes a value that is already JSON, written by a writer before (a value encoded once and
    /// written many times, such as a master-data location).
    public mutating func encodedValue(_ json: UnsafeBufferPointer<UInt8>) {
        beforeValue()
        append(json)
    }

    /// Writes a string whose bytes `body` appends with ``append(_:)``; they must need no escaping
    /// (digits, signs, letters: dates, times, numbers).
    public mutating func plainString(_ body: (inout JSONWriter) -> Void) {
        beforeValue()
        append(UInt8(ascii: "\""))
        body(&self)
        append(UInt8(ascii: "\""))
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
    // The non-optional overloads write a present value where it is, without wrapping a copy of
    // it in an optional first (for a whole event, a retain and a release of every field).

    public mutating func field(_ name: StaticString, _ value: String) {
        key(name)
        string(value)
    }

    public mutating func field(_ name: StaticString, _ value: some JSONEncodable) {
        key(name)
        value.write(to: &self)
    }

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

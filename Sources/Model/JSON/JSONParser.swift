/// Why a byte sequence is not acceptable JSON, and where.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    /// Byte offset from the start of the input.
    public var offset: Int
    /// Where in the document structure the problem is.
    public var pointer: JSONPointer

    public var description: String { "\(message) at byte \(offset)" + (pointer.tokens.isEmpty ? "" : " (\(pointer))") }
}

/// A strict, byte-level JSON parser (RFC 8259) for untrusted input: UTF-8 only, duplicate keys
/// rejected, nesting depth bounded, numbers kept as exact text.
public struct JSONParser {
    public struct Options: Sendable {
        /// Deeper documents are rejected instead of exhausting the stack.
        public var maximumDepth = 64
        /// Documents with more values are rejected: the parsed tree takes tens of bytes a value,
        /// so 10 MB of `[0,0,0,...` would take gigabytes. Every input the formats describe holds
        /// far fewer (a 10 MB batch of scans, about 450,000).
        public var maximumValues = 1_000_000

        public init(maximumDepth: Int = 64, maximumValues: Int = 1_000_000) {
            self.maximumDepth = maximumDepth
            self.maximumValues = maximumValues
        }
    }

    /// Parses a whole document; trailing content other than whitespace is an error. A UTF-8 byte
    /// order mark is skipped.
    public static func parse(_ input: [UInt8], options: Options = Options()) throws(JSONParseError) -> JSONValue {
        let result: Result<JSONValue, JSONParseError> = input.withUnsafeBytes { raw in
            Result { () throws(JSONParseError) in try parse(bytes: raw, options: options) }
        }
        return try result.get()
    }

    /// Parses from memory the caller keeps alive for the duration of the call.
    public static func parse(bytes: UnsafeRawBufferPointer, options: Options = Options()) throws(JSONParseError)
        -> JSONValue
    {
        var parser = Parser(bytes: bytes, options: options)
        return try parser.parseDocument()
    }

    public static func parse(_ text: String, options: Options = Options()) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8), options: options)
    }
}

extension JSONParseError {
    /// The error as seen from the enclosing value: `token` (a member name or an element's index)
    /// goes before the pointer's tokens.
    fileprivate func inside(_ token: String) -> JSONParseError {
        JSONParseError(message: message, offset: offset, pointer: pointer.prepending(token))
    }
}

private struct Parser {
    let bytes: UnsafeRawBufferPointer
    let options: JSONParser.Options
    var index = 0
    var values = 0

    init(bytes: UnsafeRawBufferPointer, options: JSONParser.Options) {
        self.bytes = bytes
        self.options = options
    }

    /// An error where the parser stands; each enclosing object and array names itself in its
    /// pointer on the way out (``inside(_:)``), so that no path is kept while parsing succeeds.
    func error(_ message: String) -> JSONParseError {
        JSONParseError(message: message, offset: index, pointer: .root)
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        skipWhitespace()
        guard index < bytes.count else { throw error("empty document") }
        let value = try parseValue(depth: 0)
        skipWhitespace()
        guard index == bytes.count else { throw error("unexpected content after the JSON value") }
        return value
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else { throw error("unexpected end of input") }
        values += 1
        guard values <= options.maximumValues else {
            throw error("the document holds more than \(options.maximumValues) values; send it in parts")
        }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default:
            throw error("unexpected character \(describe(bytes[index]))")
        }
    }

    func describe(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x" + String(byte, radix: 16)
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw error("unexpected end of input") }
        for offset in 0..<count where bytes[index + offset] != literal.utf8Start[offset] {
            throw error("invalid literal")
        }
        index += count
    }

    /// How many members an object's new names are compared with one by one, before a set.
    static let scannedMembers = 16

    mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= options.maximumDepth else { throw error("nesting deeper than \(options.maximumDepth) levels") }
        index += 1
        var members: [JSONObject.Member] = []
        // Duplicate names: the few members of an ordinary object are compared in a scan; past
        // `Self.scannedMembers` the names go into a set, or an object of 500,000 members (a
        // 6 MB record) would take 10^11 comparisons.
        var names: Set<String>? = nil
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(JSONObject(members))
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a member name") }
            let key = try parseString()
            if names == nil, members.count == Self.scannedMembers { names = Set(members.map(\.key)) }
            let duplicate = names != nil ? !names!.insert(key).inserted : members.contains { $0.key == key }
            if duplicate { throw error("duplicate member name \"\(key)\"") }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
            index += 1
            skipWhitespace()
            let value: JSONValue
            do { value = try parseValue(depth: depth) } catch { throw error.inside(key) }
            members.append(JSONObject.Member(key: key, value: value))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input in an object") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(JSONObject(members))
            }
            throw error("expected ',' or '}'")
        }
    }

    mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= options.maximumDepth else { throw error("nesting deeper than \(options.maximumDepth) levels") }
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            let value: JSONValue
            do { value = try parseValue(depth: depth) } catch { throw error.inside(String(elements.count)) }
            elements.append(value)
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input in an array") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            }
            throw error("expected ',' or ']'")
        }
    }

    mutating func parseNumber() throws(JSONParseError) -> String {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) { throw error("leading zeros are not allowed in numbers") }
        } else {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number: digit expected after '.'") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number: exponent digits expected") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    mutating func parseString() throws(JSONParseError) -> String {
        index += 1  // opening quote
        let start = index
        // Fast path: no escapes, plain ASCII or valid UTF-8.
        var hasEscape = false
        var hasNonASCII = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") {
                hasEscape = true
                index += 2
                continue
            }
            if byte < 0x20 { throw error("control character \(describe(byte)) in a string must be escaped") }
            if byte >= 0x80 { hasNonASCII = true }
            index += 1
        }
        guard index < bytes.count else { throw error("unterminated string") }
        let end = index
        index += 1  // closing quote
        let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
        if !hasEscape {
            if hasNonASCII {
                guard let text = String(validating: raw, as: UTF8.self) else {
                    index = start
                    throw error("invalid UTF-8 in a string")
                }
                return text
            }
            return String(decoding: raw, as: UTF8.self)
        }
        return try unescape(raw, startOffset: start)
    }

    func unescape(_ raw: UnsafeRawBufferPointer, startOffset: Int) throws(JSONParseError) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(raw.count)
        var i = 0
        func fail(_ message: String) -> JSONParseError {
            JSONParseError(message: message, offset: startOffset + i, pointer: .root)
        }
        func hex4(at position: Int) -> UInt32? {
            guard position + 4 <= raw.count else { return nil }
            var value: UInt32 = 0
            for offset in 0..<4 {
                let byte = raw[position + offset]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: return nil
                }
                value = value << 4 | digit
            }
            return value
        }
        while i < raw.count {
            let byte = raw[i]
            guard byte == UInt8(ascii: "\\") else {
                output.append(byte)
                i += 1
                continue
            }
            guard i + 1 < raw.count else { throw fail("unterminated escape") }
            let escaped = raw[i + 1]
            i += 2
            switch escaped {
            case UInt8(ascii: "\""): output.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): output.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "/"): output.append(UInt8(ascii: "/"))
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = hex4(at: i) else { throw fail("invalid \\u escape") }
                i += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    guard i + 1 < raw.count, raw[i] == UInt8(ascii: "\\"), raw[i + 1] == UInt8(ascii: "u"),
                        let low = hex4(at: i + 2), (0xDC00...0xDFFF).contains(low)
                    else { throw fail("unpaired surrogate in \\u escape") }
                    i += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw fail("unpaired surrogate in \\u escape")
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw fail("invalid \\u escape") }
                output.append(contentsOf: String(Character(unicode)).utf8)
            default:
                throw fail("invalid escape '\\\(Character(Unicode.Scalar(escaped)))'")
            }
        }
        guard let text = String(validating: output, as: UTF8.self) else { throw fail("invalid UTF-8 in a string") }
        return text
    }
}

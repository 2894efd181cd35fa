public import Model

/// Strict reading of Crossdock's JSON input formats: every shape problem is a `JSON_INVALID`
/// diagnostic with its JSON pointer, collected rather than thrown one at a time. Unknown members
/// are errors (typos are caught) unless their name starts with `x-`.
struct JSONInputReader {
    var diagnostics: [Diagnostic] = []

    /// Findings kept for one document: past this, one note says the rest are not listed (a
    /// megabyte of `{}` handling units would otherwise make half a million findings).
    static let listed = 1_000

    mutating func invalid(_ message: String, _ pointer: JSONPointer, code: DiagnosticCode = .jsonInvalid) {
        if diagnostics.count < Self.listed {
            diagnostics.append(.error(code, message, at: pointer.tokens.isEmpty ? "/" : pointer.description))
        } else if diagnostics.count == Self.listed {
            diagnostics.append(
                Diagnostic(
                    severity: .info, code: .findingsOmitted,
                    message: "more than \(Self.listed) findings in this document; the rest are not listed", location: pointer.description))
        }
    }

    /// The code of a date (`dateTime` false) or date-time that cannot be read: `DATE_INVALID` when
    /// it is written in its form (`YYYY-MM-DD`; `YYYY-MM-DDThh:mm:ss[.f]` and `Z` or an offset)
    /// but names none (30 February, 24:00, a leap second), `JSON_INVALID` when it is not written
    /// in its form at all.
    static func dateCode(_ text: String, dateTime: Bool) -> DiagnosticCode {
        let bytes = Array(text.utf8)
        func digits(_ positions: [Int]) -> Bool { positions.allSatisfy { $0 < bytes.count && bytes[$0] &- 48 < 10 } }
        guard bytes.count >= 10, digits([0, 1, 2, 3, 5, 6, 8, 9]), bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else {
            return .jsonInvalid
        }
        guard dateTime else { return bytes.count == 10 ? .dateInvalid : .jsonInvalid }
        guard bytes.count >= 19, bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"), digits([11, 12, 14, 15, 17, 18]),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":")
        else { return .jsonInvalid }
        var index = 19
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits([index]) else { return .jsonInvalid }
            while index < bytes.count, bytes[index] &- 48 < 10 { index += 1 }
        }
        if index + 1 == bytes.count, bytes[index] == UInt8(ascii: "Z") || bytes[index] == UInt8(ascii: "z") { return .dateInvalid }
        guard index + 6 == bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"),
            digits([index + 1, index + 2, index + 4, index + 5]), bytes[index + 3] == UInt8(ascii: ":")
        else { return .jsonInvalid }
        return .dateInvalid
    }

    mutating func object(_ value: JSONValue?, _ pointer: JSONPointer, allowed: Set<String>, required: Set<String> = [])
        -> JSONObject?
    {
        guard let value else { return nil }
        guard case .object(let object) = value else {
            invalid("expected an object, found \(value.typeName)", pointer)
            return nil
        }
        for member in object where !allowed.contains(member.key) && !member.key.hasPrefix("x-") {
            invalid("unknown member \"\(member.key)\"", pointer.appending(member.key))
        }
        for key in required.sorted() where object[key] == nil || object[key] == .null {
            invalid("required member \"\(key)\" is missing", pointer)
        }
        return object
    }

    mutating func string(_ object: JSONObject, _ key: String, _ pointer: JSONPointer) -> String? {
        guard let value = object[key], value != .null else { return nil }
        guard case .string(let text) = value, !text.isEmpty else {
            invalid("expected a non-empty string, found \(value.typeName)", pointer.appending(key))
            return nil
        }
        return text
    }

    /// An identifier (an order line, a lot, a device): a non-empty string, or a JSON number written
    /// as a whole number (`"poLine": 1`), whose digits are the identifier. A number with a sign, a
    /// fraction or an exponent (`1.0`, `1e3`) is not one: which text it stands for is ambiguous.
    ///
    /// An identifier holds no C0 control character (an escaped NUL would end up in the event's key
    /// and subject), except GS (0x1D), which separates a barcode's element strings.
    mutating func identifier(_ object: JSONObject, _ key: String, _ pointer: JSONPointer) -> String? {
        guard let value = object[key], value != .null else { return nil }
        switch value {
        case .string(let text) where !text.isEmpty:
            if let control = text.utf8.first(where: { $0 < 0x20 && $0 != 0x1D }) {
                let hex = String(control, radix: 16, uppercase: true)
                invalid("an identifier holds no control characters; found U+\(String(repeating: "0", count: 4 - hex.count) + hex)", pointer.appending(key))
                return nil
            }
            return text
        case .number(let text) where text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }): return text
        case .number(let text):
            invalid("expected an identifier, found the number \(text), which is not a whole number", pointer.appending(key))
            return nil
        default:
            invalid("expected a non-empty string, found \(value.typeName)", pointer.appending(key))
            return nil
        }
    }

    /// A number kept as its exact text.
    mutating func number(_ object: JSONObject, _ key: String, _ pointer: JSONPointer) -> String? {
        guard let value = object[key], value != .null else { return nil }
        guard case .number(let text) = value else {
            invalid("expected a number, found \(value.typeName)", pointer.appending(key))
            return nil
        }
        return text
    }

    /// An instant: a date-time with its UTC offset. `-00:00` is refused: RFC 3339 reserves it for
    /// a local time whose offset is unknown, and such a time names no instant.
    mutating func timestamp(_ object: JSONObject, _ key: String, _ pointer: JSONPointer) -> Timestamp? {
        guard let text = string(object, key, pointer) else { return nil }
        guard let stamp = Timestamp(rfc3339: text) else {
            invalid("\"\(text)\" is not an RFC 3339 date-time with a UTC offset", pointer.appending(key), code: Self.dateCode(text, dateTime: true))
            return nil
        }
        guard !text.hasSuffix("-00:00") else {
            invalid(
                "\"\(text)\" has the offset -00:00, which RFC 3339 reserves for a local time whose offset is unknown; "
                    + "send the offset the time was taken in (Z for UTC)", pointer.appending(key))
            return nil
        }
        return stamp
    }

    /// A date-time as sent: with its offset, except `-00:00`, which RFC 3339 reserves for a local
    /// time whose offset is unknown (kept local, never taken as UTC); a leap second is refused.
    mutating func sentTime(_ object: JSONObject, _ key: String, _ pointer: JSONPointer) -> SentTime? {
        guard let text = string(object, key, pointer) else { return nil }
        guard let stamp = Timestamp(rfc3339: text) else {
            let reason = text.utf8.count >= 19 && text.dropFirst(17).hasPrefix("60") ? " (a leap second, 60, names no instant here)" : ""
            invalid("\"\(text)\" is not an RFC 3339 date-time with a UTC offset\(reason)", pointer.appending(key), code: Self.dateCode(text, dateTime: true))
            return nil
        }
        guard text.hasSuffix("-00:00") else { return SentTime(stamp) }
        let local = SentTime(stamp)
        return SentTime(
            year: local.year, yearHasCentury: true, month: local.month, day: local.day, hour: local.hour, minute: local.minute,
            second: local.second, nanoseconds: local.nanoseconds, zone: .unstated, zoneCode: "-00:00")
    }

    mutating func date(_ object: JSONObject, _ key: String, _ pointer: JSONPointer) -> CalendarDate? {
        guard let text = string(object, key, pointer) else { return nil }
        guard let date = CalendarDate(iso: text) else {
            invalid("\"\(text)\" is not a date (YYYY-MM-DD)", pointer.appending(key), code: Self.dateCode(text, dateTime: false))
            return nil
        }
        return date
    }

    mutating func array(_ object: JSONObject, _ key: String, _ pointer: JSONPointer) -> [JSONValue] {
        guard let value = object[key], value != .null else { return [] }
        guard case .array(let elements) = value else {
            invalid("expected an array, found \(value.typeName)", pointer.appending(key))
            return []
        }
        return elements
    }

    /// A list of identifiers (tracking numbers, serials): each a non-empty string, as one alone.
    mutating func strings(_ object: JSONObject, _ key: String, _ pointer: JSONPointer) -> [String] {
        array(object, key, pointer).enumerated().compactMap { index, element in
            guard case .string(let text) = element, !text.isEmpty else {
                invalid("expected a non-empty string, found \(element.stringValue == "" ? "an empty one" : element.typeName)", pointer.appending(key).appending(index))
                return nil
            }
            return text
        }
    }
}

/// Parses bytes as JSON, turning a syntax error into a `JSON_INVALID` diagnostic.
public func parseJSONInput(_ bytes: [UInt8]) -> Result<JSONValue, Diagnostic> {
    do {
        return .success(try JSONParser.parse(bytes))
    } catch {
        return .failure(
            .error(
                .jsonInvalid, "not valid JSON: \(error.message)",
                at: "byte \(error.offset)" + (error.pointer.tokens.isEmpty ? "" : " (\(error.pointer))")))
    }
}

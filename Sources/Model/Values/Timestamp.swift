/// A point in time as the sender stated it: RFC 3339 with the sender's UTC offset kept, so
/// `2026-11-19T10:02:44-05:00` is written back exactly like that, never shifted to UTC.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public let epochSeconds: Int64
    /// 0..<1_000_000_000
    public let nanoseconds: Int32
    /// The sender's offset from UTC in minutes (-05:00 is -300).
    public let offsetMinutes: Int16

    public init(epochSeconds: Int64, nanoseconds: Int32 = 0, offsetMinutes: Int16 = 0) {
        self.epochSeconds = epochSeconds
        self.nanoseconds = nanoseconds
        self.offsetMinutes = offsetMinutes
    }

    /// Builds a timestamp from the sender's local date and time and its offset.
    public init?(
        year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, nanoseconds: Int = 0,
        offsetMinutes: Int = 0
    ) {
        guard let date = CalendarDate(year: year, month: month, day: day),
            (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second),
            (0..<1_000_000_000).contains(nanoseconds), (-1439...1439).contains(offsetMinutes)
        else { return nil }
        // A leap second is folded into the next second, as most systems do.
        let local = Int64(date.daysSinceEpoch) * 86_400 + Int64(hour * 3600 + minute * 60 + min(second, 59))
            + (second == 60 ? 1 : 0)
        self.init(
            epochSeconds: local - Int64(offsetMinutes) * 60, nanoseconds: Int32(nanoseconds),
            offsetMinutes: Int16(offsetMinutes))
    }

    /// Parses RFC 3339 (`2026-11-19T10:02:44.5-05:00`, `...Z`; `t`/space separator and `z`
    /// accepted). The offset is required: a time without one is ambiguous.
    public init?(rfc3339 text: some StringProtocol) {
        // Read in place from the string's own UTF-8 where it has one (no array per timestamp).
        guard let parsed = text.utf8.withContiguousStorageIfAvailable(Self.parse) ?? Array(text.utf8).withUnsafeBufferPointer(Self.parse)
        else { return nil }
        self = parsed
    }

    /// ``init(rfc3339:)`` on UTF-8 bytes (for a reader that has the text as bytes).
    public init?(rfc3339UTF8 bytes: UnsafeBufferPointer<UInt8>) {
        guard let parsed = Self.parse(bytes) else { return nil }
        self = parsed
    }

    private static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        func number(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= b.count else { return nil }
            var value = 0
            for i in start..<(start + count) {
                guard b[i] >= 48, b[i] <= 57 else { return nil }
                value = value * 10 + Int(b[i] - 48)
            }
            return value
        }
        guard b.count >= 20, let year = number(0, 4), b[4] == UInt8(ascii: "-"), let month = number(5, 2),
            b[7] == UInt8(ascii: "-"), let day = number(8, 2),
            [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")].contains(b[10]),
            let hour = number(11, 2), b[13] == UInt8(ascii: ":"), let minute = number(14, 2),
            b[16] == UInt8(ascii: ":"), let second = number(17, 2),
            // A leap second (60) has no instant of its own here: refused rather than moved.
            second <= 59
        else { return nil }
        var index = 19
        var nanos = 0
        if index < b.count, b[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < b.count, b[index] >= 48, b[index] <= 57 {
                if digits < 9 { nanos = nanos * 10 + Int(b[index] - 48) }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 9) { nanos *= 10 }
        }
        guard index < b.count else { return nil }
        var offset = 0
        switch b[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == b.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == b.count, let oh = number(index + 1, 2), b[index + 3] == UInt8(ascii: ":"),
                let om = number(index + 4, 2), oh <= 23, om <= 59
            else { return nil }
            offset = (oh * 60 + om) * (b[index] == UInt8(ascii: "-") ? -1 : 1)
        default:
            return nil
        }
        return Timestamp(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second, nanoseconds: nanos,
            offsetMinutes: offset)
    }

    /// The sender's local calendar date.
    public var localDate: CalendarDate {
        let local = epochSeconds + Int64(offsetMinutes) * 60
        return CalendarDate(daysSinceEpoch: Int(local.floorDivided(by: 86_400)))
    }

    /// RFC 3339 in the sender's offset; fractional seconds only when present, without trailing
    /// zeros; `Z` for a zero offset.
    public var description: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(35)
        appendRFC3339(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends ``description``'s bytes.
    public func appendRFC3339<Sink: ByteSink & ~Copyable>(to out: inout Sink) {
        let local = epochSeconds + Int64(offsetMinutes) * 60
        let days = local.floorDivided(by: 86_400)
        let secondsOfDay = Int(local - days * 86_400)
        CalendarDate(daysSinceEpoch: Int(days)).appendISO(to: &out)
        out.append(UInt8(ascii: "T"))
        appendDigits(secondsOfDay / 3600, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(secondsOfDay / 60 % 60, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(secondsOfDay % 60, width: 2, to: &out)
        if nanoseconds > 0 {
            var fraction = Int(nanoseconds)
            var width = 9
            while fraction % 10 == 0 {
                fraction /= 10
                width -= 1
            }
            out.append(UInt8(ascii: "."))
            appendDigits(fraction, width: width, to: &out)
        }
        if offsetMinutes == 0 {
            out.append(UInt8(ascii: "Z"))
            return
        }
        let magnitude = Int(offsetMinutes.magnitude)
        out.append(offsetMinutes < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        appendDigits(magnitude / 60, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(magnitude % 60, width: 2, to: &out)
    }

    /// The same instant expressed in UTC.
    public var utc: Timestamp { Timestamp(epochSeconds: epochSeconds, nanoseconds: nanoseconds, offsetMinutes: 0) }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        (lhs.epochSeconds, lhs.nanoseconds) < (rhs.epochSeconds, rhs.nanoseconds)
    }
}

/// Appends a non-negative number in decimal, zero-padded to at least `width` digits.
private func appendDigits<Sink: ByteSink & ~Copyable>(_ value: Int, width: Int, to out: inout Sink) {
    // Months, days, hours, minutes, seconds and offsets: two digits, without a division loop.
    if width == 2, value >= 0, value < 100 {
        out.append(UInt8(ascii: "0") + UInt8(value / 10))
        out.append(UInt8(ascii: "0") + UInt8(value % 10))
        return
    }
    var digits = 1
    var scale = 1
    while value / scale >= 10 {
        scale *= 10
        digits += 1
    }
    for _ in digits..<max(digits, width) { out.append(UInt8(ascii: "0")) }
    while scale > 0 {
        out.append(UInt8(ascii: "0") + UInt8(value / scale % 10))
        scale /= 10
    }
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}

/// A calendar date without time or zone (`2027-03-31`), for expiry and best-before dates.
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Nil unless the date exists (leap years included), years 1...9999.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
            day <= CalendarDate.daysIn(month: month, year: year)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`.
    public init?(iso text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 (proleptic Gregorian; Howard Hinnant's civil-days algorithm).
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    init(daysSinceEpoch days: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        month = m
        day = d
    }

    public var description: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(10)
        appendISO(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends ``description``'s bytes (`YYYY-MM-DD`).
    public func appendISO<Sink: ByteSink & ~Copyable>(to out: inout Sink) {
        appendDigits(year, width: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(month, width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(day, width: 2, to: &out)
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

extension Timestamp: JSONEncodable, JSONDecodable {
    public func write(to writer: inout JSONWriter) { writer.plainString { appendRFC3339(to: &$0) } }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let text = try String(json: json, at: pointer)
        guard let value = Timestamp(rfc3339: text) else {
            throw JSONShapeError("\"\(text)\" is not an RFC 3339 date-time with offset", at: pointer)
        }
        self = value
    }
}

extension CalendarDate: JSONEncodable, JSONDecodable {
    public func write(to writer: inout JSONWriter) { writer.plainString { appendISO(to: &$0) } }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let text = try String(json: json, at: pointer)
        guard let value = CalendarDate(iso: text) else {
            throw JSONShapeError("\"\(text)\" is not a date (YYYY-MM-DD)", at: pointer)
        }
        self = value
    }
}

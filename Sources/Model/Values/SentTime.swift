/// A date, or a date and time of day, as a partner wrote it, before its century and its zone are
/// known. A six-digit date's century depends on when it is read, and a time sent without a zone is
/// the local time of wherever it happened: neither is decided by the reader. The normaliser
/// resolves it (Normalize's `TimeResolution`) with the record's processing time for the century and
/// the time zone of the place from master data; where no zone can be known the local time is kept
/// as it was sent (``localText``), never given an offset it did not have.
public struct SentTime: Sendable, Hashable, CustomStringConvertible {
    /// What the sender said about the zone.
    public enum Zone: Sendable, Hashable {
        /// A fixed offset from UTC in minutes (X12 `UT`, `ES`, `P05`..., EDIFACT 205/303).
        case offset(minutes: Int)
        /// A region whose offset follows daylight-saving rules (X12 `ET`, `CT`, ...), as an IANA
        /// time-zone identifier.
        case region(identifier: String)
        /// Nothing: local time where it happened (X12 `LT` or no time code, EDIFACT 203/204).
        case unstated
    }

    /// Four digits, or the two digits written when ``yearHasCentury`` is false.
    public let year: Int
    public let yearHasCentury: Bool
    public let month: Int
    public let day: Int
    /// The hour when a time of day was sent; nil for a date alone.
    public let hour: Int?
    public let minute: Int
    public let second: Int
    public let nanoseconds: Int
    public let zone: Zone
    /// The zone as the sender wrote it (an X12 time code, an EDIFACT format), for messages.
    public let zoneCode: String?

    /// Nil unless month, day and time are in range (a day past the month's end is checked once the
    /// century is known).
    public init?(
        year: Int, yearHasCentury: Bool, month: Int, day: Int, hour: Int? = nil, minute: Int = 0, second: Int = 0,
        nanoseconds: Int = 0, zone: Zone = .unstated, zoneCode: String? = nil
    ) {
        guard (yearHasCentury ? 1...9999 : 0...99).contains(year), (1...12).contains(month), (1...31).contains(day),
            // A second of 60 (a leap second) names no instant of its own: refused, not rolled over.
            hour.map({ (0...23).contains($0) }) ?? true, (0...59).contains(minute), (0...59).contains(second),
            (0..<1_000_000_000).contains(nanoseconds)
        else { return nil }
        if yearHasCentury, day > CalendarDate.daysIn(month: month, year: year) { return nil }
        self.year = year
        self.yearHasCentury = yearHasCentury
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = hour == nil ? 0 : minute
        self.second = hour == nil ? 0 : second
        self.nanoseconds = hour == nil ? 0 : nanoseconds
        self.zone = zone
        self.zoneCode = zoneCode
    }

    /// A calendar date that is already complete (a JSON `expiry`).
    public init(_ date: CalendarDate) {
        self.init(year: date.year, yearHasCentury: true, month: date.month, day: date.day)!
    }

    /// An instant as a partner sent it with its offset (RFC 3339 in the JSON inputs): resolving it
    /// gives it back unchanged.
    public init(_ instant: Timestamp) {
        let local = Timestamp(
            epochSeconds: instant.epochSeconds + Int64(instant.offsetMinutes) * 60, nanoseconds: instant.nanoseconds)
        let date = local.localDate
        let seconds = Int(local.epochSeconds - Int64(date.daysSinceEpoch) * 86_400)
        self.init(
            year: date.year, yearHasCentury: true, month: date.month, day: date.day, hour: seconds / 3600,
            minute: seconds / 60 % 60, second: seconds % 60, nanoseconds: Int(instant.nanoseconds),
            zone: .offset(minutes: Int(instant.offsetMinutes)))!
    }

    /// Whether two statements of a date or time can be the same: the same day, and where both
    /// give a time in the same zone, the same time. (A date and the same date with a time agree; two
    /// times in different zones cannot be told apart without their zones' rules.)
    public func agrees(with other: SentTime) -> Bool {
        guard year == other.year, yearHasCentury == other.yearHasCentury, month == other.month, day == other.day else { return false }
        guard let hour, let otherHour = other.hour, zone == other.zone else { return true }
        return hour == otherHour && minute == other.minute && second == other.second && nanoseconds == other.nanoseconds
    }

    /// The four-digit year: as written, or a two-digit year placed by the sliding window around
    /// `referenceYear` (from 49 years before to 50 after, the rule GS1 gives for its six-digit
    /// dates and the one applied to every six-digit date here).
    public func fullYear(referenceYear: Int) -> Int {
        yearHasCentury ? year : Self.slidingWindow(twoDigitYear: year, referenceYear: referenceYear)
    }

    /// The year in `referenceYear - 49 ... referenceYear + 50` that ends in `twoDigitYear`.
    public static func slidingWindow(twoDigitYear yy: Int, referenceYear: Int) -> Int {
        let current = referenceYear % 100
        let base = referenceYear - current
        let difference = yy - current
        if difference >= 51 { return base - 100 + yy }
        if difference <= -50 { return base + 100 + yy }
        return base + yy
    }

    /// The date with its century, or nil when that day does not exist in that year (29 February).
    public func date(referenceYear: Int) -> CalendarDate? {
        CalendarDate(year: fullYear(referenceYear: referenceYear), month: month, day: day)
    }

    /// ISO 8601 without an offset: `2026-11-19` for a date, `2026-11-19T10:02:00` for a time.
    public func localText(referenceYear: Int) -> String? {
        guard let date = date(referenceYear: referenceYear) else { return nil }
        guard let hour else { return date.description }
        var text = "\(date)T\(Self.twoDigits(hour)):\(Self.twoDigits(minute)):\(Self.twoDigits(second))"
        if nanoseconds > 0 {
            var fraction = String(nanoseconds)
            fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
            while fraction.last == "0" { fraction.removeLast() }
            text += "." + fraction
        }
        return text
    }

    /// The instant when the offset at that local time is known.
    public func timestamp(referenceYear: Int, offsetMinutes: Int) -> Timestamp? {
        guard let date = date(referenceYear: referenceYear), let hour else { return nil }
        return Timestamp(
            year: date.year, month: date.month, day: date.day, hour: hour, minute: minute, second: second,
            nanoseconds: nanoseconds, offsetMinutes: offsetMinutes)
    }

    /// Seconds since 1970 of the local date and time read as if it were UTC (for zone rules).
    public func localEpochSeconds(referenceYear: Int) -> Int64? {
        timestamp(referenceYear: referenceYear, offsetMinutes: 0)?.epochSeconds
    }

    public var description: String {
        let yearText = yearHasCentury ? String(year) : "(YY)" + Self.twoDigits(year)
        let time = hour.map { "T\(Self.twoDigits($0)):\(Self.twoDigits(minute)):\(Self.twoDigits(second))" } ?? ""
        return "\(yearText)-\(Self.twoDigits(month))-\(Self.twoDigits(day))\(time)" + (zoneCode.map { " (\($0))" } ?? "")
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
}

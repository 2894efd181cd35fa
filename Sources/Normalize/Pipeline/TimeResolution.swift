import Foundation
import Model

/// Turns times as partners sent them (``SentTime``) into instants where that can be known, and
/// keeps them as the sender's local time where it cannot:
/// - a six-digit year is placed by the sliding window around the year the record is processed
///   (`recordedAt`, which `--recorded-at` pins), never by a year written into the code;
/// - a stated offset is used as it is; a stated region (X12 `ET`, `CT`, ...) and a time without a
///   zone in a place whose zone master data knows (a site's or the partner's `timeZone`) get that
///   zone's offset on that date from the IANA rules (tzdata through Foundation's `TimeZone`);
/// - a time without a zone anywhere else stays a local date-time (`...Local` fields) with a
///   `TIME_ZONE_UNKNOWN` warning, and a date sent alone stays a date: no offset and no time of day
///   is made up.
struct TimeResolution {
    /// The year six-digit dates are placed around.
    let referenceYear: Int
    /// The IANA zone of the place the times happen at, and where that zone comes from (for messages).
    let zone: (identifier: String, owner: String)?

    init(record: InputRecord, zone: String?, owner: String) {
        referenceYear = record.recordedAt.localDate.year
        self.zone = zone.map { ($0, owner) }
    }

    /// A time as an instant, or as the sender's local date or date-time.
    struct Resolved {
        var instant: Timestamp?
        var local: String?
    }

    /// `sent` for the field `field` at `location`; findings (a date that does not exist, a time
    /// without a known zone) go to `findings` at `stage`.
    func resolve(
        _ sent: SentTime?, field: String, at location: String, findings: inout Findings, stage: RejectionStage = .map
    ) -> Resolved {
        guard let sent else { return Resolved() }
        guard let text = sent.localText(referenceYear: referenceYear) else {
            findings.add(.error(.dateInvalid, "\(field) \(sent) is not a date", at: location), .parse)
            return Resolved()
        }
        guard sent.hour != nil else { return Resolved(local: text) }
        let offset: Int?
        switch sent.zone {
        case .offset(let minutes):
            offset = minutes
        case .region(let identifier):
            offset = Self.offsetMinutes(zone: identifier, sent: sent, referenceYear: referenceYear)
        case .unstated:
            offset = zone.flatMap { Self.offsetMinutes(zone: $0.identifier, sent: sent, referenceYear: referenceYear) }
        }
        if let offset, let instant = sent.timestamp(referenceYear: referenceYear, offsetMinutes: offset) {
            return Resolved(instant: instant)
        }
        let why = sent.zoneCode.map { "with '\($0)', which states no UTC offset" } ?? "without a UTC offset"
        findings.add(
            .warning(
                .timeZoneUnknown,
                "\(field) \(text) was sent \(why), and no timeZone is known for \(zone?.owner ?? "where it happened"): kept as \(field)Local",
                at: location), stage)
        return Resolved(local: text)
    }

    /// A date (an expiry): its century placed, its existence checked.
    func date(_ sent: SentTime?, field: String, at location: String, findings: inout Findings) -> CalendarDate? {
        guard let sent else { return nil }
        guard let date = sent.date(referenceYear: referenceYear) else {
            findings.add(.error(.dateInvalid, "\(field) \(sent) is not a date", at: location), .parse)
            return nil
        }
        return date
    }

    /// The UTC offset of `zone` at the local date and time `sent`: the offset in effect at the
    /// instant that local time names (for a time in a daylight-saving gap or overlap, the offset
    /// before the change).
    static func offsetMinutes(zone identifier: String, sent: SentTime, referenceYear: Int) -> Int? {
        guard let zone = TimeZone(identifier: identifier), let local = sent.localEpochSeconds(referenceYear: referenceYear) else {
            return nil
        }
        let guess = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local)))
        let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local - Int64(guess))))
        return offset / 60
    }
}

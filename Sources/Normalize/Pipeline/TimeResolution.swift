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
        centuryWarning(sent, field: field, at: location, findings: &findings, stage: stage)
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
            if let zoneName = ruledZone(sent), let local = sent.localEpochSeconds(referenceYear: referenceYear),
                let problem = Self.daylightSavingProblem(zone: zoneName, localSeconds: local)
            {
                findings.add(
                    .warning(
                        .timeAmbiguous, "\(field) \(text) \(problem) in \(zoneName) (a daylight-saving change): read as \(instant)",
                        at: location), stage)
            }
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
        centuryWarning(sent, field: field, at: location, findings: &findings, stage: .map)
        return date
    }

    /// A six-digit year's century is inferred: said so.
    private func centuryWarning(_ sent: SentTime, field: String, at location: String, findings: inout Findings, stage: RejectionStage) {
        guard !sent.yearHasCentury, let year = sent.date(referenceYear: referenceYear)?.year else { return }
        findings.add(
            .warning(
                .centuryAssumed, "\(field) has a two-digit year \(sent.year < 10 ? "0" : "")\(sent.year): read as \(year), within 49 years before and 50 after \(referenceYear)",
                at: location), stage)
    }

    /// The zone whose rules gave a time its offset: a stated region's, or the place's for a time
    /// sent without one.
    private func ruledZone(_ sent: SentTime) -> String? {
        switch sent.zone {
        case .region(let identifier): identifier
        case .unstated: zone?.identifier
        case .offset: nil
        }
    }

    /// `occurs twice` or `does not exist` when the local time falls in a daylight-saving change of
    /// `zone`, else nil.
    static func daylightSavingProblem(zone identifier: String, localSeconds: Int64) -> String? {
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        // The offsets in force a day either side; where they differ, check which fit this time.
        let before = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(localSeconds - 86_400)))
        let after = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(localSeconds + 86_400)))
        guard before != after else { return nil }
        let fitting = Set([before, after]).filter { offset in
            zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(localSeconds - Int64(offset)))) == offset
        }
        switch fitting.count {
        case 0: return "does not exist"
        case 2: return "occurs twice"
        default: return nil
        }
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

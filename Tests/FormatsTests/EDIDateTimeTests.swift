@testable import Formats
import Model
import Testing

@Suite("EDI dates and times")
struct EDIDateTimeTests {
    /// A time as read, shown with its zone as sent, and resolved around 2026 with a zone's offset.
    static func shown(_ sent: SentTime?, offset: Int? = nil) -> String? {
        guard let sent else { return nil }
        let year = 2026
        switch sent.zone {
        case .offset(let minutes): return sent.timestamp(referenceYear: year, offsetMinutes: minutes)?.description ?? sent.localText(referenceYear: year)
        case .region(let identifier): return "\(sent.localText(referenceYear: year) ?? "?") in \(identifier)"
        case .unstated:
            if let offset { return sent.timestamp(referenceYear: year, offsetMinutes: offset)?.description }
            return sent.localText(referenceYear: year)
        }
    }

    @Test("X12: CCYYMMDD or YYMMDD, HHMM[SS[D[D]]]; time codes as element 623 gives them; nothing made up")
    func x12() {
        func text(_ date: String, _ time: String?, _ code: String? = nil, century: String? = nil) -> String? {
            Self.shown(EDIDateTime.x12(date: date, time: time, code: code, century: century))
        }
        #expect(text("20261120", "0915") == "2026-11-20T09:15:00", "no time code: local time, no offset")
        #expect(text("20261120", "0915", "LT") == "2026-11-20T09:15:00", "LT says nothing of the offset")
        #expect(text("20261120", nil) == "2026-11-20", "a date alone stays a date")
        #expect(text("20261120", "") == "2026-11-20")
        #expect(text("20261120", "091530", "UT") == "2026-11-20T09:15:30Z")
        #expect(text("20261120", "09153045", "UT") == "2026-11-20T09:15:30.45Z", "hundredths kept")
        #expect(text("20261120", "0915304", "UT") == "2026-11-20T09:15:30.4Z", "tenths kept")
        for bad in [("20261131", "0915"), ("2026112", "0915"), ("202611200", nil), ("2026-11-20", nil), ("", nil),
                    ("20261120", "915"), ("20261120", "09:15"), ("20261120", "2415"), ("20261320", nil), ("20261120", "09153")]
            as [(String, String?)]
        {
            #expect(text(bad.0, bad.1) == nil, "\(bad)")
        }
        #expect(text("20260715", "0915", "ES") == "2026-07-15T09:15:00-05:00", "a fixed code keeps its offset")
        #expect(text("20260715", "0915", "AS") == "2026-07-15T09:15:00-09:00", "AS is Alaska standard time")
        #expect(text("20260715", "0915", "TS") == "2026-07-15T09:15:00-04:00", "TS is Atlantic standard time")
        #expect(text("20260715", "0915", "TD") == "2026-07-15T09:15:00-03:00")
        #expect(text("20260715", "0915", "NS") == "2026-07-15T09:15:00-03:30")
        #expect(text("20260715", "0915", "05") == "2026-07-15T09:15:00+05:00", "01-12 are ISO P01-P12")
        #expect(text("20260715", "0915", "13") == "2026-07-15T09:15:00-12:00", "13 is ISO M12")
        #expect(text("20260715", "0915", "20") == "2026-07-15T09:15:00-05:00", "20 is ISO M05")
        #expect(text("20260715", "0915", "24") == "2026-07-15T09:15:00-01:00", "24 is ISO M01")
        #expect(text("20260715", "0915", "ET") == "2026-07-15T09:15:00 in America/New_York", "ET names a region, not an offset")
        #expect(text("20260715", "0915", "HT") == "2026-07-15T09:15:00 in Pacific/Honolulu")
        #expect(text("20261120", "0915", "XX") == "2026-11-20T09:15:00", "an unknown code states no zone")
        #expect(EDIDateTime.x12Zone("XX") == nil && EDIDateTime.x12Zone("LT") == .unstated && EDIDateTime.x12Zone(nil) == .unstated)
    }

    @Test("six-digit years: the century is placed by a sliding window around the reference year, or by DTM05")
    func centuries() throws {
        let late = try #require(EDIDateTime.x12(date: "971231", time: nil, code: nil))
        #expect(!late.yearHasCentury)
        #expect(late.date(referenceYear: 2026)?.description == "1997-12-31", "971231 is 1997, not 2097")
        #expect(late.date(referenceYear: 2047)?.description == "2097-12-31", "the window slides with the reference year")
        #expect(EDIDateTime.x12(date: "261120", time: nil, code: nil)?.date(referenceYear: 2026)?.description == "2026-11-20")
        #expect(EDIDateTime.x12(date: "761120", time: nil, code: nil)?.date(referenceYear: 2026)?.description == "2076-11-20", "+50 years")
        #expect(EDIDateTime.x12(date: "771120", time: nil, code: nil)?.date(referenceYear: 2026)?.description == "1977-11-20", "+51 is the last century")
        #expect(EDIDateTime.x12(date: "971231", time: nil, code: nil, century: "20")?.date(referenceYear: 2026)?.description == "2097-12-31")
        #expect(SentTime.slidingWindow(twoDigitYear: 0, referenceYear: 2026) == 2000)
        #expect(SentTime.slidingWindow(twoDigitYear: 99, referenceYear: 2070) == 2099)
        #expect(SentTime.slidingWindow(twoDigitYear: 20, referenceYear: 2070) == 2120)
        #expect(SentTime.slidingWindow(twoDigitYear: 21, referenceYear: 2070) == 2021)
        let leap = try #require(EDIDateTime.x12(date: "000229", time: nil, code: nil))
        #expect(leap.date(referenceYear: 2026)?.description == "2000-02-29")
        #expect(leap.date(referenceYear: 2060) == nil, "2100 has no 29 February")
    }

    @Test("EDIFACT formats 101/102/201-205/303/304; a time without a zone stays local")
    func edifact() {
        func text(_ value: String, _ format: String) -> String? { Self.shown(EDIDateTime.edifact(value, format: format)) }
        #expect(text("20261120", "102") == "2026-11-20")
        #expect(text("20261120", "") == "2026-11-20")
        #expect(text("261120", "101") == "2026-11-20")
        #expect(text("202611200915", "203") == "2026-11-20T09:15:00")
        #expect(text("20261120091530", "204") == "2026-11-20T09:15:30")
        #expect(text("2611200915", "201") == "2026-11-20T09:15:00")
        #expect(text("202611200915+0100", "205") == "2026-11-20T09:15:00+01:00")
        #expect(text("202611200915-0330", "205") == "2026-11-20T09:15:00-03:30")
        #expect(text("202611200915UTC", "303") == "2026-11-20T09:15:00Z")
        #expect(text("20261120091530+02", "304") == "2026-11-20T09:15:30+02:00")
        for bad in [("2026112", "102"), ("202611200915", "102"), ("20261120", "203"), ("20261131", "102"), ("202611200915CET", "303"),
                    ("20261120", "718"), ("2026112009AB", "203")]
        {
            #expect(text(bad.0, bad.1) == nil, "\(bad)")
        }
    }

    @Test("an instant sent with its offset is given back unchanged")
    func instants() throws {
        for text in ["2026-11-19T10:02:44-05:00", "2026-11-19T10:02:44.123456789+05:45", "2026-01-01T00:00:00Z", "1999-12-31T23:59:59-12:00"] {
            let instant = try #require(Timestamp(rfc3339: text))
            let sent = SentTime(instant)
            guard case .offset(let minutes) = sent.zone else {
                Issue.record("\(text) lost its offset")
                continue
            }
            #expect(sent.timestamp(referenceYear: 1900, offsetMinutes: minutes) == instant)
            #expect(sent.timestamp(referenceYear: 1900, offsetMinutes: minutes)?.description == instant.description)
        }
    }
}

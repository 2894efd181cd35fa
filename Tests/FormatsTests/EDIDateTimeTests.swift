@testable import Formats
import Model
import Testing

@Suite("EDI dates and times")
struct EDIDateTimeTests {
    @Test("CCYYMMDD or YYMMDD, HHMM[SS[dd]], each digits only; time codes to offsets, US daylight saving by date and hour")
    func dates() {
        func text(_ date: String, _ time: String?, _ code: String? = nil) -> String? {
            EDIDateTime.timestamp(date: date, time: time, code: code)?.description
        }
        #expect(text("20261120", "0915") == "2026-11-20T09:15:00Z")
        #expect(text("261120", "0915") == "2026-11-20T09:15:00Z", "YYMMDD is in the 2000s")
        #expect(text("20261120", nil) == "2026-11-20T00:00:00Z")
        #expect(text("20261120", "") == "2026-11-20T00:00:00Z")
        #expect(text("20261120", "091530") == "2026-11-20T09:15:30Z")
        #expect(text("20261120", "09153045") == "2026-11-20T09:15:30Z", "hundredths ignored")
        #expect(text("20261120", "09153") == "2026-11-20T09:15:00Z")
        for bad in [("20261131", "0915"), ("2026112", "0915"), ("202611200", nil), ("2026-11-20", nil), ("", nil),
                    ("20261120", "915"), ("20261120", "09:15"), ("20261120", "2415"), ("20261320", nil)] as [(String, String?)] {
            #expect(text(bad.0, bad.1) == nil, "\(bad)")
        }
        #expect(text("20261120", "0915", "ET") == "2026-11-20T09:15:00-05:00")
        #expect(text("20260715", "0915", "ET") == "2026-07-15T09:15:00-04:00")
        #expect(text("20260715", "0915", "ES") == "2026-07-15T09:15:00-05:00", "a fixed code keeps its offset")
        #expect(text("20260308", "0130", "CT") == "2026-03-08T01:30:00-06:00", "before 02:00 on the second Sunday of March")
        #expect(text("20260308", "0330", "CT") == "2026-03-08T03:30:00-05:00")
        #expect(text("20261101", "0130", "PT") == "2026-11-01T01:30:00-07:00", "before 02:00 on the first Sunday of November")
        #expect(text("20261101", "0230", "PT") == "2026-11-01T02:30:00-08:00")
        #expect(text("20260715", "0915", "HT") == "2026-07-15T09:15:00-10:00", "Hawaii keeps standard time")
        #expect(text("20261120", "0915", "LT") == "2026-11-20T09:15:00Z", "local time says nothing of the offset")
        #expect(text("20261120", "0915", "XX") == "2026-11-20T09:15:00Z")
        #expect(EDIDateTime.timestamp(date: "20261120", time: "0915", offsetMinutes: 60)?.description == "2026-11-20T09:15:00+01:00")
    }
}

import Model
import Testing

@Suite("Timestamps and dates")
struct TimestampTests {
    @Test(
        "RFC 3339 round-trips with the sender's offset kept",
        arguments: [
            ("2026-11-19T10:02:44-05:00", "2026-11-19T10:02:44-05:00"),
            ("2026-11-19T15:02:44Z", "2026-11-19T15:02:44Z"),
            ("2026-11-19T15:02:44+00:00", "2026-11-19T15:02:44Z"),
            ("2026-11-19t15:02:44.120z", "2026-11-19T15:02:44.12Z"),
            ("2024-02-29T23:59:59.123456789+05:30", "2024-02-29T23:59:59.123456789+05:30"),
            ("1999-12-31T23:30:00-01:00", "1999-12-31T23:30:00-01:00"),
        ])
    func roundTrip(text: String, expected: String) throws {
        let timestamp = try #require(Timestamp(rfc3339: text))
        #expect(timestamp.description == expected)
    }

    @Test("the instant is right whatever the offset")
    func instant() throws {
        let east = try #require(Timestamp(rfc3339: "2026-11-19T10:02:44-05:00"))
        let utc = try #require(Timestamp(rfc3339: "2026-11-19T15:02:44Z"))
        #expect(east.epochSeconds == utc.epochSeconds)
        #expect(utc.epochSeconds == 1_795_100_564)
        #expect(east.localDate.description == "2026-11-19")
        #expect(try #require(Timestamp(rfc3339: "2026-11-19T23:30:00-05:00")).utc.description == "2026-11-20T04:30:00Z")
    }

    @Test(
        "rejects what is not an RFC 3339 date-time with offset",
        arguments: ["2026-11-19T10:02:44", "2026-02-30T10:00:00Z", "2026-11-19 10:02Z", "2026-13-01T00:00:00Z", "2026-11-19T24:00:00Z", "2026-11-19T10:02:44+25:00", "2026-11-19T10:02:44.Z", ""])
    func rejects(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    @Test("calendar dates know leap years")
    func dates() {
        #expect(CalendarDate(iso: "2024-02-29") != nil)
        #expect(CalendarDate(iso: "2023-02-29") == nil)
        #expect(CalendarDate(iso: "2000-02-29") != nil)
        #expect(CalendarDate(iso: "1900-02-29") == nil)
        #expect(CalendarDate(iso: "2027-3-31") == nil)
        #expect(CalendarDate(iso: "2027-03-31")?.description == "2027-03-31")
    }
}

import Foundation
@testable import Hub
import Model
import Normalize
import Testing

/// The dead-letter headers, made from a rejection without a broker.
@Suite("Dead-letter headers")
struct DeadLetterHeaderTests {
    static let rejection = RejectedRecord(
        stage: .validate,
        diagnostics: [
            .error(.locationUnknown, "location 'BIN-99-99' is neither an enterprise id nor an alias of site DC-ATL", at: "/location"),
            .warning(.codeUnmapped, "reason code 'X' has no mapping", at: "/reason"),
        ],
        partner: "GW-DC-ATL", source: .kafka(topic: "scanners.events.raw", partition: 1, offset: 42),
        key: Array("dc-atl-rf".utf8), original: Array(#"{"location":"BIN-99-99"}"#.utf8))!

    @Test("the headers follow the contract and cannot be forged by partner text")
    func contract() throws {
        var record = Self.rejection
        record.message = "bad\r\ncrossdock.error.code: NONE"
        record.partner = "GW\nX"
        let headers = Dictionary(uniqueKeysWithValues: DeadLetter.headers(record).map { ($0.key, $0.value) })
        #expect(headers[DeadLetter.errorCode] == "LOCATION_UNKNOWN")
        #expect(headers[DeadLetter.errorStage] == "validate")
        #expect(headers[DeadLetter.errorMessage] == #"bad\r\ncrossdock.error.code: NONE"#)
        #expect(headers[DeadLetter.sourceTopic] == "scanners.events.raw")
        #expect(headers[DeadLetter.sourcePartition] == "1")
        #expect(headers[DeadLetter.sourceOffset] == "42")
        #expect(headers[DeadLetter.partner] == #"GW\nX"#)
        #expect(headers[DeadLetter.originalLength] == "24")
        #expect(headers[DeadLetter.originalSha256] == SHA256.hex(Array(#"{"location":"BIN-99-99"}"#.utf8)))
        let diagnostics = try JSONParser.parse(Array(try #require(headers[DeadLetter.diagnostics]).utf8))
        #expect(diagnostics.arrayValue?.count == 2)
        #expect(headers.values.allSatisfy { !$0.contains("\n") && !$0.contains("\r") })
    }

    @Test("a scan's line breaks and control characters never reach the headers unescaped")
    func injection() throws {
        // An identifier with a control character is refused as such; a code is looked up as sent,
        // and named in the reason when it is unknown.
        let scan = #"{"gateway": "dc-atl-rf", "scannedAt": "2026-11-21T06:00:00-05:00", "action": "DOCK9\r\ncrossdock.error.code: NONE\u0000\u001b[31m", "barcode": "]C10100614141000029", "location": "DOCK3"}"#
        let record = InputRecord(value: Array(scan.utf8), source: .file("scan.json"), recordedAt: Timestamp(rfc3339: "2026-11-21T12:00:00Z")!)
        let outcomes = Normalizer(snapshot: HubIntegrationTests.network).normalize(record, source: .scan)
        guard case .rejected(let event) = try #require(outcomes.first) else {
            Issue.record("not rejected: \(outcomes)")
            return
        }
        let rejection = event.data
        #expect(rejection.code == .codeUnmapped)
        let headers = DeadLetter.headers(rejection)
        for (key, value) in headers {
            #expect(!value.utf8.contains { $0 < 0x20 || $0 == 0x7F }, "header \(key) carries a raw control character: \(value)")
        }
        #expect(headers.contains { $0.value.contains(#"DOCK9\r\ncrossdock.error.code"#) })
    }
}

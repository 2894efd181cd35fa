import Foundation
import TestSupport
import Testing

@Suite("crossdock demo", .timeLimit(.minutes(3)), .needsBroker)
struct DemoCommandTests {
    @Test("the demo against the test broker accounts for every sample and summarises events and rejections")
    func demo() throws {
        let brokers = try #require(ProcessInfo.processInfo.environment["CROSSDOCK_TEST_BROKERS"], "run with scripts/test")
        let result = try CLIProcess.run([
            "demo", "--brokers", brokers, "--masterdata", CLIProcess.root.appendingPathComponent("examples/network").path,
            "--samples", CLIProcess.root.appendingPathComponent("examples/demo").path,
        ])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("every sample accounted for: yes (18 of 18)"), "\(result.stdout)")
        #expect(result.stdout.contains("consumed 18 messages, produced 31 records (5 rejections)"), "\(result.stdout)")
        // What the events say, read back from the canonical topics into the model.
        #expect(result.stdout.contains("every canonical event reads back into the model: yes (23 of 23)"), "\(result.stdout)")
        #expect(result.stdout.contains("ship notices: 5, with 10 lines and 9 handling units"), "\(result.stdout)")
        #expect(result.stdout.contains("inventory steps: damaged 1, held 1, putaway 3, received 6"), "\(result.stdout)")
        #expect(result.stdout.contains("carrier statuses: arrived 1, delivered 2, in_transit 2, picked_up 2"), "\(result.stdout)")
        // The X12 inputs are acknowledged, the one with a unit Crossdock does not know too: a
        // business rejection is no syntax error.
        #expect(result.stdout.contains("== acknowledgments to partners (3)"), "\(result.stdout)")
        #expect(result.stdout.contains("accepted\tACME-INDUSTRIAL\t997 for asn/acme-856-bad-unit.x12"), "\(result.stdout)")
        #expect(result.stdout.contains("accepted\tODFL\t997 for carrier/odfl-214.x12"), "\(result.stdout)")
        // The reconciliation stage: one exact receipt, one short with a damaged case, one blind
        // receipt a late ship notice claimed; the suppliers' scorecards.
        #expect(result.stdout.contains("== receipt reconciliations (3;"), "\(result.stdout)")
        #expect(result.stdout.contains("exact\tACME-INDUSTRIAL:ASN2611190077\tDC-ATL; units: 1 matched; dock-to-stock 24 min"), "\(result.stdout)")
        #expect(
            result.stdout.contains(
                "discrepant\tBRIGHTLITE:BL-20261123-0107\tDC-ATL; units: 1 damaged, 2 matched, 1 missing; short_shipped, delivered_damaged"),
            "\(result.stdout)")
        #expect(result.stdout.contains("exact\tBRIGHTLITE:BL-20261124-0113\tDC-ATL; units: 1 matched; ASN 85 min after the first scan"), "\(result.stdout)")
        #expect(result.stdout.contains("BRIGHTLITE@DC-ATL 2026-11-24: 2 receipts, ASN on time 0.5, accuracy 0.5"), "\(result.stdout)")
        for line in ["5\tdemo-", "LOCATION_UNKNOWN", "LOCATION_WRONG_TYPE", "PARTNER_UNKNOWN", "UOM_UNKNOWN", "X12_SYNTAX"] {
            #expect(result.stdout.contains(line), "\(line) missing from the summary")
        }
    }
}

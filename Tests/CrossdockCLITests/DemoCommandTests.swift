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
        #expect(result.stdout.contains("every sample accounted for: yes (13 of 13)"), "\(result.stdout)")
        #expect(result.stdout.contains("consumed 13 messages, produced 23 records (5 rejections)"), "\(result.stdout)")
        // What the events say, read back from the canonical topics into the model.
        #expect(result.stdout.contains("every canonical event reads back into the model: yes (15 of 15)"), "\(result.stdout)")
        #expect(result.stdout.contains("ship notices: 3, with 6 lines and 4 handling units"), "\(result.stdout)")
        #expect(result.stdout.contains("inventory steps: held 1, putaway 1, received 3"), "\(result.stdout)")
        #expect(result.stdout.contains("carrier statuses: arrived 1, delivered 2, in_transit 2, picked_up 2"), "\(result.stdout)")
        // The X12 inputs are acknowledged, the one with a unit Crossdock does not know too: a
        // business rejection is no syntax error.
        #expect(result.stdout.contains("== acknowledgments to partners (3)"), "\(result.stdout)")
        #expect(result.stdout.contains("accepted\tACME-INDUSTRIAL\t997 for asn/acme-856-bad-unit.x12"), "\(result.stdout)")
        #expect(result.stdout.contains("accepted\tODFL\t997 for carrier/odfl-214.x12"), "\(result.stdout)")
        for line in ["3\tdemo-", "LOCATION_UNKNOWN", "LOCATION_WRONG_TYPE", "PARTNER_UNKNOWN", "UOM_UNKNOWN", "X12_SYNTAX"] {
            #expect(result.stdout.contains(line), "\(line) missing from the summary")
        }
    }
}

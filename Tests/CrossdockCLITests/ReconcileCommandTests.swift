import Foundation
import Testing

@Suite("crossdock reconcile")
struct ReconcileCommandTests {
    static let network = NormalizeCommandTests.network
    static func demo(_ name: String) -> String { CLIProcess.root.appendingPathComponent("examples/demo/\(name)").path }

    /// Canonical events of the demo's receipts, as `normalize` prints them, each file stamped with
    /// the time sent-at.txt gives it.
    static func events() throws -> URL {
        var lines = ""
        let entries = try String(contentsOfFile: demo("sent-at.txt"), encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }
        for entry in entries {
            let parts = entry.split(separator: " ")
            let result = try CLIProcess.run([
                "normalize", "--masterdata", network, "--source", "auto", "--recorded-at", String(parts[0]), demo(String(parts[1])),
            ])
            lines += result.stdout
        }
        // A later day's scans at another site move the stage's clock on: the open receipts close.
        lines += try CLIProcess.run(["normalize", "--masterdata", network, "--source", "scan", demo("scans/dc-den-offline-batch.json")]).stdout
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("crossdock-events-\(UUID().uuidString).jsonl")
        try Data(lines.utf8).write(to: file)
        return file
    }

    @Test("canonical events in, reconciliations and scorecards out as JSON lines, exit 0; the same bytes every run")
    func reconciles() throws {
        let file = try Self.events()
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try CLIProcess.run(["reconcile", "--masterdata", Self.network, file.path])
        #expect(result.status == 0, "\(result.stderr)")
        let records = try NormalizeCommandTests.records(result.stdout)
        var last: [String: [String: Any]] = [:]
        for record in records where record["type"] as? String == "crossdock.receipt.reconciliation.v1" {
            last[record["subject"] as! String] = record["data"] as? [String: Any]
        }
        #expect(last["ACME-INDUSTRIAL:ASN2611190077"]?["status"] as? String == "exact")
        #expect(last["BRIGHTLITE:BL-20261123-0107"]?["discrepancies"] as? [String] == ["short_shipped", "delivered_damaged"])
        #expect(last["BRIGHTLITE:BL-20261124-0113"]?["asnLate"] as? Bool == true)
        #expect(records.contains { $0["type"] as? String == "crossdock.supplier.scorecard.v1" })
        #expect(result.stderr.contains("rejection records passed over"), "the rejected put-away scan is a rejection line")
        let again = try CLIProcess.run(["reconcile", "--masterdata", Self.network, file.path])
        #expect(again.stdout == result.stdout)
        // From standard input too.
        let piped = try CLIProcess.run(["reconcile", "--masterdata", Self.network, "-"], stdinFile: file)
        #expect(piped.stdout == result.stdout)
    }

    @Test("a line that is not a canonical event is named on stderr and passed over")
    func badLine() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("crossdock-bad-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data("{\"type\": \"nope\"}\nnot json\n".utf8).write(to: file)
        let result = try CLIProcess.run(["reconcile", "--masterdata", Self.network, file.path])
        #expect(result.status == 0 && result.stdout.isEmpty)
        #expect(result.stderr.contains("\(file.path):1: not a canonical event") && result.stderr.contains("\(file.path):2: not a canonical event"))
    }

    @Test("usage errors exit 2", arguments: [
        ["reconcile", "--masterdata", NormalizeCommandTests.network, "/nonexistent/events.jsonl"],
        ["reconcile", "--masterdata", NormalizeCommandTests.network, "--close-after", "tomorrow", "-"],
        ["reconcile", "--masterdata", "/nonexistent", "-"],
        ["reconcile", "-"],
    ])
    func usage(arguments: [String]) throws {
        #expect(try CLIProcess.run(arguments).status == 2)
    }
}

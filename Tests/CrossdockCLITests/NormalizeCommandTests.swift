import Foundation
import Testing

@Suite("crossdock normalize and inspect")
struct NormalizeCommandTests {
    static let network = CLIProcess.root.appendingPathComponent("examples/network").path
    static func sample(_ name: String) -> String { CLIProcess.root.appendingPathComponent("examples/samples/\(name)").path }
    static func fixture(_ name: String) -> String { CLIProcess.root.appendingPathComponent("Tests/NormalizeTests/Fixtures/\(name)").path }

    static func records(_ stdout: String) throws -> [[String: Any]] {
        try stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test("canonical events as JSON lines, exit 0; the same ids on every run")
    func clean() throws {
        let arguments = ["normalize", "--masterdata", Self.network, "--source", "asn", Self.sample("acme-856.x12"), Self.sample("nordwerk-desadv.edi"), Self.sample("brightlite-asn.json")]
        let first = try CLIProcess.run(arguments)
        #expect(first.status == 0, "\(first.stderr)")
        let records = try Self.records(first.stdout)
        #expect(records.map { $0["type"] as? String } == Array(repeating: "crossdock.shipment.notice.v1", count: 3))
        #expect(records.map { $0["partner"] as? String } == ["ACME-INDUSTRIAL", "NORDWERK", "BRIGHTLITE"])
        let second = try Self.records(try CLIProcess.run(arguments).stdout)
        #expect(records.map { $0["id"] as? String } == second.map { $0["id"] as? String })
    }

    @Test("a rejection is a crossdock.rejected.v1 line and exit 1")
    func rejected() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("crossdock-bad-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(#"{"asnNumber": "X", "supplier": "NOBODY", "shipTo": "DC-ATL", "handlingUnits": [{"sscc": "006141410000100019"}]}"#.utf8).write(to: file)
        let result = try CLIProcess.run(["normalize", "--masterdata", Self.network, "--source", "asn", Self.sample("acme-856.x12"), file.path])
        #expect(result.status == 1)
        let records = try Self.records(result.stdout)
        #expect(records.count == 2)
        let data = try #require(records.last?["data"] as? [String: Any])
        #expect(records.last?["type"] as? String == "crossdock.rejected.v1")
        #expect(data["code"] as? String == "PARTNER_UNKNOWN")
        #expect(data["stage"] as? String == "map")
    }

    @Test("usage and master-data errors exit 2")
    func usage() throws {
        #expect(try CLIProcess.run(["normalize", "--masterdata", "/nonexistent", "--source", "asn", Self.sample("acme-856.x12")]).status == 2)
        #expect(try CLIProcess.run(["normalize", "--masterdata", Self.network, "--source", "asn", "/nonexistent.x12"]).status == 2)
    }

    @Test("inspect shows the envelope tree and exits 1 on an error")
    func inspect() throws {
        let good = try CLIProcess.run(["inspect", Self.sample("acme-856.x12")])
        #expect(good.status == 0)
        #expect(good.stdout.contains("X12 interchange 000000077 from ZZ:ACMEIND"))
        #expect(good.stdout.contains("set 856 0001: 22 segments"))
        let edifact = try CLIProcess.run(["inspect", Self.sample("nordwerk-desadv.edi")])
        #expect(edifact.status == 0 && edifact.stdout.contains("message DESADV D96A EAN005"))
        let broken = try CLIProcess.run(["inspect", CLIProcess.root.appendingPathComponent("Tests/Fixtures/corpus/x12/gozer/x12.wrong.ISA.txt").path])
        #expect(broken.status == 1)
        #expect(broken.stdout.contains("error X12_SYNTAX at byte 0"))
    }

    @Test("reading is bounded: /dev/zero is MESSAGE_TOO_LARGE after the limit, its echo bounded too")
    func boundedReading() throws {
        let result = try CLIProcess.run(["normalize", "--masterdata", Self.network, "--source", "scan", "--max-record-bytes", "5000000", "/dev/zero"])
        #expect(result.status == 1, "\(result.stderr)")
        let records = try Self.records(result.stdout)
        try #require(records.count == 1)
        let data = try #require(records[0]["data"] as? [String: Any])
        #expect(data["code"] as? String == "MESSAGE_TOO_LARGE")
        #expect(data["originalTruncated"] as? Bool == true)
        #expect(((data["original"] as? [String: Any])?["value"] as? String)?.utf8.count ?? .max <= 1_500_000)
        #expect(result.stdout.utf8.count < 2_000_000)
        // A file cut at the limit: the original is said to be cut short.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("crossdock-3000-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(repeating: UInt8(ascii: "x"), count: 3000).write(to: file)
        let cut = try CLIProcess.run(["normalize", "--masterdata", Self.network, "--source", "scan", "--max-record-bytes", "1000", file.path])
        let cutData = try #require(try Self.records(cut.stdout).first?["data"] as? [String: Any])
        #expect(cutData["originalTruncated"] as? Bool == true)
        let inspect = try CLIProcess.run(["inspect", "--max-record-bytes", "1000", "/dev/zero"])
        #expect(inspect.status == 1)
        #expect(inspect.stdout.contains("MESSAGE_TOO_LARGE"))
    }

    @Test("a directory is a usage error; a missing file after a good one still prints the good file's events")
    func unreadableInputs() throws {
        let result = try CLIProcess.run([
            "normalize", "--masterdata", Self.network, "--source", "asn", Self.sample("acme-856.x12"), "/nonexistent/file.x12",
            CLIProcess.root.appendingPathComponent("examples").path,
        ])
        #expect(result.status == 2)
        #expect(try Self.records(result.stdout).map { $0["type"] as? String } == ["crossdock.shipment.notice.v1"])
        #expect(result.stderr.contains("/nonexistent/file.x12: no such file"))
        #expect(result.stderr.contains("is a directory"))
        let inspect = try CLIProcess.run(["inspect", CLIProcess.root.appendingPathComponent("examples").path])
        #expect(inspect.status == 2)
        #expect(inspect.stderr.contains("is a directory"))
        for arguments in [["--max-record-bytes", "-1"], ["--partner", ""]] {
            let bad = try CLIProcess.run(["normalize", "--masterdata", Self.network, "--source", "asn"] + arguments + [Self.sample("acme-856.x12")])
            #expect(bad.status == 2, "\(arguments)")
            #expect(bad.stderr.contains(arguments[0]), "\(arguments): \(bad.stderr)")
        }
    }

    @Test("partner bytes reach the terminal with their control characters escaped")
    func escapedOutput() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("crossdock-esc-\(UUID().uuidString).x12")
        defer { try? FileManager.default.removeItem(at: file) }
        let sample = try String(contentsOfFile: Self.sample("acme-856.x12"), encoding: .utf8)
        try Data(sample.replacingOccurrences(of: "ACMEIND       ", with: "AC\u{1B}]0;x\u{07}E  ").utf8).write(to: file)
        let result = try CLIProcess.run(["inspect", "--segments", file.path])
        #expect(!result.stdout.contains("\u{1B}") && !result.stdout.contains("\u{07}"))
        #expect(result.stdout.contains(#"AC\u001b]0;x\u0007E"#))
    }

    @Test("--source auto recognises each file; a file of another kind than --source says is SOURCE_MISMATCH; normalise works too")
    func sources() throws {
        let files = ["acme-856.x12", "dc-atl-receive.json", "odfl-214.x12"].map(Self.sample)
        let auto = try CLIProcess.run(["normalise", "--masterdata", Self.network, "--source", "auto"] + files)
        #expect(auto.status == 0, "\(auto.stderr)")
        let types = try Self.records(auto.stdout).compactMap { $0["type"] as? String }
        #expect(Array(types.prefix(2)) == ["crossdock.shipment.notice.v1", "crossdock.inventory.event.v1"])
        #expect(types.count > 2 && types.dropFirst(2).allSatisfy { $0 == "crossdock.carrier.status.v1" }, "\(types)")
        let wrong = try CLIProcess.run(["normalize", "--masterdata", Self.network, "--source", "scan", files[0]])
        #expect(wrong.status == 1)
        let data = try #require(try Self.records(wrong.stdout).first?["data"] as? [String: Any])
        #expect(data["code"] as? String == "SOURCE_MISMATCH")
        #expect((data["message"] as? String)?.contains("ship notice") == true)
    }

    @Test("a mistyped command or option gets a did-you-mean and exit 2")
    func didYouMean() throws {
        let command = try CLIProcess.run(["normalze"])
        #expect(command.status == 2)
        #expect(command.stderr.contains("did you mean 'normalize'?"))
        let option = try CLIProcess.run(["normalize", "--masterdata", Self.network, "--sorce", "asn", Self.sample("acme-856.x12")])
        #expect(option.status == 2)
        #expect(option.stderr.contains("did you mean '--source'?"))
    }

    @Test("Kafka commands fail fast, naming the address, when no broker answers; --offset needs --partition")
    func noBroker() throws {
        let started = Date()
        let consume = try CLIProcess.run(["consume", "--brokers", "127.0.0.1:1", "--topic", "x"])
        #expect(consume.status == 1)
        #expect(consume.stderr.contains("no broker answered at 127.0.0.1:1"))
        #expect(consume.stderr.split(separator: "\n").count <= 3, "\(consume.stderr)")
        #expect(Date().timeIntervalSince(started) < 30)
        let offset = try CLIProcess.run(["consume", "--topic", "x", "--offset", "5"])
        #expect(offset.status == 2)
        #expect(offset.stderr.contains("--offset needs --partition"))
    }
}

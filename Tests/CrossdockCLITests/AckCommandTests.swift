import Foundation
import Testing

@Suite("crossdock ack")
struct AckCommandTests {
    static let network = NormalizeCommandTests.network
    static func sample(_ name: String) -> String { NormalizeCommandTests.sample(name) }

    @Test("the reference 856 and 214 get a 997 each, exit 0; the same bytes on every run")
    func acknowledged() throws {
        let arguments = [
            "ack", "--masterdata", Self.network, "--recorded-at", "2026-11-20T15:20:00Z", Self.sample("acme-856.x12"),
            Self.sample("odfl-214.x12"),
        ]
        let first = try CLIProcess.run(arguments)
        #expect(first.status == 0, "\(first.stderr)")
        let lines = first.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("ISA*00*          *00*          *ZZ*CROSSDOCK      *ZZ*ACMEIND        *261120*1520*"))
        #expect(lines[0].contains("~AK1*SH*77~AK2*856*0001~AK5*A~AK9*A*1*1*1~"))
        #expect(lines[1].contains("*ZZ*ODFL           *") && lines[1].contains("~AK1*QM*"))
        #expect(try CLIProcess.run(arguments).stdout == first.stdout)
    }

    @Test("an input that gets none says why and exits 1; the others are still printed")
    func unacknowledged() throws {
        let result = try CLIProcess.run([
            "ack", "--masterdata", Self.network, Self.sample("dc-atl-receive.json"), Self.sample("acme-856.x12"),
        ])
        #expect(result.status == 1)
        #expect(result.stderr.contains("dc-atl-receive.json: no acknowledgment: the input is not EDI"))
        #expect(result.stdout.contains("AK1*SH*77"))
        let wrongPartner = try CLIProcess.run(["ack", "--masterdata", Self.network, "--partner", "ODFL", Self.sample("acme-856.x12")])
        #expect(wrongPartner.status == 1)
        #expect(wrongPartner.stderr.contains("is from partner ACME-INDUSTRIAL, not ODFL"))
        #expect(wrongPartner.stdout.isEmpty)
    }

    @Test("a DESADV asking for one (UNB 0031) gets a CONTRL; one that does not ask gets none, said why")
    func contrl() throws {
        let asking = FileManager.default.temporaryDirectory.appendingPathComponent("crossdock-ask-\(UUID().uuidString).edi")
        defer { try? FileManager.default.removeItem(at: asking) }
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: Self.sample("nordwerk-desadv.edi"))), as: UTF8.self)
        try Data(text.replacingOccurrences(of: "+NW000481'", with: "+NW000481++++1'").utf8).write(to: asking)
        let result = try CLIProcess.run(["ack", "--masterdata", Self.network, "--recorded-at", "2026-11-20T15:20:00Z", asking.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("UNH+1+CONTRL:D:3:UN'UCI+NW000481+4012345000009:14+0614141000012:14+7'"))
        let unasked = try CLIProcess.run(["ack", "--masterdata", Self.network, Self.sample("nordwerk-desadv.edi")])
        #expect(unasked.status == 1)
        #expect(unasked.stderr.contains("asks for no acknowledgment (UNB 0031)"), "\(unasked.stderr)")
    }

    @Test("our ids from the hub's configuration; what ack writes, inspect reads without an error")
    func configuredAndInspected() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crossdock-ack-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("hub.yaml")
        try Data("acknowledgments: {x12: {qualifier: '01', id: '123456789', group: DCHUB}, edifact: {id: '4000000000009', qualifier: '14'}}\n".utf8)
            .write(to: config)
        let asking = directory.appendingPathComponent("ask.edi")
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: Self.sample("nordwerk-desadv.edi"))), as: UTF8.self)
        try Data(text.replacingOccurrences(of: "+NW000481'", with: "+NW000481++++1'").utf8).write(to: asking)
        for (input, expected) in [
            (Self.sample("acme-856.x12"), "ISA*00*          *00*          *01*123456789      *ZZ*ACMEIND        *"),
            (asking.path, "UNB+UNOC:3+4000000000009:14+4012345000009:14+"),
        ] {
            let result = try CLIProcess.run(["ack", "--masterdata", Self.network, "--config", config.path, input])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains(expected), "\(result.stdout)")
            let written = directory.appendingPathComponent("ack-\(UUID().uuidString)")
            try Data(result.stdout.utf8).write(to: written)
            let inspected = try CLIProcess.run(["inspect", written.path])
            #expect(inspected.status == 0, "\(inspected.stdout)\(inspected.stderr)")
        }
    }

    @Test("usage and master-data errors exit 2")
    func usage() throws {
        #expect(try CLIProcess.run(["ack", "--masterdata", "/nonexistent", Self.sample("acme-856.x12")]).status == 2)
        #expect(try CLIProcess.run(["ack", "--masterdata", Self.network, "--recorded-at", "yesterday", Self.sample("acme-856.x12")]).status == 2)
        #expect(try CLIProcess.run(["ack", "--masterdata", Self.network, "/nonexistent.x12"]).status == 2)
    }
}

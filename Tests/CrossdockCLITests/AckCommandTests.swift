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

    @Test("usage and master-data errors exit 2")
    func usage() throws {
        #expect(try CLIProcess.run(["ack", "--masterdata", "/nonexistent", Self.sample("acme-856.x12")]).status == 2)
        #expect(try CLIProcess.run(["ack", "--masterdata", Self.network, "--recorded-at", "yesterday", Self.sample("acme-856.x12")]).status == 2)
        #expect(try CLIProcess.run(["ack", "--masterdata", Self.network, "/nonexistent.x12"]).status == 2)
    }
}

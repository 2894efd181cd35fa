import CrossdockCLI
import Foundation
import Hub
import Kafka
import Model
import Testing

@Suite("Command line")
struct CLITests {
    @Test("--version names crossdock and the librdkafka actually loaded")
    func version() {
        #expect(
            CrossdockVersion.description
                == "crossdock \(CrossdockVersion.crossdock) (librdkafka \(Librdkafka.versionString))")
    }

    @Test("run with a topic name Kafka refuses exits 2 at start, naming the setting")
    func badTopicName() throws {
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("crossdock-bad-topic-\(UUID().uuidString).yaml")
        try "topics:\n  rejected: 'crossdock rejected'\n".write(to: config, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: config) }
        let result = try CLIProcess.run([
            "run", "--config", config.path, "--masterdata", CLIProcess.root.appendingPathComponent("examples/network").path,
            "--brokers", "127.0.0.1:1",
        ])
        #expect(result.status == 2)
        #expect(result.stderr.contains("topics.rejected: 'crossdock rejected' is not a valid Kafka topic name"), "\(result.stderr)")
    }

    @Test("the executable copied alone into an empty directory normalises a scan (the GS1 dictionary is compiled in)")
    func standalone() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crossdock-alone-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let binary = folder.appendingPathComponent("crossdock")
        try FileManager.default.copyItem(at: try CLIProcess.executable(), to: binary)
        try FileManager.default.copyItem(at: CLIProcess.root.appendingPathComponent("examples/network"), to: folder.appendingPathComponent("network"))
        try FileManager.default.copyItem(
            at: CLIProcess.root.appendingPathComponent("examples/samples/dc-atl-receive.json"), to: folder.appendingPathComponent("scan.json"))
        let process = Process()
        process.executableURL = binary
        process.currentDirectoryURL = folder
        process.arguments = ["normalize", "--masterdata", "network", "--source", "scan", "scan.json"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(String(decoding: data, as: UTF8.self).contains("crossdock.inventory.event.v1"))
    }

    @Test("every diagnostic code is in one table, and the docs and schemas list what it lists (scripts/generate-code-docs)")
    func codeDocumentation() throws {
        let table = try CLIProcess.run(["codes", "--format", "markdown"])
        #expect(table.status == 0)
        let doc = try String(contentsOf: CLIProcess.root.appendingPathComponent("docs/canonical-model.md"), encoding: .utf8)
        let section = try #require(doc.components(separatedBy: "<!-- diagnostic-codes:begin -->\n").last?.components(separatedBy: "\n<!-- diagnostic-codes:end -->").first)
        #expect(section == table.stdout.trimmingCharacters(in: .newlines), "run scripts/generate-code-docs")
        let common = try String(contentsOf: CLIProcess.root.appendingPathComponent("Schemas/common.json"), encoding: .utf8)
        let asyncapi = try String(contentsOf: CLIProcess.root.appendingPathComponent("Schemas/asyncapi.yaml"), encoding: .utf8)
        let header = try #require(asyncapi.split(separator: "\n").first { $0.contains("The stable reason code of the first error") })
        for entry in DiagnosticCode.catalog where entry.kind != .masterData {
            #expect(common.contains(entry.code.rawValue), "common.json lacks \(entry.code)")
            if entry.kind == .rejection { #expect(header.contains(entry.code.rawValue), "asyncapi.yaml lacks \(entry.code)") }
        }
        // The codes in the source are the table's: no constant outside it.
        let source = try String(contentsOf: CLIProcess.root.appendingPathComponent("Sources/Model/Values/DiagnosticCodes.swift"), encoding: .utf8)
        let declared = source.split(separator: "\n").filter { $0.contains("public static let") && $0.contains(": Self = ") }.count
        #expect(declared == DiagnosticCode.catalog.count)
        #expect(Set(DiagnosticCode.catalog.map(\.code)).count == DiagnosticCode.catalog.count)
    }
}

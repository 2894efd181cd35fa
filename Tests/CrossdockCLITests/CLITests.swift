import CrossdockCLI
import Foundation
import Hub
import Kafka
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
}

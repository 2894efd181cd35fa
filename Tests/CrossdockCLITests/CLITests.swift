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
}

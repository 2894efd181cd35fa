import Foundation
import Hub
import Testing
import TestSupport

/// Secrets and partner ownership in the hub's configuration.
@Suite("Security settings")
struct SecurityTests {
    @Test("topics.partners names the one partner a raw topic belongs to")
    func topicOwners() throws {
        var settings = HubConfiguration()
        try settings.apply(
            yaml: """
                topics:
                  raw: {suppliers.acme.raw: asn}
                  partners: {suppliers.acme.raw: ACME-INDUSTRIAL}
                """, file: "hub.yaml")
        #expect(settings.topicPartners == ["suppliers.acme.raw": "ACME-INDUSTRIAL"])
        #expect(throws: HubConfiguration.ConfigurationError.self) {
            var broken = HubConfiguration()
            try broken.apply(yaml: "topics:\n  partners: ACME\n", file: "hub.yaml")
        }
    }

    @Test("a librdkafka secret can come from a file named by CROSSDOCK_LIBRDKAFKA_<PROPERTY>_FILE")
    func secretFromFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("secret-\(UUID().uuidString)")
        try "from-a-file\n".write(to: file, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        var settings = HubConfiguration()
        try settings.apply(environment: [
            "CROSSDOCK_LIBRDKAFKA_SASL_PASSWORD_FILE": file.path, "CROSSDOCK_LIBRDKAFKA_SASL_USERNAME": "hub",
        ])
        #expect(settings.librdkafka["sasl.password"] == "from-a-file")
        #expect(settings.librdkafka["sasl.username"] == "hub")
        #expect(throws: HubConfiguration.ConfigurationError.self) {
            var missing = HubConfiguration()
            try missing.apply(environment: ["CROSSDOCK_LIBRDKAFKA_SASL_PASSWORD_FILE": "/nonexistent/secret"])
        }
    }

    @Test("the configured SASL password never appears in the hub's logs, even at debug level", .needsBroker)
    func passwordNotLogged() async throws {
        let (_, _, file) = try HubProcessTests.scanStream("secret")
        defer { try? FileManager.default.removeItem(at: file) }
        let password = "pw-\(UUID().uuidString)"
        let secret = FileManager.default.temporaryDirectory.appendingPathComponent("secret-\(UUID().uuidString)")
        try password.write(to: secret, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: secret) }

        // The local broker speaks no SASL: the client keeps failing to authenticate and says so.
        let output = Pipe()
        let process = Process()
        process.executableURL = try HubProcessTests.executable()
        process.arguments = ["run", "--config", file.path, "--log-level", "debug", "-X", "debug=security,broker,conf"]
        var environment = ProcessInfo.processInfo.environment
        environment["CROSSDOCK_LIBRDKAFKA_SECURITY_PROTOCOL"] = "SASL_PLAINTEXT"
        environment["CROSSDOCK_LIBRDKAFKA_SASL_MECHANISM"] = "PLAIN"
        environment["CROSSDOCK_LIBRDKAFKA_SASL_USERNAME"] = "crossdock"
        environment["CROSSDOCK_LIBRDKAFKA_SASL_PASSWORD_FILE"] = secret.path
        process.environment = environment
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let reader = Task { output.fileHandleForReading.readDataToEndOfFile() }
        try await Task.sleep(for: .seconds(6))
        process.terminate()
        await HubProcessTests.wait(process, timeout: .seconds(40))
        let logs = String(decoding: await reader.value, as: UTF8.self)
        #expect(logs.contains("SASL") || logs.contains("sasl"), "the client's SASL activity was not logged: \(logs.prefix(2000))")
        #expect(!logs.contains(password), "the password appears in the logs")
        #expect(process.terminationReason == .exit || process.terminationStatus == SIGTERM, "the hub crashed")
    }
}

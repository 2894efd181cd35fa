import ArgumentParser
import CrossdockCLI
import Foundation
import Hub
import Kafka
import Testing
import Yams

/// docker-compose.yml cannot run here (no Docker engine), so its agreement with the code is checked
/// statically: it parses, has the services users expect, and names the topics and flags the code uses.
@Suite("docker-compose.yml")
struct DockerComposeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func compose() throws -> [String: Any] {
        let text = try String(contentsOf: root.appendingPathComponent("docker-compose.yml"), encoding: .utf8)
        return try #require(try Yams.load(yaml: text) as? [String: Any])
    }

    static func service(_ name: String) throws -> [String: Any] {
        let services = try #require(try compose()["services"] as? [String: Any])
        return try #require(services[name] as? [String: Any], "service \(name) missing")
    }

    @Test("Kafka runs in KRaft mode from the official image and advertises the address the others use")
    func kafka() throws {
        let kafka = try Self.service("kafka")
        #expect((kafka["image"] as? String)?.hasPrefix("apache/kafka:") == true)
        let environment = try #require(kafka["environment"] as? [String: Any])
        #expect(environment["KAFKA_PROCESS_ROLES"] as? String == "broker,controller")
        let advertised = try #require(environment["KAFKA_ADVERTISED_LISTENERS"] as? String)
        #expect(advertised.contains("PLAINTEXT://kafka:19092"))
        #expect(environment["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] as? String == "false")
    }

    @Test("the topics service creates exactly Crossdock's topics, master data compacted")
    func topics() throws {
        let service = try Self.service("topics")
        let script = try #require((service["command"] as? [String])?.first)
        #expect(script.contains("--bootstrap-server kafka:19092"))
        let loops = script.components(separatedBy: "for topic in").dropFirst()
        try #require(loops.count == 2)
        let pattern = try NSRegularExpression(pattern: #"\b(?:[a-z-]+\.)+(?:raw|v1)\b"#)
        func names(_ text: String) -> [String] {
            let body = String(text.prefix { $0 != ";" })
            return pattern.matches(in: body, range: NSRange(body.startIndex..., in: body)).map {
                String(body[Range($0.range, in: body)!])
            }
        }
        let topics = Topics()
        let streams = Array(loops)[0]
        let compacted = Array(loops)[1]
        #expect(Set(names(streams)) == Set(topics.raw + topics.canonical + [topics.rejected]))
        #expect(Set(names(compacted)) == Set(topics.masterData))
        #expect(compacted.contains("cleanup.policy=compact"))
        #expect(!streams.contains("cleanup.policy=compact"))
    }

    @Test("the hub is built from the Dockerfile and connects to the compose broker")
    func hub() throws {
        let hub = try Self.service("hub")
        #expect(hub["build"] as? String == ".")
        #expect(FileManager.default.fileExists(atPath: Self.root.appendingPathComponent("Dockerfile").path))
        let command = try #require(hub["command"] as? [String])
        #expect(command.first == "run")
        let brokers = try #require(command.firstIndex(of: "--brokers").map { command[$0 + 1] })
        #expect(brokers == "kafka:19092")
        // Every flag of the hub's command is one `crossdock run` parses.
        #expect(throws: Never.self) { try Crossdock.parseAsRoot(command) }
    }

    static func dockerfileArgument(_ name: String) throws -> String {
        let text = try String(contentsOf: root.appendingPathComponent("Dockerfile"), encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("ARG \(name)=") }, "ARG \(name) missing")
        return String(line.dropFirst("ARG \(name)=".count))
    }

    @Test("the image builds the librdkafka and the Swift toolchain the tests run with, and ships tzdata")
    func imageVersions() throws {
        #expect(try Self.dockerfileArgument("LIBRDKAFKA_VERSION") == Librdkafka.versionString)
        #if compiler(>=6.3) && !compiler(>=6.4)
        #expect(try Self.dockerfileArgument("SWIFT_VERSION").hasPrefix("6.3"))
        #endif
        let text = try String(contentsOf: Self.root.appendingPathComponent("Dockerfile"), encoding: .utf8)
        #expect(text.contains("scripts/patches"))
        #expect(text.contains("tzdata"))
        #expect(text.contains("--force-resolved-versions"))
    }

    @Test("the image pins the dependency versions this checkout resolved (scripts/pin-docker-dependencies)")
    func pinnedDependencies() throws {
        func pins(_ path: String) throws -> [String: String] {
            let data = try Data(contentsOf: Self.root.appendingPathComponent(path))
            let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let list = try #require(json["pins"] as? [[String: Any]])
            return Dictionary(uniqueKeysWithValues: list.compactMap { pin in
                guard let identity = pin["identity"] as? String, let state = pin["state"] as? [String: Any] else { return nil }
                return (identity, (state["version"] as? String) ?? (state["revision"] as? String) ?? "?")
            })
        }
        let pinned = try pins("docker/dependency-pins.json")
        #expect(pinned.count > 10)
        // A fresh clone resolves before it builds the tests, so Package.resolved is there.
        let resolved = try pins("Package.resolved")
        #expect(pinned == resolved, "run scripts/pin-docker-dependencies")
    }
}

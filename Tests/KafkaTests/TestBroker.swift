import Foundation
import Kafka
import Logging
import Testing

/// The real broker the integration tests talk to. `scripts/test` starts one and sets
/// `CROSSDOCK_TEST_BROKERS`; without it these tests fail rather than pass silently.
enum TestBroker {
    /// Connection settings for producers and admin clients.
    static func configuration() throws -> KafkaConfiguration {
        let address = try #require(
            ProcessInfo.processInfo.environment["CROSSDOCK_TEST_BROKERS"],
            "CROSSDOCK_TEST_BROKERS is not set: run the tests with scripts/test, which starts the broker")
        return KafkaConfiguration(
            bootstrapServers: [address], properties: ["socket.connection.setup.timeout.ms": "5000"])
    }

    /// Connection settings for consumers: a quick first join and failover on the test broker (it
    /// holds a join for about half the session timeout).
    static func consumerConfiguration() throws -> KafkaConfiguration {
        var configuration = try configuration()
        configuration.properties["session.timeout.ms"] = "6000"
        configuration.properties["heartbeat.interval.ms"] = "1000"
        return configuration
    }

    static var logger: Logger {
        var logger = Logger(label: "crossdock.tests")
        logger.logLevel = .warning
        return logger
    }

    /// A topic name no other test uses.
    static func uniqueTopic(_ name: String = #function) -> String {
        let cleaned = name.filter { $0.isLetter || $0.isNumber }
        return "test.\(cleaned).\(UUID().uuidString.prefix(8))"
    }

    /// Creates a topic with `partitions` partitions.
    static func createTopic(_ name: String, partitions: Int) async throws {
        let admin = try KafkaAdmin(configuration: configuration(), logger: logger)
        _ = try await admin.createTopics([KafkaTopicSpec(name: name, partitions: partitions)])
        await admin.close()
    }

    /// Polls until `count` records arrived or `timeout` passed; returns what arrived.
    static func poll(
        _ consumer: KafkaConsumer, count: Int, timeout: Duration = .seconds(30)
    ) async throws -> [KafkaConsumerRecord] {
        var records: [KafkaConsumerRecord] = []
        let deadline = ContinuousClock.now + timeout
        while records.count < count, ContinuousClock.now < deadline {
            records += try await consumer.poll(maxRecords: count - records.count, timeout: .milliseconds(200))
        }
        return records
    }

    /// Polls (serving rebalances) until `condition` holds or `timeout` passed.
    static func pollUntil(
        _ consumers: [KafkaConsumer], timeout: Duration = .seconds(40), _ condition: () throws -> Bool
    ) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            for consumer in consumers { _ = try await consumer.poll(maxRecords: 100, timeout: .milliseconds(100)) }
            if try condition() { return true }
        }
        return false
    }
}

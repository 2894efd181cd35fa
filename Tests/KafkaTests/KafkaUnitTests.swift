import Foundation
import Kafka
import Synchronization
import Testing

/// Client behaviour that needs no broker, or only librdkafka's in-process mock cluster.
@Suite("Kafka client without a broker")
struct KafkaUnitTests {
    @Test("a commit refused while the group changes is told apart from a failure")
    func groupChanges() {
        for code in ["ILLEGAL_GENERATION", "UNKNOWN_MEMBER_ID", "REBALANCE_IN_PROGRESS", "FENCED_INSTANCE_ID"] {
            #expect(KafkaError(code: .offsets, message: "commit", brokerCode: code).isGroupChange, "\(code)")
        }
        #expect(!KafkaError(code: .offsets, message: "commit", brokerCode: "GROUP_AUTHORIZATION_FAILED").isGroupChange)
        #expect(!KafkaError(code: .offsets, message: "commit").isGroupChange)
    }

    @Test("a key's partition is its hash as the named partitioner computes it")
    func partitionOfKey() {
        // CRC-32 (IEEE) of "123456789" is 0xCBF43926; murmur2 of "21" and "foobar" as Kafka's
        // Java client computes them (-973932308, -790332482), taken positive.
        #expect(KafkaPartitioner.consistent.partition(of: Array("123456789".utf8), count: 1000) == Int32(0xCBF4_3926 % 1000))
        #expect(KafkaPartitioner.murmur2.partition(of: Array("21".utf8), count: 1000) == Int32((-973_932_308 & 0x7FFF_FFFF) % 1000))
        #expect(KafkaPartitioner.murmur2.partition(of: Array("foobar".utf8), count: 1000) == Int32((-790_332_482 & 0x7FFF_FFFF) % 1000))
        #expect(KafkaPartitioner.consistent.partition(of: [], count: 8) == 0)
        for partitioner in [KafkaPartitioner.consistent, .murmur2, .fnv1a] {
            let placed = (0..<200).map { partitioner.partition(of: Array("sscc:00614141\($0)".utf8), count: 8) }
            #expect(placed.allSatisfy { (0..<8).contains($0) })
            #expect(Set(placed).count == 8, "\(partitioner) spreads keys")
        }
        #expect(KafkaPartitioner(property: nil) == .consistent)
        #expect(KafkaPartitioner(property: "consistent_random") == .consistent)
        #expect(KafkaPartitioner(property: "murmur2_random") == .murmur2)
        #expect(KafkaPartitioner(property: "fnv1a") == .fnv1a)
        #expect(KafkaPartitioner(property: "random") == nil)
    }

    @Test("the loaded librdkafka is new enough, and its version is reported")
    func libraryVersion() {
        #expect(Librdkafka.isSupported, "librdkafka \(Librdkafka.versionString) is older than 2.3")
        let version = Librdkafka.version
        #expect(Librdkafka.versionString.hasPrefix("\(version.major).\(version.minor).\(version.patch)"))
        #expect(Librdkafka.versionString.hasPrefix("2."))
    }

    @Test("timeouts reach librdkafka in whole milliseconds: sub-second ones kept, none negative or overflowing")
    func timeoutMilliseconds() {
        #expect(Duration.milliseconds(250).librdkafkaMilliseconds == 250)
        #expect(Duration.seconds(1.5).librdkafkaMilliseconds == 1500)
        #expect(Duration.seconds(30).librdkafkaMilliseconds == 30_000)
        #expect(Duration.microseconds(999).librdkafkaMilliseconds == 0)
        #expect(Duration.zero.librdkafkaMilliseconds == 0)
        // librdkafka reads -1 as "wait forever": a negative duration waits not at all.
        #expect(Duration.milliseconds(-500).librdkafkaMilliseconds == 0)
        #expect(Duration.seconds(-3).librdkafkaMilliseconds == 0)
        #expect(Duration.seconds(Int64.max).librdkafkaMilliseconds == Int32.max)
        #expect(Duration.seconds(Int64.min).librdkafkaMilliseconds == 0)
        #expect(Duration.seconds(3_000_000).librdkafkaMilliseconds == Int32.max)
    }

    @Test("user properties override the producer defaults, and bootstrap servers are joined")
    func configurationMerging() {
        let configuration = KafkaConfiguration(
            bootstrapServers: ["a:9092", "b:9092"], properties: ["acks": "1", "security.protocol": "SASL_SSL"])
        let resolved = Dictionary(
            uniqueKeysWithValues: configuration.resolved(defaults: KafkaConfiguration.producerDefaults))
        #expect(resolved["bootstrap.servers"] == "a:9092,b:9092")
        #expect(resolved["acks"] == "1")
        #expect(resolved["enable.idempotence"] == "true")
        #expect(resolved["security.protocol"] == "SASL_SSL")
    }

    @Test("an unknown property is rejected with a stable code naming it")
    func invalidProperty() throws {
        let configuration = KafkaConfiguration(bootstrapServers: ["127.0.0.1:1"], properties: ["no.such.property": "x"])
        let error = #expect(throws: KafkaError.self) {
            _ = try KafkaProducer(configuration: configuration, logger: TestBroker.logger)
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains("no.such.property") == true)
    }

    @Test("a rejected secret property does not echo its value")
    func secretNotEchoed() throws {
        let configuration = KafkaConfiguration(
            bootstrapServers: ["127.0.0.1:1"], properties: ["sasl.passwd.typo": "s3cr3t-value"])
        let error = #expect(throws: KafkaError.self) {
            _ = try KafkaProducer(configuration: configuration, logger: TestBroker.logger)
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains("sasl.passwd.typo") == true)
        #expect(error?.message.contains("s3cr3t") == false)
        #expect(KafkaConfiguration.isSecret("sasl.password"))
        #expect(KafkaConfiguration.isSecret("ssl.key.password"))
        #expect(!KafkaConfiguration.isSecret("bootstrap.servers"))
    }

    @Test("when flush returns, every delivery was handed over, even those a slow hand-over on the poll thread holds")
    func flushWaitsForHandOvers() async throws {
        let configuration = KafkaConfiguration(
            bootstrapServers: [], properties: ["test.mock.num.brokers": "1", "linger.ms": "0"])
        let seen = Mutex<(tokens: Set<UInt>, batches: Int)>(([], 0))
        let producer = try KafkaProducer(
            configuration: configuration, logger: TestBroker.logger,
            onDelivered: { batch in
                // A consumer of deliveries that takes its time: the poll thread is inside it with
                // a batch while the flush finds nothing left to collect.
                Thread.sleep(forTimeInterval: 0.2)
                seen.withLock { seen in
                    for delivery in batch where delivery.error == nil { seen.tokens.insert(delivery.token) }
                    seen.batches += 1
                }
            })
        let topic = try producer.topic("mock-flush")
        let value = Array("value".utf8)
        for round in 0..<4 {
            let tokens = (0..<20).map { UInt(round * 100 + $0) }
            try value.withUnsafeBytes { bytes in
                for token in tokens {
                    try producer.send(to: topic, key: nil, value: bytes, headers: KafkaHeaderList(capacity: 0), token: token)
                }
            }
            // Time for the poll thread to take the reports (the flush then finds them taken).
            try await Task.sleep(for: .milliseconds(30))
            try await producer.flush(timeout: .seconds(10))
            let handed = seen.withLock { $0.tokens }
            #expect(handed.isSuperset(of: tokens), "round \(round): \(Set(tokens).subtracting(handed).count) deliveries not handed over when flush returned")
        }
        await producer.shutdown()
        #expect(seen.withLock { $0.tokens.count } == 80)
    }

    @Test("delivery reports arrive through librdkafka's mock cluster")
    func mockClusterDelivery() async throws {
        let configuration = KafkaConfiguration(bootstrapServers: [], properties: ["test.mock.num.brokers": "1"])
        let producer = try KafkaProducer(configuration: configuration, logger: TestBroker.logger)
        var offsets: [Int64] = []
        for index in 0..<3 {
            let report = try await producer.send(
                KafkaOutgoingRecord(topic: "mock-topic", partition: 0, key: nil, value: [UInt8(index)]))
            offsets.append(report.offset)
        }
        await producer.shutdown()
        #expect(offsets == [0, 1, 2])
    }

    @Test("a shut-down producer refuses new records with the closed code")
    func closedProducer() async throws {
        let configuration = KafkaConfiguration(bootstrapServers: [], properties: ["test.mock.num.brokers": "1"])
        let producer = try KafkaProducer(configuration: configuration, logger: TestBroker.logger)
        await producer.shutdown()
        let error = #expect(throws: KafkaError.self) {
            try producer.send(KafkaOutgoingRecord(topic: "t", key: nil, value: [1])) { _ in }
        }
        #expect(error?.code == .closed)
    }
}

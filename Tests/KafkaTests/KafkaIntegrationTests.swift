import Foundation
import Kafka
import Synchronization
import TestSupport
import Testing

/// Behaviour against a real Kafka-protocol broker over loopback (started by scripts/test).
@Suite("Kafka against a real broker", .timeLimit(.minutes(3)), .needsBroker)
struct KafkaIntegrationTests {
    @Test("produce and consume keyed records with headers, byte for byte")
    func roundTrip() async throws {
        let topic = TestBroker.uniqueTopic()
        try await TestBroker.createTopic(topic, partitions: 1)
        let producer = try KafkaProducer(configuration: TestBroker.configuration(), logger: TestBroker.logger)
        let binary: [UInt8] = [0, 1, 2, 0xFF, 0xFE, 0x1D]
        let sent = [
            KafkaOutgoingRecord(
                topic: topic, key: Array("SSCC-000614141000000012".utf8), value: Array(#"{"scan":1}"#.utf8),
                headers: [
                    KafkaHeader(key: "crossdock-partner", string: "DC-ATL-GW"),
                    KafkaHeader(key: "content-type", string: "application/json"),
                ]),
            KafkaOutgoingRecord(
                topic: topic, key: nil, value: binary,
                headers: [
                    KafkaHeader(key: "dup", string: "a"), KafkaHeader(key: "dup", string: "b"),
                    KafkaHeader(key: "null", value: nil),
                ]),
            KafkaOutgoingRecord(topic: topic, key: Array("k".utf8), value: []),
        ]
        var reports: [KafkaDeliveryReport] = []
        for record in sent { reports.append(try await producer.send(record)) }
        await producer.shutdown()
        #expect(reports.map(\.offset) == [0, 1, 2])
        #expect(Set(reports.map(\.topic)) == [topic])

        let consumer = try KafkaConsumer(
            configuration: TestBroker.consumerConfiguration(), groupID: "g-\(topic)", logger: TestBroker.logger)
        try consumer.subscribe(topics: [topic])
        let received = try await TestBroker.poll(consumer, count: 3)
        await consumer.close()

        try #require(received.count == 3)
        for (record, original) in zip(received, sent) {
            #expect(record.key == original.key)
            #expect(record.value == original.value)
            #expect(record.headers == original.headers)
            #expect(record.topic == topic)
            #expect(record.timestampMilliseconds != nil)
        }
        #expect(received[0].header("crossdock-partner")?.stringValue == "DC-ATL-GW")
        #expect(received.map(\.offset) == [0, 1, 2])
    }

    @Test("a keyed record goes to the partition KafkaPartitioner computes, for each partitioner")
    func placementByKey() async throws {
        for (property, partitioner) in [(nil, KafkaPartitioner.consistent), ("murmur2_random", .murmur2), ("fnv1a_random", .fnv1a)] {
            let topic = TestBroker.uniqueTopic()
            try await TestBroker.createTopic(topic, partitions: 8)
            var configuration = try TestBroker.configuration()
            configuration.properties["partitioner"] = property
            let producer = try KafkaProducer(configuration: configuration, logger: TestBroker.logger)
            var placed: [Int32] = []
            for n in 0..<40 {
                let key = Array("ref:PRO-\(n * 7919)".utf8)
                let report = try await producer.send(KafkaOutgoingRecord(topic: topic, key: key, value: [0x31]))
                #expect(report.partition == partitioner.partition(of: key, count: 8), "\(property ?? "default") key \(n)")
                placed.append(report.partition)
            }
            await producer.shutdown()
            #expect(Set(placed).count > 4)
        }
    }

    @Test("records sent from borrowed bytes with a token: each delivery brings its token back, beside closure deliveries")
    func tokenDeliveries() async throws {
        let topic = TestBroker.uniqueTopic()
        try await TestBroker.createTopic(topic, partitions: 1)
        let delivered = Mutex<[UInt: Int]>([:])
        let failed = Mutex<[UInt]>([])
        let producer = try KafkaProducer(
            configuration: TestBroker.configuration(), logger: TestBroker.logger,
            onDelivered: { batch in
                for delivery in batch {
                    if delivery.error == nil {
                        delivered.withLock { $0[delivery.token, default: 0] += 1 }
                    } else {
                        failed.withLock { $0.append(delivery.token) }
                    }
                }
            })
        let handle = try producer.topic(topic)
        #expect(try producer.topic(topic).name == handle.name)
        // Tokens up to the largest allowed, a record without key, one whose bytes are a slice.
        let tokens: [UInt] = [0, 7, 1 << 40, UInt.max >> 1]
        let buffer = Array("key-a|value-a|key-b|value-b|h1|v1|h2|v2".utf8)
        func bytes(_ range: Range<Int>) -> [UInt8] { Array(buffer[range]) }
        try buffer.withUnsafeBytes { all in
            for (index, token) in tokens.enumerated() {
                var headers = KafkaHeaderList(capacity: 2)
                headers.add(name: UnsafeRawBufferPointer(rebasing: all[28..<30]), value: UnsafeRawBufferPointer(rebasing: all[31..<33]))
                headers.add(name: UnsafeRawBufferPointer(rebasing: all[34..<36]), value: index == 1 ? nil : UnsafeRawBufferPointer(rebasing: all[37..<39]))
                try producer.send(
                    to: handle, key: index == 2 ? nil : UnsafeRawBufferPointer(rebasing: all[0..<5]),
                    value: UnsafeRawBufferPointer(rebasing: all[6..<13]), headers: headers, token: token)
            }
        }
        // A closure delivery on the same producer is not taken for a token.
        let report = try await producer.send(KafkaOutgoingRecord(topic: topic, key: nil, value: Array("closure".utf8)))
        #expect(report.offset == 4)
        await producer.shutdown()
        #expect(delivered.withLock { $0 } == Dictionary(uniqueKeysWithValues: tokens.map { ($0, 1) }))
        #expect(failed.withLock { $0 }.isEmpty)

        let consumer = try KafkaConsumer(
            configuration: TestBroker.consumerConfiguration(), groupID: "g-\(topic)", logger: TestBroker.logger)
        try consumer.subscribe(topics: [topic])
        let received = try await TestBroker.poll(consumer, count: 5)
        await consumer.close()
        try #require(received.count == 5)
        for (index, record) in received.prefix(4).enumerated() {
            #expect(record.key == (index == 2 ? nil : bytes(0..<5)))
            #expect(record.value == bytes(6..<13))
            #expect(record.headers == [KafkaHeader(key: "h1", value: bytes(31..<33)), KafkaHeader(key: "h2", value: index == 1 ? nil : bytes(37..<39))])
        }
        #expect(received[4].value == Array("closure".utf8))
    }

    @Test("records to more topics than a producer keeps handles for are all delivered; after shutdown every send is refused")
    func manyTopicsThenShutdown() async throws {
        let count = 70  // above KafkaProducer.keptTopics (64)
        let prefix = TestBroker.uniqueTopic()
        let topics = (0..<count).map { "\(prefix)-\($0)" }
        for topic in topics { try await TestBroker.createTopic(topic, partitions: 1) }
        let producer = try KafkaProducer(configuration: TestBroker.configuration(), logger: TestBroker.logger, onDelivered: { _ in })
        // Twice each: the second record of a topic past the kept ones gets a handle of its own again.
        for round in 0..<2 {
            for topic in topics {
                let report = try await producer.send(KafkaOutgoingRecord(topic: topic, key: nil, value: Array("\(round)".utf8)))
                #expect(report.topic == topic && report.offset == Int64(round))
            }
        }
        let kept = try producer.topic(topics[0])
        await producer.shutdown()
        // After shutdown the accessors answer without the client.
        #expect(producer.inFlightCount == 0)
        #expect(producer.fatalError == nil)
        producer.pollDeliveries()
        #expect(await producer.probe() == false)
        #expect {
            try producer.topic(topics[1])
        } throws: { ($0 as? KafkaError)?.code == .closed }
        #expect {
            try producer.send(KafkaOutgoingRecord(topic: topics[1], key: nil, value: [1])) { _ in }
        } throws: { ($0 as? KafkaError)?.code == .closed }
        #expect {
            try [UInt8(1)].withUnsafeBytes { value in
                try producer.send(to: kept, key: nil, value: value, headers: KafkaHeaderList(capacity: 0), token: 1)
            }
        } throws: { ($0 as? KafkaError)?.code == .closed }
    }

    @Test("sends racing shutdown: every send taken is delivered or failed once, then each is refused as closed")
    func sendsRacingShutdown() async throws {
        let topic = TestBroker.uniqueTopic()
        try await TestBroker.createTopic(topic, partitions: 1)
        let outcomes = Mutex((delivered: 0, failed: 0, taken: 0, closedThreads: 0, unexpected: [String]()))
        // A small local queue: the senders wait on it instead of loading the shared broker.
        var configuration = try TestBroker.configuration()
        configuration.properties["queue.buffering.max.messages"] = "1000"
        let producer = try KafkaProducer(
            configuration: configuration, logger: TestBroker.logger,
            onDelivered: { batch in
                outcomes.withLock { outcomes in
                    for delivery in batch {
                        if delivery.error == nil { outcomes.delivered += 1 } else { outcomes.failed += 1 }
                    }
                }
            })
        let handle = try producer.topic(topic)
        let threads = 2
        let started = DispatchSemaphore(value: 0)
        let finished = DispatchGroup()
        // Each thread sends until the producer refuses it as closed; a full queue waits and retries.
        for thread in 0..<threads {
            finished.enter()
            Thread {
                started.signal()
                var value = Array("racing".utf8)
                var token = UInt(thread) << 32
                sending: while true {
                    value[0] = UInt8(truncatingIfNeeded: token)
                    do {
                        try value.withUnsafeBytes { bytes in
                            try producer.send(to: handle, key: nil, value: bytes, headers: KafkaHeaderList(capacity: 0), token: token)
                        }
                        outcomes.withLock { $0.taken += 1 }
                        token += 1
                    } catch let error as KafkaError {
                        switch error.code {
                        case .queueFull: Thread.sleep(forTimeInterval: 0.001)
                        case .closed:
                            outcomes.withLock { $0.closedThreads += 1 }
                            break sending
                        default:
                            outcomes.withLock { $0.unexpected.append("\(error)") }
                            break sending
                        }
                    } catch {
                        outcomes.withLock { $0.unexpected.append("\(error)") }
                        break sending
                    }
                }
                finished.leave()
            }.start()
        }
        for _ in 0..<threads { started.wait() }
        try await Task.sleep(for: .milliseconds(50))
        // Two shutdowns at once: the second returns without touching the client.
        async let second: Void = producer.shutdown(timeout: .milliseconds(200))
        await producer.shutdown(timeout: .milliseconds(200))
        await second
        await withCheckedContinuation { continuation in
            finished.notify(queue: .global()) { continuation.resume() }
        }
        let result = outcomes.withLock { $0 }
        #expect(result.unexpected.isEmpty)
        #expect(result.closedThreads == threads)
        #expect(result.taken > 0)
        #expect(result.delivered + result.failed == result.taken)
    }

    @Test("a new consumer of the group resumes after the last committed record")
    func commitAndResume() async throws {
        let topic = TestBroker.uniqueTopic()
        try await TestBroker.createTopic(topic, partitions: 1)
        let producer = try KafkaProducer(configuration: TestBroker.configuration(), logger: TestBroker.logger)
        for index in 0..<10 {
            try await producer.send(KafkaOutgoingRecord(topic: topic, key: nil, value: Array("r\(index)".utf8)))
        }
        await producer.shutdown()
        let group = "g-\(topic)"

        let first = try KafkaConsumer(
            configuration: TestBroker.consumerConfiguration(), groupID: group, logger: TestBroker.logger)
        try first.subscribe(topics: [topic])
        let batch = try await TestBroker.poll(first, count: 10)
        try #require(batch.count == 10)
        // Only the first four were "processed": only they are stored and committed.
        for record in batch.prefix(4) { try first.storeOffset(for: record) }
        try await first.commit()
        let committed = try await first.committed([KafkaTopicPartition(topic: topic, partition: 0)])
        #expect(committed[KafkaTopicPartition(topic: topic, partition: 0)] == 4)
        await first.close()

        let second = try KafkaConsumer(
            configuration: TestBroker.consumerConfiguration(), groupID: group, logger: TestBroker.logger)
        try second.subscribe(topics: [topic])
        let resumed = try await TestBroker.poll(second, count: 6)
        await second.close()
        #expect(resumed.map(\.offset) == Array(4..<10))
        #expect(resumed.first.map { String(decoding: $0.value, as: UTF8.self) } == "r4")
    }

    @Test("two consumers of a group split the partitions; one takes over when the other leaves")
    func groupSplitAndTakeover() async throws {
        let topic = TestBroker.uniqueTopic()
        try await TestBroker.createTopic(topic, partitions: 4)
        let group = "g-\(topic)"
        let eventsA = Mutex<[KafkaRebalanceEvent]>([])
        let a = try KafkaConsumer(
            configuration: TestBroker.consumerConfiguration(), groupID: group, logger: TestBroker.logger,
            onRebalance: { event in eventsA.withLock { $0.append(event) } })
        let b = try KafkaConsumer(
            configuration: TestBroker.consumerConfiguration(), groupID: group, logger: TestBroker.logger)
        try a.subscribe(topics: [topic])
        try b.subscribe(topics: [topic])
        let all = (0..<4).map { KafkaTopicPartition(topic: topic, partition: Int32($0)) }

        let split = try await TestBroker.pollUntil([a, b]) {
            let (ownA, ownB) = (try a.assignment(), try b.assignment())
            return !ownA.isEmpty && !ownB.isEmpty && Set(ownA).isDisjoint(with: ownB) && (ownA + ownB).sorted() == all
        }
        let (ownA, ownB) = (try a.assignment(), try b.assignment())
        #expect(split, "A has \(ownA), B has \(ownB)")

        await b.close()
        let takenOver = try await TestBroker.pollUntil([a]) { try a.assignment() == all }
        let afterLeave = try a.assignment()
        #expect(takenOver, "A has \(afterLeave) after B left")

        // A now reads what is produced to every partition.
        let producer = try KafkaProducer(configuration: TestBroker.configuration(), logger: TestBroker.logger)
        for partition in 0..<4 {
            try await producer.send(
                KafkaOutgoingRecord(
                    topic: topic, partition: Int32(partition), key: nil, value: Array("p\(partition)".utf8)))
        }
        await producer.shutdown()
        let records = try await TestBroker.poll(a, count: 4)
        #expect(Set(records.map(\.partition)) == [0, 1, 2, 3])
        await a.close()
        let events = eventsA.withLock { $0 }
        #expect(events.contains { if case .assigned = $0 { true } else { false } })
    }

    @Test("the idempotent producer reports a delivery for every record, in order per partition")
    func deliveryReports() async throws {
        let topic = TestBroker.uniqueTopic()
        try await TestBroker.createTopic(topic, partitions: 2)
        let producer = try KafkaProducer(configuration: TestBroker.configuration(), logger: TestBroker.logger)
        let results = Mutex<[Int: Result<KafkaDeliveryReport, KafkaError>]>([:])
        let count = 200
        for index in 0..<count {
            let record = KafkaOutgoingRecord(
                topic: topic, key: Array("key-\(index % 7)".utf8), value: Array("value-\(index)".utf8))
            try producer.send(record) { result in results.withLock { $0[index] = result } }
        }
        try await producer.flush(timeout: .seconds(30))
        let collected = results.withLock { $0 }
        #expect(collected.count == count)
        var lastOffset: [Int32: Int64] = [:]
        for index in 0..<count {
            let report = try #require(try collected[index]?.get())
            // Records of one key land on one partition, and offsets grow in send order.
            if let previous = lastOffset[report.partition] { #expect(report.offset > previous) }
            lastOffset[report.partition] = report.offset
        }
        #expect(producer.inFlightCount == 0)
        #expect(producer.fatalError == nil)

        // A record for a partition that does not exist fails with a stable code.
        let failure: Result<KafkaDeliveryReport, KafkaError>
        do {
            failure = .success(
                try await producer.send(KafkaOutgoingRecord(topic: topic, partition: 9, key: nil, value: [1])))
        } catch {
            failure = .failure(error)
        }
        await producer.shutdown()
        guard case .failure(let error) = failure else {
            Issue.record("sending to partition 9 of a 2-partition topic succeeded")
            return
        }
        #expect(error.code == .unknownTopicOrPartition)
    }

    @Test("admin creates topics idempotently, with configs, and lists them")
    func adminTopics() async throws {
        let admin = try KafkaAdmin(configuration: TestBroker.configuration(), logger: TestBroker.logger)
        let name = TestBroker.uniqueTopic()
        let compacted = name + ".compacted"
        let specs = [
            KafkaTopicSpec(name: name, partitions: 3),
            KafkaTopicSpec(name: compacted, partitions: 1, configs: ["cleanup.policy": "compact"]),
        ]
        let first = try await admin.createTopics(specs)
        #expect(first == [name: .created, compacted: .created])
        let second = try await admin.createTopics(specs)
        #expect(second == [name: .alreadyExisted, compacted: .alreadyExisted])
        let topics = try await admin.listTopics()
        #expect(topics.first { $0.name == name }?.partitionCount == 3)
        #expect(topics.first { $0.name == compacted }?.partitionCount == 1)
        await admin.close()
    }

    @Test("a paused partition delivers nothing until it is resumed")
    func pauseAndResume() async throws {
        let topic = TestBroker.uniqueTopic()
        try await TestBroker.createTopic(topic, partitions: 1)
        let consumer = try KafkaConsumer(
            configuration: TestBroker.consumerConfiguration(), groupID: "g-\(topic)", logger: TestBroker.logger)
        try consumer.subscribe(topics: [topic])
        let partition = KafkaTopicPartition(topic: topic, partition: 0)
        #expect(try await TestBroker.pollUntil([consumer]) { try consumer.assignment() == [partition] })
        try consumer.pause([partition])

        let producer = try KafkaProducer(configuration: TestBroker.configuration(), logger: TestBroker.logger)
        for index in 0..<5 {
            try await producer.send(KafkaOutgoingRecord(topic: topic, key: nil, value: [UInt8(index)]))
        }
        await producer.shutdown()

        let whilePaused = try await TestBroker.poll(consumer, count: 5, timeout: .seconds(2))
        #expect(whilePaused.isEmpty)
        try consumer.resume([partition])
        let afterResume = try await TestBroker.poll(consumer, count: 5)
        #expect(afterResume.map(\.value) == (0..<5).map { [UInt8($0)] })
        await consumer.close()
    }
}

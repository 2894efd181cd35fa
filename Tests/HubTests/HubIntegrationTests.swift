import Foundation
import Hub
import Kafka
import Logging
import MasterData
import Model
import Normalize
import Synchronization
import TestSupport
import Testing

/// The hub against the real broker: every input ends as canonical events or one rejection,
/// counted exactly, and the records equal what `crossdock normalize` makes of the same inputs.
@Suite("Hub against a real broker", .timeLimit(.minutes(3)), .needsBroker)
struct HubIntegrationTests {
    static var brokers: String? { ProcessInfo.processInfo.environment["CROSSDOCK_TEST_BROKERS"] }
    static let network = try! MasterDataLoader.load(directory: TestSupport.path("examples/network").path)

    /// A hub configuration whose every topic is private to one test.
    static func configuration(_ prefix: String) throws -> HubConfiguration {
        var configuration = HubConfiguration()
        configuration.brokers = [try #require(brokers, "CROSSDOCK_TEST_BROKERS is not set: run scripts/test")]
        configuration.group = "\(prefix).hub"
        configuration.rawTopics = ["\(prefix).asn": .asn, "\(prefix).scans": .scan, "\(prefix).carrier": .carrier, "\(prefix).mixed": nil]
        configuration.topics.shipmentNotices = "\(prefix).notices"
        configuration.topics.inventoryEvents = "\(prefix).inventory"
        configuration.topics.carrierStatus = "\(prefix).status"
        configuration.topics.rejected = "\(prefix).rejected"
        configuration.topics.acknowledgments = "\(prefix).acks"
        configuration.topics.acknowledgmentsReceived = "\(prefix).acks-in"
        configuration.commitInterval = .milliseconds(200)
        return configuration
    }

    static var logger: Logger {
        var logger = Logger(label: "crossdock.tests.hub")
        logger.logLevel = .warning
        return logger
    }

    /// The inputs: the reference samples, an offline batch with good and bad scans, and garbage.
    static func inputs(_ prefix: String) throws -> [(topic: String, name: String, bytes: [UInt8])] {
        func sample(_ name: String) throws -> [UInt8] { try TestSupport.bytes("examples/samples/\(name)") }
        let batch = """
            {"scans": [
              {"gateway": "dc-atl-rf", "scannedAt": "2026-11-21T06:55:00-05:00", "action": "RCV", "location": "DOCK1", "barcode": "]C10100614141000029"},
              {"gateway": "dc-atl-rf", "scannedAt": "2026-11-21T06:56:00-05:00", "action": "PUT", "location": "DOCK1", "barcode": "]C10100614141000029"},
              {"gateway": "dc-atl-rf", "scannedAt": "2026-11-21T06:57:00-05:00", "action": "CNT", "location": "DC-ATL/STO/A01/01/A", "barcode": "]C10100614141000036"}
            ]}
            """
        return [
            ("\(prefix).asn", "acme-856.x12", try sample("acme-856.x12")),
            ("\(prefix).asn", "nordwerk-desadv.edi", try sample("nordwerk-desadv.edi")),
            ("\(prefix).asn", "brightlite-asn.json", try sample("brightlite-asn.json")),
            ("\(prefix).scans", "dc-atl-receive.json", try sample("dc-atl-receive.json")),
            ("\(prefix).scans", "dc-atl-putaway-unknown-bin.json", try sample("dc-atl-putaway-unknown-bin.json")),
            ("\(prefix).scans", "batch", Array(batch.utf8)),
            ("\(prefix).carrier", "odfl-214.x12", try sample("odfl-214.x12")),
            ("\(prefix).mixed", "dhl-iftsta.edi", try sample("dhl-iftsta.edi")),
            ("\(prefix).mixed", "garbage", Array("this is not EDI".utf8)),
            ("\(prefix).asn", "truncated", Array(try sample("acme-856.x12").prefix(300))),
        ]
    }

    /// Reads every record of the output topics until `count` arrived or nothing came for a while.
    static func readOutputs(
        _ configuration: HubConfiguration, count: Int, idle: Duration = .seconds(8), topics: [String]? = nil
    ) async throws -> [KafkaConsumerRecord] {
        var kafka = configuration.kafka
        kafka.properties["session.timeout.ms"] = "6000"
        kafka.properties["heartbeat.interval.ms"] = "1000"
        let consumer = try KafkaConsumer(configuration: kafka, groupID: "\(configuration.group).reader.\(UUID().uuidString.prefix(6))", logger: logger)
        try consumer.subscribe(
            topics: topics ?? [
                configuration.topics.shipmentNotices, configuration.topics.inventoryEvents, configuration.topics.carrierStatus,
                configuration.topics.rejected,
            ])
        var records: [KafkaConsumerRecord] = []
        var lastArrival = ContinuousClock.now
        // `idle` counts from the last record; the first may take longer (joining the group and the
        // first fetch took more than 4 s on a loaded machine), up to 30 s.
        while ContinuousClock.now - lastArrival < (records.isEmpty ? max(idle, .seconds(30)) : idle) {
            let batch = try await consumer.poll(maxRecords: 500, timeout: .milliseconds(200))
            if !batch.isEmpty { lastArrival = .now }
            records += batch
            if records.count > count, ContinuousClock.now - lastArrival > .seconds(2) { break }
        }
        await consumer.close()
        return records
    }

    static func createTopics(_ configuration: HubConfiguration) async throws {
        let admin = try KafkaAdmin(configuration: configuration.kafka, logger: logger)
        let names = Array(configuration.rawTopics.keys) + [
            configuration.topics.shipmentNotices, configuration.topics.inventoryEvents, configuration.topics.carrierStatus,
            configuration.topics.rejected, configuration.topics.acknowledgments, configuration.topics.acknowledgmentsReceived,
        ]
        _ = try await admin.createTopics(names.map { KafkaTopicSpec(name: $0, partitions: 2) })
        await admin.close()
    }

    @Test("every input ends as canonical events or one rejection, equal to normalize's, and a restart adds nothing")
    func mixedSampleSet() async throws {
        let prefix = "hub-\(UUID().uuidString.prefix(8))"
        let configuration = try Self.configuration(prefix)
        try await Self.createTopics(configuration)
        let inputs = try Self.inputs(prefix)
        let hub = HubService(configuration: configuration, masterData: Self.network, logger: Self.logger)
        let running = Task { try await hub.run() }
        // Every input carries one timestamp: the hub's recordedtime, and normalize's below.
        let producer = try KafkaProducer(configuration: configuration.kafka, logger: Self.logger)
        let received = Timestamp.current()
        let receivedMilliseconds = received.epochSeconds * 1000 + Int64(received.nanoseconds / 1_000_000)
        for input in inputs {
            try await producer.send(
                KafkaOutgoingRecord(topic: input.topic, key: Array(input.name.utf8), value: input.bytes, timestampMilliseconds: receivedMilliseconds))
        }
        await producer.shutdown()

        // What normalize makes of the same inputs.
        let normalizer = Normalizer(snapshot: Self.network)
        var expected: [String: [UInt8]] = [:]
        var expectedRejections = 0
        for input in inputs {
            let kind = configuration.rawTopics[input.topic].flatMap { $0 } ?? Source.detect(input.bytes) ?? .asn
            let recordedAt = Timestamp(epochSeconds: receivedMilliseconds / 1000, nanoseconds: Int32(receivedMilliseconds % 1000) * 1_000_000)
            for outcome in normalizer.normalize(InputRecord(value: input.bytes, key: Array(input.name.utf8), source: .file(input.name), recordedAt: recordedAt), source: kind) {
                switch outcome {
                case .event(let event): expected[event.id] = Self.comparable(outcome.jsonBytes())
                case .rejected: expectedRejections += 1
                }
            }
        }

        let outputs = try await Self.readOutputs(configuration, count: expected.count + expectedRejections)
        hub.stop()
        try await running.value

        let rejected = outputs.filter { $0.topic == configuration.topics.rejected }
        let events = outputs.filter { $0.topic != configuration.topics.rejected }
        #expect(events.count == expected.count, "\(events.count) events, expected \(expected.count)")
        #expect(rejected.count == expectedRejections)
        for record in events {
            let id = try #require(record.header("ce_id")?.stringValue)
            #expect(expected[id] == Self.comparable(record.value), "event \(id) differs from normalize's")
            #expect(record.header("content-type")?.stringValue == "application/cloudevents+json")
            let event = try JSONParser.parse(record.value)
            #expect(record.key.map { String(decoding: $0, as: UTF8.self) } == event.objectValue?["subject"]?.stringValue)
        }
        // Rejections keep the original key and bytes, with the reason in headers.
        for record in rejected {
            let name = String(decoding: try #require(record.key), as: UTF8.self)
            let input = try #require(inputs.first { $0.name == name })
            #expect(record.value == input.bytes)
            #expect(record.header("crossdock.error.code")?.stringValue?.isEmpty == false)
            #expect(record.header("crossdock.source.topic")?.stringValue == input.topic)
        }
        #expect(Set(rejected.compactMap { $0.key.map { String(decoding: $0, as: UTF8.self) } }) == ["dc-atl-putaway-unknown-bin.json", "batch", "garbage", "truncated"])
        #expect(hub.counts.consumed == inputs.count)

        // A restart of the group after the graceful stop re-processes nothing.
        let again = HubService(configuration: configuration, masterData: Self.network, logger: Self.logger)
        let second = Task { try await again.run() }
        try await Task.sleep(for: .seconds(6))
        again.stop()
        try await second.value
        #expect(again.counts.consumed == 0, "a restart after a graceful stop re-read \(again.counts.consumed) records")
    }

    /// The record without the two attributes that differ between runs by design.
    static func comparable(_ bytes: [UInt8]) -> [UInt8] {
        guard case .object(var object) = try? JSONParser.parse(bytes) else { return bytes }
        object.members.removeAll { $0.key == "recordedtime" || $0.key == "sourceref" }
        var writer = JSONWriter()
        writer.value(.object(object))
        return writer.bytes
    }
}

extension HubIntegrationTests {
    @Test("a master-data update through the topic changes a later outcome, and the replayed rejection then succeeds")
    func liveMasterDataAndReplay() async throws {
        let prefix = "hubmd-\(UUID().uuidString.prefix(8))"
        var configuration = try Self.configuration(prefix)
        configuration.topics.masterDataLocations = "\(prefix).md.locations"
        configuration.topics.masterDataItems = "\(prefix).md.items"
        try await Self.createTopics(configuration)
        let admin = try KafkaAdmin(configuration: configuration.kafka, logger: Self.logger)
        _ = try await admin.createTopics(configuration.topics.masterData.map {
            KafkaTopicSpec(name: $0, partitions: 1, configs: ["cleanup.policy": "compact"])
        })
        await admin.close()

        let hub = HubService(configuration: configuration, masterData: Self.network, logger: Self.logger)
        let running = Task { try await hub.run() }
        let scan = #"{"gateway": "dc-atl-rf", "scannedAt": "2026-11-21T06:55:00-05:00", "action": "RCV", "location": "DC-ATL/RCV/D09", "barcode": "]C10100614141000029"}"#
        let producer = try KafkaProducer(configuration: configuration.kafka, logger: Self.logger)
        try await producer.send(KafkaOutgoingRecord(topic: "\(prefix).scans", key: Array("scan-d09".utf8), value: Array(scan.utf8)))

        // Rejected: DC-ATL has no dock D09 yet.
        let first = try await Self.readOutputs(configuration, count: 1, idle: .seconds(6))
        #expect(first.map { $0.header("crossdock.error.code")?.stringValue } == ["LOCATION_UNKNOWN"])

        // The dock is added through the compacted topic; the running hub picks it up.
        let dock = LocationRecord(id: "DC-ATL/RCV/D09", type: .dock, parent: "DC-ATL/RCV")
        try await producer.send(
            KafkaOutgoingRecord(topic: configuration.topics.masterDataLocations, key: Array(dock.id.utf8), value: dock.jsonBytes()))
        await producer.shutdown()
        let deadline = ContinuousClock.now + .seconds(30)
        while hub.masterData.snapshot().snapshot.location(id: dock.id) == nil, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(hub.masterData.snapshot().snapshot.location(id: dock.id)?.role == .receiving)

        // Replay the rejection: this time it becomes an inventory event.
        let replay = try await Replayer.replay(
            Replayer.Filter(code: "LOCATION_UNKNOWN"), topics: configuration.topics, configuration: configuration.kafka, logger: Self.logger)
        #expect(replay.replayed == 1)
        let after = try await Self.readOutputs(configuration, count: 2, idle: .seconds(6))
        hub.stop()
        try await running.value
        let events = after.filter { $0.topic == configuration.topics.inventoryEvents }
        #expect(events.count == 1)
        let event = try #require(events.first.map { try JSONParser.parse($0.value) })
        #expect(event.objectValue?["data"]?.objectValue?["location"]?.objectValue?["id"] == .string("DC-ATL/RCV/D09"))
    }
}

/// Reads the canonical and rejected records a test's hubs produce, by event id, and counts
/// re-deliveries and whether they differ from the first delivery.
final class EventReader {
    private let consumer: KafkaConsumer
    private(set) var byID: [String: [UInt8]] = [:]
    private(set) var duplicates = 0
    private(set) var differing = 0
    var count: Int { byID.count }

    init(_ configuration: HubConfiguration, group: String, topics: [String]) throws {
        var kafka = configuration.kafka
        kafka.properties["session.timeout.ms"] = "6000"
        kafka.properties["heartbeat.interval.ms"] = "1000"
        consumer = try KafkaConsumer(configuration: kafka, groupID: group, logger: HubIntegrationTests.logger)
        try consumer.subscribe(topics: topics)
    }

    /// Reads until `condition` holds or `timeout` has passed.
    func read(until condition: (EventReader) -> Bool = { _ in false }, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition(self), ContinuousClock.now < deadline {
            for record in try await consumer.poll(maxRecords: 500, timeout: .milliseconds(100)) {
                let id = record.outputID ?? "?"
                if let earlier = byID[id] {
                    duplicates += 1
                    if earlier != record.value { differing += 1 }
                } else {
                    byID[id] = record.value
                }
            }
        }
    }

    func close() async { await consumer.close() }
}

/// The hub as users run it: `crossdock run` processes, killed and restarted.
@Suite("Hub processes", .timeLimit(.minutes(4)), .needsBroker)
struct HubProcessTests {
    static func executable() throws -> URL { try TestSupport.crossdockExecutable() }

    /// Waits for a process to end (killing it after `timeout`), without spinning a core the way
    /// Foundation's waitUntilExit does.
    static func wait(_ process: Process, timeout: Duration = .seconds(60)) async {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning {
            Issue.record("crossdock run did not stop within \(timeout)")
            kill(process.processIdentifier, SIGKILL)
            while process.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
        }
    }

    /// Starts `crossdock run` with a configuration file whose topics are private to the test;
    /// its standard error goes to `errors` when given.
    static func startHub(_ configFile: URL, errors: Pipe? = nil) throws -> Process {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = ["run", "--config", configFile.path, "--log-level", "error"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors ?? FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Sends the scans `range` to `<prefix>.scans` and waits for their acknowledgement: keyed
    /// (13 keys) by default, or round-robin over `partitions` without a key.
    static func send(scans range: Range<Int>, prefix: String, producer: KafkaProducer, partitions: Int32? = nil) async throws {
        for index in range {
            let record =
                if let partitions {
                    KafkaOutgoingRecord(topic: "\(prefix).scans", partition: Int32(index) % partitions, key: nil, value: scan(index))
                } else {
                    KafkaOutgoingRecord(topic: "\(prefix).scans", key: Array("k\(index % 13)".utf8), value: scan(index))
                }
            try producer.send(record) { _ in }
        }
        try await producer.flush()
    }

    /// A test's private stream of scans: the hub configuration with the raw topic
    /// `<prefix>.scans`, and the file `crossdock run` reads it from (the caller removes it).
    static func scanStream(_ name: String) throws -> (prefix: String, configuration: HubConfiguration, file: URL) {
        let brokers = try #require(HubIntegrationTests.brokers, "CROSSDOCK_TEST_BROKERS is not set: run scripts/test")
        let prefix = "\(name)-\(UUID().uuidString.prefix(8))"
        var configuration = try HubIntegrationTests.configuration(prefix)
        configuration.rawTopics = ["\(prefix).scans": .scan]
        return (prefix, configuration, try configFile(prefix, brokers: brokers))
    }

    static func configFile(_ prefix: String, brokers: String, raw: String? = nil) throws -> URL {
        let yaml = """
            brokers: \(brokers)
            group: \(prefix).hub
            http: 127.0.0.1:0
            masterdata: \(TestSupport.path("examples/network").path)
            topics:
              raw: {\(raw ?? "\(prefix).scans: scan")}
              acknowledgments: \(prefix).acks
              acknowledgmentsReceived: \(prefix).acks-in
              shipmentNotices: \(prefix).notices
              inventoryEvents: \(prefix).inventory
              carrierStatus: \(prefix).status
              rejected: \(prefix).rejected
              masterDataLocations: \(prefix).md.locations
              masterDataItems: \(prefix).md.items
            """
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix).yaml")
        try yaml.write(to: file, atomically: false, encoding: .utf8)
        return file
    }

    /// A valid scan, different for every `index`.
    static func scan(_ index: Int) -> [UInt8] {
        let minute = index / 60 % 60
        let second = index % 60
        let hour = 6 + index / 3600 % 18
        let time = String(format: "2026-11-21T%02d:%02d:%02d-05:00", hour, minute, second)
        return Array(#"{"gateway": "dc-atl-rf", "device": "rf-\#(index % 7)-\#(index)", "scannedAt": "\#(time)", "action": "RCV", "location": "DOCK\#(index % 4 + 1)", "barcode": "]C10100614141000029"}"#.utf8)
    }

    @Test("kill -9 in the middle of a stream, then a restart: nothing lost, duplicates only byte-identical")
    func killAndRestart() async throws {
        let (prefix, configuration, file) = try Self.scanStream("hubkill")
        defer { try? FileManager.default.removeItem(at: file) }
        try await HubIntegrationTests.createTopics(configuration)
        let total = 3000
        let producer = try KafkaProducer(configuration: configuration.kafka, logger: HubIntegrationTests.logger)
        try await Self.send(scans: 0..<total, prefix: prefix, producer: producer)
        await producer.shutdown()

        let reader = try EventReader(
            configuration, group: "\(prefix).reader", topics: [configuration.topics.inventoryEvents, configuration.topics.rejected])
        let first = try Self.startHub(file)
        try await reader.read(until: { $0.count >= 400 }, timeout: .seconds(90))
        kill(first.processIdentifier, SIGKILL)
        await Self.wait(first)
        let seenAtKill = reader.count
        #expect(seenAtKill >= 400 && seenAtKill < total, "killed after \(seenAtKill) of \(total)")

        let second = try Self.startHub(file)
        try await reader.read(until: { $0.count >= total }, timeout: .seconds(150))
        // A graceful stop of the second instance, then nothing more arrives.
        second.terminate()
        await Self.wait(second)
        try await reader.read(timeout: .seconds(3))
        await reader.close()

        #expect(reader.count == total, "\(reader.count) of \(total) inputs became events")
        #expect(reader.differing == 0, "\(reader.differing) duplicates differ from the first delivery")
        print("kill -9 after \(seenAtKill) events; \(reader.duplicates) byte-identical duplicates re-delivered")
    }
}

extension HubProcessTests {
    @Test("kill -9 in the middle of a stream of 856s: every interchange acknowledged, re-delivered acknowledgments byte-identical")
    func killAcknowledgments() async throws {
        let brokers = try #require(HubIntegrationTests.brokers, "CROSSDOCK_TEST_BROKERS is not set: run scripts/test")
        let prefix = "ackkill-\(UUID().uuidString.prefix(8))"
        var configuration = try HubIntegrationTests.configuration(prefix)
        configuration.rawTopics = ["\(prefix).asn": .asn]
        try await HubIntegrationTests.createTopics(configuration)
        let file = try Self.configFile(prefix, brokers: brokers, raw: "\(prefix).asn: asn")
        defer { try? FileManager.default.removeItem(at: file) }
        let sample = String(decoding: try TestSupport.bytes("examples/samples/acme-856.x12"), as: UTF8.self)
        let total = 3000
        let producer = try KafkaProducer(configuration: configuration.kafka, logger: HubIntegrationTests.logger)
        for index in 1...total {
            // Each interchange its own control number, as a partner's are.
            let control = String(repeating: "0", count: 9 - String(index).count) + String(index)
            let text = sample.replacingOccurrences(of: "000000077", with: control).replacingOccurrences(of: "ASN2611190077", with: "ASN-\(index)")
            try await producer.send(KafkaOutgoingRecord(topic: "\(prefix).asn", key: nil, value: Array(text.utf8), timestampMilliseconds: 1_795_000_000_000))
        }
        await producer.shutdown()

        let reader = try EventReader(configuration, group: "\(prefix).reader", topics: [configuration.topics.acknowledgments])
        let first = try Self.startHub(file)
        try await reader.read(until: { $0.count >= 400 }, timeout: .seconds(90))
        kill(first.processIdentifier, SIGKILL)
        await Self.wait(first)
        let seenAtKill = reader.count
        #expect(seenAtKill >= 400 && seenAtKill < total, "killed after \(seenAtKill) of \(total)")
        let second = try Self.startHub(file)
        try await reader.read(until: { $0.count >= total }, timeout: .seconds(150))
        second.terminate()
        await Self.wait(second)
        try await reader.read(timeout: .seconds(3))
        await reader.close()

        #expect(reader.count == total, "\(reader.count) of \(total) interchanges acknowledged")
        #expect(reader.differing == 0, "\(reader.differing) re-delivered acknowledgments differ from the first")
        print("acknowledgments: kill -9 after \(seenAtKill); \(reader.duplicates) byte-identical duplicates re-delivered")
    }

    @Test("SIGTERM in the middle of a stream drains and commits; a restart then produces no duplicate")
    func terminateAndRestart() async throws {
        let (prefix, configuration, file) = try Self.scanStream("hubterm")
        defer { try? FileManager.default.removeItem(at: file) }
        try await HubIntegrationTests.createTopics(configuration)
        let total = 3000
        let reader = try EventReader(
            configuration, group: "\(prefix).reader", topics: [configuration.topics.inventoryEvents, configuration.topics.rejected])

        // The inputs keep arriving, 25 at a time, while the first hub starts, is stopped with
        // SIGTERM and the second one takes over.
        let producer = try KafkaProducer(configuration: configuration.kafka, logger: HubIntegrationTests.logger)
        let first = try Self.startHub(file)
        var second: Process?
        var seenAtStop = 0
        var sent = 0
        let deadline = ContinuousClock.now + .seconds(150)
        while reader.count < total, ContinuousClock.now < deadline {
            if sent < total {
                try await Self.send(scans: sent..<min(sent + 25, total), prefix: prefix, producer: producer)
                sent = min(sent + 25, total)
            }
            try await reader.read(timeout: .milliseconds(100))
            if second == nil, reader.count >= 400 {
                first.terminate()
                await Self.wait(first)
                #expect(first.terminationStatus == 0, "crossdock run exited with \(first.terminationStatus) on SIGTERM")
                seenAtStop = reader.count
                second = try Self.startHub(file)
            }
        }
        await producer.shutdown()
        if let second {
            second.terminate()
            await Self.wait(second)
        }
        try await reader.read(timeout: .seconds(3))
        await reader.close()

        #expect(seenAtStop >= 400 && seenAtStop < total, "SIGTERM after \(seenAtStop) of \(total) events")
        #expect(reader.count == total, "\(reader.count) of \(total) inputs became events")
        #expect(reader.duplicates == 0, "\(reader.duplicates) records were produced twice across a graceful stop")
        print("SIGTERM after \(seenAtStop) events; \(reader.duplicates) duplicates after the restart")
    }
}

extension HubProcessTests {
    @Test("two instances of one group share the partitions, and one takes over when the other dies")
    func scaleOutAndFailover() async throws {
        let (prefix, configuration, file) = try Self.scanStream("hubscale")
        defer { try? FileManager.default.removeItem(at: file) }
        let admin = try KafkaAdmin(configuration: configuration.kafka, logger: HubIntegrationTests.logger)
        _ = try await admin.createTopics(
            [KafkaTopicSpec(name: "\(prefix).scans", partitions: 4)]
                + [configuration.topics.inventoryEvents, configuration.topics.rejected].map { KafkaTopicSpec(name: $0, partitions: 2) })
        await admin.close()

        // Both instances join before any data arrives, so the group splits the four partitions.
        let aErrors = Pipe()
        let a = try Self.startHub(file, errors: aErrors)
        let b = try Self.startHub(file, errors: Pipe())
        try await Task.sleep(for: .seconds(8))

        let total = 2000
        let producer = try KafkaProducer(configuration: configuration.kafka, logger: HubIntegrationTests.logger)
        func produce(_ range: Range<Int>) async throws {
            try await Self.send(scans: range, prefix: prefix, producer: producer, partitions: 4)
        }
        let reader = try EventReader(configuration, group: "\(prefix).reader", topics: [configuration.topics.inventoryEvents])
        // Half the stream while both run: the group splits it.
        try await produce(0..<(total / 2))
        try await reader.read(until: { $0.count >= total / 2 }, timeout: .seconds(90))
        try await Task.sleep(for: .seconds(2))  // let both commit
        // B dies; A must take its partitions over for the second half.
        kill(b.processIdentifier, SIGKILL)
        await Self.wait(b)
        let killed = true
        try await produce((total / 2)..<total)
        await producer.shutdown()
        try await reader.read(until: { $0.count >= total }, timeout: .seconds(90))
        a.terminate()
        await Self.wait(a)
        await reader.close()
        let summary = String(decoding: aErrors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let consumedByA = summary.split(separator: " ").drop { $0 != "consumed" }.dropFirst().first.flatMap { Int($0.trimmingCharacters(in: .punctuationCharacters)) } ?? 0

        #expect(reader.count == total, "\(reader.count) of \(total) inputs became events")
        #expect(killed)
        // A shared the first half with B (it did not read all of it) and took over B's partitions
        // for the second half (it read more than its own share of everything).
        #expect(consumedByA > total / 2 && consumedByA < total, "A consumed \(consumedByA): \(summary)")
    }
}

extension HubIntegrationTests {
    @Test("a raw topic given as a pattern takes topics created while the hub runs")
    func topicPattern() async throws {
        let prefix = "hub-\(UUID().uuidString.prefix(8))"
        var configuration = try Self.configuration(prefix)
        configuration.rawTopics = ["^\(prefix)\\.scans\\.": .scan]
        configuration.topicPartners = ["^\(prefix)\\.scans\\.b$": "ACME-INDUSTRIAL"]
        configuration.librdkafka["topic.metadata.refresh.interval.ms"] = "1000"
        let admin = try KafkaAdmin(configuration: configuration.kafka, logger: Self.logger)
        _ = try await admin.createTopics(
            ["\(prefix).scans.a", configuration.topics.inventoryEvents, configuration.topics.rejected].map { KafkaTopicSpec(name: $0, partitions: 1) })
        let hub = HubService(configuration: configuration, masterData: Self.network, logger: Self.logger)
        let running = Task { try await hub.run() }
        let producer = try KafkaProducer(configuration: configuration.kafka, logger: Self.logger)
        let scan = try TestSupport.bytes("examples/samples/dc-atl-receive.json")
        try await producer.send(KafkaOutgoingRecord(topic: "\(prefix).scans.a", key: nil, value: scan))
        let deadline = ContinuousClock.now + .seconds(60)
        while hub.counts.consumed < 1, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(hub.counts.consumed == 1)

        // A topic that did not exist when the hub subscribed, owned by a supplier: a gateway's scan
        // on it speaks for another partner.
        _ = try await admin.createTopics([KafkaTopicSpec(name: "\(prefix).scans.b", partitions: 1)])
        await admin.close()
        try await producer.send(KafkaOutgoingRecord(topic: "\(prefix).scans.b", key: nil, value: scan))
        await producer.shutdown()
        while hub.counts.consumed < 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
        hub.stop()
        try await running.value
        #expect(hub.counts.consumed == 2, "the hub read \(hub.counts.consumed) of 2 records")

        let outputs = try await Self.readOutputs(configuration, count: 2, idle: .seconds(4))
        #expect(outputs.map(\.topic).sorted() == [configuration.topics.inventoryEvents, configuration.topics.rejected].sorted())
        let rejection = try #require(outputs.first { $0.topic == configuration.topics.rejected })
        #expect(rejection.header("crossdock.error.code")?.stringValue == "PARTNER_MISMATCH")
        #expect(rejection.header("crossdock.source.topic")?.stringValue == "\(prefix).scans.b")
    }
}

extension HubProcessTests {
    @Test("with two workers, every scan comes out once, equal to normalize's, and each input partition in its order")
    func parallelWorkers() async throws {
        let (prefix, streamConfiguration, file) = try Self.scanStream("hubworkers")
        try? FileManager.default.removeItem(at: file)
        var configuration = streamConfiguration
        configuration.workers = 2
        try await HubIntegrationTests.createTopics(configuration)
        // Everything is on the topic before the hub starts, so its polls hold hundreds of scans
        // and go to both workers.
        let total = 2000
        let producer = try KafkaProducer(configuration: configuration.kafka, logger: HubIntegrationTests.logger)
        try await Self.send(scans: 0..<total, prefix: prefix, producer: producer)
        await producer.shutdown()
        let hub = HubService(configuration: configuration, masterData: HubIntegrationTests.network, logger: HubIntegrationTests.logger)
        let running = Task { try await hub.run() }
        // A loaded machine (the whole suite at once) may take long to join the group: wait for
        // the hub's own count, then read.
        let deadline = ContinuousClock.now + .seconds(120)
        while hub.counts.produced < total, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
        let outputs = try await HubIntegrationTests.readOutputs(configuration, count: total)
        hub.stop()
        try await running.value

        #expect(outputs.count == total, "\(outputs.count) outputs for \(total) scans")
        #expect(Set(outputs.compactMap(\.outputID)).count == total)
        let normalizer = Normalizer(snapshot: HubIntegrationTests.network)
        var lastOffset: [String: Int] = [:]  // input partition → the last input offset seen in output order
        var outOfOrder = 0
        var differing = 0
        for record in outputs.sorted(by: { ($0.partition, $0.offset) < ($1.partition, $1.offset) }) {
            let event = try #require(try JSONParser.parse(record.value).objectValue)
            // sourceref: <topic>/<partition>/<offset> of the input.
            let parts = try #require(event["sourceref"]?.stringValue).split(separator: "/")
            let input = "\(record.partition):\(parts[1])"
            let offset = try #require(Int(parts[2]))
            if let last = lastOffset[input], last >= offset { outOfOrder += 1 }
            lastOffset[input] = offset
            // The same scan through normalize, recorded at the same time.
            let index = try #require(event["data"]?.objectValue?["device"]?.stringValue?.split(separator: "-").last.flatMap { Int($0) })
            let recordedAt = try #require(event["recordedtime"]?.stringValue.flatMap { Timestamp(rfc3339: $0) })
            let expected = normalizer.normalize(InputRecord(value: Self.scan(index), source: .file("scan"), recordedAt: recordedAt), source: .scan)
            if expected.count != 1 || HubIntegrationTests.comparable(expected[0].jsonBytes()) != HubIntegrationTests.comparable(record.value) {
                differing += 1
            }
        }
        #expect(outOfOrder == 0, "\(outOfOrder) outputs came before an output of an earlier input of their partition")
        #expect(differing == 0, "\(differing) outputs differ from normalize's")
        #expect(hub.counts.consumed == total)
    }
}

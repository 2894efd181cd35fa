import Foundation
import Hub
import Kafka
import Logging
import MasterData
import Model
import Reconcile
import Testing
import TestSupport

/// The reconciliation stage through the local broker: `crossdock correlate` processes sharing
/// the partitions, one killed mid-stream; a restarted stage reading its state back.
@Suite("correlation stage through the broker", .timeLimit(.minutes(5)), .needsBroker, .serialized)
struct CorrelationBrokerTests {
    static var logger: Logger {
        var logger = Logger(label: "test.correlate")
        logger.logLevel = .error
        return logger
    }

    static func configuration(_ prefix: String) throws -> HubConfiguration {
        var configuration = HubConfiguration()
        configuration.brokers = [try #require(TestSupport.brokers, "CROSSDOCK_TEST_BROKERS is not set: run scripts/test")]
        configuration.masterdata = TestSupport.path("examples/network").path
        configuration.topics.shipmentNotices = "\(prefix).notices"
        configuration.topics.inventoryEvents = "\(prefix).inventory"
        configuration.topics.carrierStatus = "\(prefix).status"
        configuration.topics.receiptReconciliations = "\(prefix).reconciliations"
        configuration.topics.supplierScorecards = "\(prefix).scorecards"
        configuration.reconcileGroup = "\(prefix)-reconcile"
        configuration.librdkafka = ["session.timeout.ms": "6000", "heartbeat.interval.ms": "1000"]
        return configuration
    }

    /// The same settings as a file for `crossdock correlate --config`.
    static func configFile(_ configuration: HubConfiguration, prefix: String) throws -> URL {
        let topics = configuration.topics
        let yaml = """
            brokers: \(configuration.brokers.joined(separator: ","))
            masterdata: \(configuration.masterdata!)
            topics:
              shipmentNotices: \(topics.shipmentNotices)
              inventoryEvents: \(topics.inventoryEvents)
              carrierStatus: \(topics.carrierStatus)
              receiptReconciliations: \(topics.receiptReconciliations)
              supplierScorecards: \(topics.supplierScorecards)
            reconciliation: {group: \(configuration.reconcileGroup)}
            librdkafka: {session.timeout.ms: 6000, heartbeat.interval.ms: 1000}
            """
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix).yaml")
        try yaml.write(to: file, atomically: false, encoding: .utf8)
        return file
    }

    /// `count` shipments, each a pallet of two cartons announced, received and put away; some
    /// scans before their notice.
    static func events(_ count: Int) -> [CanonicalEvent] {
        var events: [CanonicalEvent] = []
        for n in 0..<count {
            let pallet = Receipts.sscc(10_000 + 3 * n)
            let notice = Receipts.asn(
                "K-\(n)",
                units: [
                    .init(sscc: pallet), .init(sscc: Receipts.sscc(10_001 + 3 * n), parent: pallet, lines: [("00614141000012", 1, "case", nil)]),
                    .init(sscc: Receipts.sscc(10_002 + 3 * n), parent: pallet, lines: [("00614141000029", 5, "each", nil)]),
                ])
            let minute = n % 50
            let received = Receipts.scan("RCV", at: "2026-11-24T1\(n / 50 % 10):\(minute < 10 ? "0" : "")\(minute):00-05:00", sscc: pallet)
            let stocked = Receipts.scan("PUT", at: "2026-11-24T1\(n / 50 % 10):\(minute < 10 ? "0" : "")\(minute):30-05:00", sscc: pallet)
            events += n % 3 == 0 ? [received, notice, stocked] : [notice, received, stocked]
        }
        return events
    }

    static func produce(_ events: [CanonicalEvent], _ configuration: HubConfiguration) async throws {
        let admin = try KafkaAdmin(configuration: configuration.kafka, logger: logger)
        // The outputs too, so that a reader subscribed before the stage starts finds them.
        _ = try await admin.createTopics(
            (configuration.topics.canonical + configuration.topics.reconciliation).map { KafkaTopicSpec(name: $0, partitions: 4) })
        await admin.close()
        let producer = try KafkaProducer(configuration: configuration.kafka, logger: logger)
        for event in events {
            let topic =
                switch event.type {
                case .shipmentNotice: configuration.topics.shipmentNotices
                case .inventoryEvent: configuration.topics.inventoryEvents
                default: configuration.topics.carrierStatus
                }
            try producer.send(KafkaOutgoingRecord(topic: topic, key: Array(event.subject.utf8), value: event.jsonBytes())) { _ in }
        }
        try await producer.flush()
        await producer.shutdown()
    }

    /// What the offline stage makes of the same events: the last record of each key.
    static func expected(_ events: [CanonicalEvent]) -> [String: [UInt8]] {
        var last: [String: [UInt8]] = [:]
        for output in Receipts.reconcile(events) { if let key = output.recordKey { last[key] = output.recordBytes } }
        return last
    }

    /// Every record of the output topics, by key, in the order read.
    final class OutputReader {
        let consumer: KafkaConsumer
        var byKey: [String: [[UInt8]]] = [:]
        var records = 0

        init(_ configuration: HubConfiguration, group: String) throws {
            consumer = try KafkaConsumer(configuration: configuration.kafka, groupID: group, logger: CorrelationBrokerTests.logger)
            try consumer.subscribe(topics: configuration.topics.reconciliation)
        }

        func read(until condition: (OutputReader) -> Bool, timeout: Duration) async throws {
            let deadline = ContinuousClock.now + timeout
            while !condition(self), ContinuousClock.now < deadline {
                for record in try await consumer.poll(maxRecords: 500, timeout: .milliseconds(100)) {
                    byKey[String(decoding: record.key ?? [], as: UTF8.self), default: []].append(record.value)
                    records += 1
                }
            }
        }
    }

    @Test("two processes share the partitions; one killed mid-stream: every receipt reconciled, duplicates byte-identical")
    func killOne() async throws {
        let prefix = "corr-kill-\(UUID().uuidString.prefix(8))"
        let configuration = try Self.configuration(prefix)
        let shipments = 600
        let events = Self.events(shipments)
        let expected = Self.expected(events)
        try await Self.produce(events, configuration)
        let file = try Self.configFile(configuration, prefix: prefix)
        defer { try? FileManager.default.removeItem(at: file) }
        let reader = try OutputReader(configuration, group: "\(prefix).reader")

        let logs = FileManager.default.temporaryDirectory.appendingPathComponent(prefix)
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: logs) }
        func start(_ name: String) throws -> Process {
            let process = Process()
            process.executableURL = try TestSupport.crossdockExecutable()
            process.arguments = ["correlate", "--config", file.path, "--log-level", "info"]
            process.standardOutput = FileHandle.nullDevice
            let log = logs.appendingPathComponent("\(name).log")
            FileManager.default.createFile(atPath: log.path, contents: nil)
            process.standardError = try FileHandle(forWritingTo: log)
            try process.run()
            return process
        }
        let first = try start("first")
        let second = try start("second")
        let reconciled: (OutputReader) -> Bool = { reader in
            reader.byKey.keys.filter { $0.hasPrefix("BRIGHTLITE:") }.count >= shipments
        }
        // Both own partitions (each logged the stores it read back) and records are coming out.
        func restoring(_ name: String) -> Bool {
            ((try? String(contentsOf: logs.appendingPathComponent("\(name).log"), encoding: .utf8)) ?? "").contains("restored,")
        }
        try await reader.read(
            until: { $0.byKey.count >= 100 && restoring("first") && restoring("second") }, timeout: .seconds(120))
        kill(first.processIdentifier, SIGKILL)
        let atKill = reader.byKey.count
        try await reader.read(until: reconciled, timeout: .seconds(150))
        // The survivor takes the dead one's partitions once its session expires (6 s), reading
        // their state back, even when the stream was done by then.
        func restoredRecords() -> Int {
            let log = (try? String(contentsOf: logs.appendingPathComponent("second.log"), encoding: .utf8)) ?? ""
            return log.matches(of: /restored, (\d+) records/).map { Int($0.1)! }.reduce(0, +)
        }
        let takeover = ContinuousClock.now + .seconds(60)
        while restoredRecords() == 0, ContinuousClock.now < takeover { try await Task.sleep(for: .milliseconds(500)) }
        // The last scorecard: every receipt of the day counted once.
        try await reader.read(until: { $0.byKey["BRIGHTLITE@DC-ATL"]?.last == expected["BRIGHTLITE@DC-ATL"] }, timeout: .seconds(30))
        second.terminate()
        while second.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        await reader.consumer.close()

        let receipts = reader.byKey.filter { $0.key.hasPrefix("BRIGHTLITE:") }
        #expect(receipts.count == shipments, "\(receipts.count) of \(shipments) receipts reconciled (\(atKill) before the kill)")
        var differing = 0
        for (key, values) in receipts where values.contains(where: { $0 != expected[key] }) { differing += 1 }
        #expect(differing == 0, "\(differing) receipts with a record other than the offline stage's")
        #expect(reader.byKey["BRIGHTLITE@DC-ATL"]?.last == expected["BRIGHTLITE@DC-ATL"], "the final scorecard")
        // The survivor took over the killed one's partitions with their state: it started on empty
        // changelogs, so a store it read back with records came from the other process.
        let restored = restoredRecords()
        #expect(restoring("first"), "the first process never owned a partition")
        #expect(restored > 0, "the second process restored no state from the changelogs")
        let duplicates = receipts.values.map { $0.count - 1 }.reduce(0, +)
        print(
            "correlate: kill -9 after \(atKill) records; \(shipments) receipts, \(duplicates) byte-identical duplicates, "
                + "\(restored) changelog records read back by the survivor")
    }

    @Test("a restarted stage reads back from its changelogs the state it had")
    func restart() async throws {
        let prefix = "corr-restart-\(UUID().uuidString.prefix(8))"
        let configuration = try Self.configuration(prefix)
        let shipments = 60
        // Two of every three receipts complete; the rest are still open (no put-away yet) and
        // one unit was scanned that no notice announced: state in all three stores.
        var events = Self.events(shipments).filter {
            guard case .inventoryEvent(let scan) = $0 else { return true }
            return scan.data.step != .putaway || (Int(scan.data.handlingUnit!.sscc.dropLast().suffix(5))! - 10_000) / 3 % 3 != 1
        }
        events.append(Receipts.scan("RCV", at: "2026-11-24T18:00:00-05:00", sscc: Receipts.sscc(99_999)))
        try await Self.produce(events, configuration)
        let reader = try OutputReader(configuration, group: "\(prefix).reader")

        let first = CorrelationService(configuration: configuration, masterData: Receipts.network, logger: Self.logger)
        let running = Task { try await first.run() }
        try await reader.read(until: { $0.byKey.count >= 40 }, timeout: .seconds(120))
        // Idle: everything consumed and committed.
        var consumed = -1
        while consumed != first.counts.consumed {
            consumed = first.counts.consumed
            try await Task.sleep(for: .seconds(2))
        }
        first.stop()
        try await running.value
        let before = first.states()
        #expect(before["shipments"]!.count == shipments && before["references"]!.count > shipments && !before["scorecards"]!.isEmpty)

        let second = CorrelationService(configuration: configuration, masterData: Receipts.network, logger: Self.logger)
        let again = Task { try await second.run() }
        let deadline = ContinuousClock.now + .seconds(60)
        while second.ownedPartitions() < 4 || second.states()["references"]!.count < before["references"]!.count,
            ContinuousClock.now < deadline
        {
            try await Task.sleep(for: .milliseconds(200))
        }
        let after = second.states()
        second.stop()
        try await again.value
        await reader.consumer.close()
        #expect(after == before, "restored: \(after.mapValues(\.count)), before: \(before.mapValues(\.count))")
        #expect(second.counts.reconciliations == 0, "nothing published again")
    }

    @Test("a store whose repartition topic and changelog differ in partitions: the stage refuses to start, naming both")
    func partitionCountsDiffer() async throws {
        let prefix = "corr-parts-\(UUID().uuidString.prefix(8))"
        let configuration = try Self.configuration(prefix)
        let admin = try KafkaAdmin(configuration: configuration.kafka, logger: Self.logger)
        _ = try await admin.createTopics([
            KafkaTopicSpec(name: configuration.topics.inventoryEvents, partitions: 4),
            KafkaTopicSpec(name: "\(configuration.reconcileGroup)-shipments-changelog", partitions: 2),
        ])
        await admin.close()
        let stage = CorrelationService(configuration: configuration, masterData: Receipts.network, logger: Self.logger)
        let error = await #expect(throws: KafkaError.self) { try await stage.run() }
        #expect(
            error?.message.contains("\(configuration.reconcileGroup)-shipments-repartition has 4 partitions") == true
                && error?.message.contains("-shipments-changelog 2") == true, "\(String(describing: error))")
    }

    @Test("a partner profile published to the master-data topic reaches the running stage's stores")
    func liveMasterData() async throws {
        let prefix = "corr-md-\(UUID().uuidString.prefix(8))"
        var configuration = try Self.configuration(prefix)
        configuration.topics.masterDataLocations = "\(prefix).md.locations"
        configuration.topics.masterDataItems = "\(prefix).md.items"
        configuration.topics.masterDataPartners = "\(prefix).md.partners"
        let admin = try KafkaAdmin(configuration: configuration.kafka, logger: Self.logger)
        _ = try await admin.createTopics(configuration.topics.masterData.map {
            KafkaTopicSpec(name: $0, partitions: 1, configs: ["cleanup.policy": "compact"])
        })
        await admin.close()
        let stage = CorrelationService(configuration: configuration, masterData: Receipts.network, logger: Self.logger)
        let running = Task { try await stage.run() }
        let brightlite = String(decoding: try TestSupport.bytes("examples/network/partners/brightlite.yaml"), as: UTF8.self)
        let producer = try KafkaProducer(configuration: configuration.kafka, logger: Self.logger)
        try await producer.send(
            KafkaOutgoingRecord(
                topic: configuration.topics.masterDataPartners, key: Array("BRIGHTLITE".utf8),
                value: Array((brightlite + "receiving: {overTolerancePercent: \"10\"}\n").utf8)))
        await producer.shutdown()
        func tolerance() -> String? { stage.masterData.snapshot().snapshot.partner(id: "BRIGHTLITE")?.tolerances.overPercent.description }
        let deadline = ContinuousClock.now + .seconds(60)
        while tolerance() != "10" || stage.masterDataVersionInUse != stage.masterData.version, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
        }
        stage.stop()
        try await running.value
        #expect(tolerance() == "10" && stage.masterDataVersionInUse == stage.masterData.version && stage.masterData.version > 1)
    }

    @Test("a trailer of 2,000 cartons, each received and put away: its multi-megabyte state and record go through")
    func largeReceipt() async throws {
        let prefix = "corr-large-\(UUID().uuidString.prefix(8))"
        let configuration = try Self.configuration(prefix)
        let cartons = (0..<2000).map { Receipts.sscc(500_000 + $0) }
        var events = [
            Receipts.asn(
                "BIG-1", units: cartons.map { .init(sscc: $0, lines: [("00614141000012", 1, "case", nil)]) },
                expected: "2026-11-24T23:00:00-05:00")
        ]
        for (index, carton) in cartons.enumerated() {
            let minute = index % 60
            let at = "2026-11-24T\(10 + index / 60 % 10):\(minute < 10 ? "0" : "")\(minute):00-05:00"
            events.append(Receipts.scan("RCV", at: at, sscc: carton))
            events.append(Receipts.scan("PUT", at: at.replacingOccurrences(of: ":00-05:00", with: ":30-05:00"), sscc: carton))
        }
        try await Self.produce(events, configuration)
        let reader = try OutputReader(configuration, group: "\(prefix).reader")
        let stage = CorrelationService(configuration: configuration, masterData: Receipts.network, logger: Self.logger)
        let running = Task { try await stage.run() }
        try await reader.read(until: { $0.byKey["BRIGHTLITE:BIG-1"] != nil }, timeout: .seconds(180))
        let before = stage.states()
        stage.stop()
        try await running.value
        await reader.consumer.close()
        let value = try #require(reader.byKey["BRIGHTLITE:BIG-1"]?.last, "no reconciliation of the large receipt")
        let record = try CloudEvent<ReceiptReconciliation>(json: JSONParser.parse(value), at: .root).data
        #expect(record.status == .exact && record.complete && record.handlingUnits.count == 2000)
        #expect(value.count > 500_000 && stage.counts.oversize == 0)
        let state = try #require(before["shipments"]?["BRIGHTLITE:BIG-1"])
        #expect(state.count > 1_000_000, "the state is \(state.count) bytes")
        // Read back from the changelog as it was.
        let second = CorrelationService(configuration: configuration, masterData: Receipts.network, logger: Self.logger)
        let again = Task { try await second.run() }
        let deadline = ContinuousClock.now + .seconds(60)
        while second.states()["shipments"]?["BRIGHTLITE:BIG-1"] == nil, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(second.states()["shipments"]?["BRIGHTLITE:BIG-1"] == state)
        second.stop()
        try await again.value
    }
}

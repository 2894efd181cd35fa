import Foundation
import Hub
import Kafka
import MasterData
import Model
import Normalize
import TestSupport
import Testing

extension KafkaConsumerRecord {
    /// The id of an output record: a canonical event's `ce_id`, a dead letter's rejection id, an
    /// acknowledgment's partner and acknowledged control number.
    var outputID: String? {
        if let id = (header("ce_id") ?? header("crossdock.rejection.id"))?.stringValue { return id }
        guard let control = header("crossdock.acknowledges")?.stringValue else { return nil }
        return (header("crossdock-partner")?.stringValue ?? "?") + "/" + control
    }
}

/// Dead-letter records always fit where they are written, so no input can stop its partition.
@Suite("Dead letters against a real broker", .timeLimit(.minutes(3)), .needsBroker)
struct DeadLetterTests {
    /// A JSON ASN whose canonical event is far larger than a small output limit.
    static func largeNotice(lines: Int) -> [UInt8] {
        let line = #"{"item": {"gtin": "00614141000104"}, "quantity": 3, "uom": "case", "poNumber": "PO-77120", "poLine": "1"}"#
        return Array(
            """
            {"asnNumber": "BL-LARGE-1", "supplier": "BRIGHTLITE", "shipTo": "0614141000029", "shippedAt": "2026-11-21T14:30:00-05:00",
             "handlingUnits": [{"sscc": "006141410000100026", "packaging": "CTN",
               "lines": [\(Array(repeating: line, count: lines).joined(separator: ",\n"))]}]}
            """.utf8)
    }

    @Test("a 3 MB rejected record and a too-large event become dead letters that fit; the records behind them come out")
    func largeRejections() async throws {
        let prefix = "dl-\(UUID().uuidString.prefix(8))"
        var configuration = try HubIntegrationTests.configuration(prefix)
        configuration.maxOutputBytes = 100_000
        try await HubIntegrationTests.createTopics(configuration)
        let hub = HubService(configuration: configuration, masterData: HubIntegrationTests.network, logger: HubIntegrationTests.logger)
        let running = Task { try await hub.run() }

        var kafka = configuration.kafka
        kafka.properties["message.max.bytes"] = "10000000"
        let producer = try KafkaProducer(configuration: kafka, logger: HubIntegrationTests.logger)
        // Not JSON: an unterminated string of 3 MB. Its headers go along, but for one in the hub's
        // namespace, which a sender must not be able to set.
        let huge = Array(#"{"gateway": "dc-atl-rf", "note": ""#.utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 3_000_000)
        let notice = Self.largeNotice(lines: 600)
        try await producer.send(
            KafkaOutgoingRecord(
                topic: "\(prefix).scans", key: Array("gw".utf8), value: huge,
                headers: [
                    KafkaHeader(key: "trace", string: "abc"), KafkaHeader(key: "crossdock.error.code", string: "NONE"),
                    KafkaHeader(key: "empty", value: nil),
                ]))
        let parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        try await producer.send(
            KafkaOutgoingRecord(
                topic: "\(prefix).scans", key: Array("gw".utf8), value: try TestSupport.bytes("examples/samples/dc-atl-receive.json"),
                headers: [KafkaHeader(key: "traceparent", string: parent), KafkaHeader(key: "tracestate", string: "vendor=x")]))
        // A sender header that is not text: rejected, and kept byte for byte on the dead letter.
        let headless = #"{"scannedAt": "2026-11-21T06:55:00-05:00", "action": "RCV", "location": "DOCK1", "barcode": "]C10100614141000029"}"#
        try await producer.send(
            KafkaOutgoingRecord(
                topic: "\(prefix).scans", key: Array("bad-header".utf8), value: Array(headless.utf8),
                headers: [KafkaHeader(key: "crossdock-partner", value: [0x47, 0xFF, 0xFE])]))
        try await producer.send(KafkaOutgoingRecord(topic: "\(prefix).asn", key: Array("asn".utf8), value: notice))
        try await producer.send(
            KafkaOutgoingRecord(topic: "\(prefix).asn", key: Array("asn".utf8), value: try TestSupport.bytes("examples/samples/brightlite-asn.json")))
        await producer.shutdown()

        let outputs = try await HubIntegrationTests.readOutputs(configuration, count: 5)
        hub.stop()
        try await running.value

        let rejected = outputs.filter { $0.topic == configuration.topics.rejected }
        let events = outputs.filter { $0.topic != configuration.topics.rejected }
        #expect(events.map(\.topic).sorted() == [configuration.topics.inventoryEvents, configuration.topics.shipmentNotices])
        try #require(rejected.count == 3, "\(rejected.map { $0.header("crossdock.error.code")?.stringValue ?? "-" })")
        let scan = try #require(rejected.first { $0.key == Array("gw".utf8) })
        #expect(scan.value.count + (scan.key?.count ?? 0) + scan.headers.reduce(0) { $0 + $1.key.utf8.count + ($1.value?.count ?? 0) } <= 100_000)
        #expect(scan.value == Array(huge.prefix(scan.value.count)))
        #expect(scan.header("crossdock.original.truncated")?.stringValue == "true")
        #expect(scan.header("crossdock.original.length")?.stringValue == String(huge.count))
        #expect(scan.header("crossdock.original.sha256")?.stringValue == SHA256.hex(huge))
        #expect(scan.headers.filter { $0.key == "crossdock.error.code" }.map(\.stringValue) == ["JSON_INVALID"])
        #expect(scan.header("trace")?.stringValue == "abc")
        #expect(scan.headers.contains { $0.key == "empty" && $0.value == nil })
        #expect(scan.header("crossdock.input.headers.omitted")?.stringValue == "1")
        let header = try #require(rejected.first { $0.key == Array("bad-header".utf8) })
        #expect(header.header("crossdock.error.code")?.stringValue == "HEADER_INVALID")
        #expect(header.header("crossdock-partner")?.value == [0x47, 0xFF, 0xFE])
        // Trace context: the scan's event continues its sender's trace with a span of the hub's; the
        // notice, sent without one, starts a trace; the dead letter carries the hub's span.
        let scanEvent = try #require(events.first { $0.topic == configuration.topics.inventoryEvents })
        let child = try #require(scanEvent.header("traceparent")?.stringValue)
        #expect(child.hasPrefix("00-4bf92f3577b34da6a3ce929d0e0e4736-") && child.hasSuffix("-01") && child != parent)
        #expect(scanEvent.header("tracestate")?.stringValue == "vendor=x")
        let noticeEvent = try #require(events.first { $0.topic == configuration.topics.shipmentNotices })
        let started = try #require(noticeEvent.header("traceparent")?.stringValue)
        #expect(started.wholeMatch(of: /00-[0-9a-f]{32}-[0-9a-f]{16}-01/) != nil, "\(started)")
        #expect(scan.headers.filter { $0.key == "traceparent" }.count == 1)
        let large = try #require(rejected.first { $0.key == Array("asn".utf8) })
        #expect(large.header("crossdock.error.code")?.stringValue == "MESSAGE_TOO_LARGE")
        #expect(large.value == notice)
        #expect(large.header("crossdock.original.truncated") == nil)
    }

    @Test("replay stops at the end it found, keeps the sender's header, and replays a cut-short record from its source")
    func replay() async throws {
        let prefix = "rp-\(UUID().uuidString.prefix(8))"
        var configuration = try HubIntegrationTests.configuration(prefix)
        configuration.maxOutputBytes = 100_000
        try await HubIntegrationTests.createTopics(configuration)
        let hub = HubService(configuration: configuration, masterData: HubIntegrationTests.network, logger: HubIntegrationTests.logger)
        let running = Task { try await hub.run() }
        var kafka = configuration.kafka
        kafka.properties["message.max.bytes"] = "10000000"
        let producer = try KafkaProducer(configuration: kafka, logger: HubIntegrationTests.logger)
        // No gateway in the scan: only the header says who sent it. The dock does not exist, so it
        // is rejected, and stays so however often it is replayed.
        let scan = #"{"scannedAt": "2026-11-21T06:55:00-05:00", "action": "RCV", "location": "DC-ATL/RCV/D77", "barcode": "]C10100614141000029"}"#
        try await producer.send(
            KafkaOutgoingRecord(
                topic: "\(prefix).scans", key: Array("s".utf8), value: Array(scan.utf8),
                headers: [KafkaHeader(key: "crossdock-partner", string: "GW-DC-ATL")]))
        let huge = Array(#"{"gateway": "dc-atl-rf", "note": ""#.utf8) + [UInt8](repeating: UInt8(ascii: "y"), count: 2_000_000)
        try await producer.send(KafkaOutgoingRecord(topic: "\(prefix).scans", key: Array("h".utf8), value: huge))
        await producer.shutdown()
        let first = try await HubIntegrationTests.readOutputs(configuration, count: 2, idle: .seconds(5))
        #expect(Set(first.compactMap { $0.header("crossdock.error.code")?.stringValue }) == ["LOCATION_UNKNOWN", "JSON_INVALID"])

        var replays: [Replayer.Report] = []
        var rejections = 2
        for _ in 0..<2 {
            let report = try await Replayer.replay(
                Replayer.Filter(), topics: configuration.topics, configuration: configuration.kafka, logger: HubIntegrationTests.logger)
            replays.append(report)
            rejections += report.replayed
            let deadline = ContinuousClock.now + .seconds(60)
            while hub.counts.rejected < rejections, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
        }
        // Each replay read what was there at its start: 2, then 2 + 2 re-rejections; never the
        // re-rejections of its own replays.
        #expect(replays.map(\.read) == [2, 4])
        #expect(replays.map(\.replayed) == [2, 4])
        #expect(replays.map(\.skipped) == [0, 0])
        let all = try await HubIntegrationTests.readOutputs(configuration, count: 8, idle: .seconds(5))
        hub.stop()
        try await running.value
        #expect(all.count == 8)
        // The sender is still known from its header: never PARTNER_UNKNOWN.
        let codes = all.compactMap { $0.header("crossdock.error.code")?.stringValue }
        #expect(codes.filter { $0 == "LOCATION_UNKNOWN" }.count == 4, "\(codes)")
        #expect(codes.filter { $0 == "JSON_INVALID" }.count == 4, "\(codes)")
        // The cut-short record went back whole: its re-rejections record the same length and digest.
        let cut = all.filter { $0.header("crossdock.error.code")?.stringValue == "JSON_INVALID" }
        #expect(Set(cut.compactMap { $0.header("crossdock.original.sha256")?.stringValue }) == [SHA256.hex(huge)])
        #expect(cut.filter { $0.header("crossdock-replayed-from") != nil }.count == 3)
    }
}

/// What operators watch: readiness of every group member, and the metrics.
@Suite("Readiness and metrics against a real broker", .timeLimit(.minutes(3)), .needsBroker)
struct ReadinessMetricsTests {
    @Test("a standby member (more members than partitions) is ready; metrics have process, build, lag and rebalance series")
    func standby() async throws {
        let prefix = "rd-\(UUID().uuidString.prefix(8))"
        var configuration = try HubIntegrationTests.configuration(prefix)
        configuration.rawTopics = ["\(prefix).scans": .scan]
        let admin = try KafkaAdmin(configuration: configuration.kafka, logger: HubIntegrationTests.logger)
        _ = try await admin.createTopics(
            [KafkaTopicSpec(name: "\(prefix).scans", partitions: 1)]
                + [configuration.topics.inventoryEvents, configuration.topics.rejected, configuration.topics.shipmentNotices,
                   configuration.topics.carrierStatus].map { KafkaTopicSpec(name: $0, partitions: 1) })
        await admin.close()
        let hubs = (0..<2).map { _ in
            HubService(configuration: configuration, masterData: HubIntegrationTests.network, logger: HubIntegrationTests.logger)
        }
        let running = hubs.map { hub in Task { try await hub.run() } }
        let deadline = ContinuousClock.now + .seconds(60)
        while !hubs.allSatisfy(\.readiness.isReady), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(200)) }
        #expect(hubs.map(\.readiness.isReady) == [true, true], "\(hubs.map(\.readiness))")
        #expect(hubs.map(\.readiness.partitionsAssigned).sorted() == [0, 1])
        // Lag is reported for the assigned partition although nothing arrived on it yet: within
        // a few commit intervals (a fixed 3 s was too short once under CI's load).
        let lag = "crossdock_consumer_lag_records{topic=\"\(prefix).scans\",partition=\"0\"}"
        let lagDeadline = ContinuousClock.now + .seconds(30)
        while !hubs.contains(where: { $0.metrics.render().contains(lag) }), ContinuousClock.now < lagDeadline {
            try await Task.sleep(for: .milliseconds(200))
        }
        let text = hubs.map { $0.metrics.render() }.joined(separator: "\n")
        for series in [
            "process_cpu_seconds_total ", "process_resident_memory_bytes ", "process_open_fds ", "process_start_time_seconds ",
            "crossdock_build_info{", "crossdock_rebalances_total{kind=\"assigned\"}",
            lag,
        ] {
            #expect(text.contains(series), "no \(series)")
        }
        for hub in hubs { hub.stop() }
        for task in running { try await task.value }
    }
}

@Suite("Partner onboarding without a restart", .timeLimit(.minutes(3)), .needsBroker)
struct PartnerOnboardingTests {
    @Test("a partner profile published to masterdata.partners.v1 is applied by the running hub")
    func onboarding() async throws {
        let prefix = "ob-\(UUID().uuidString.prefix(8))"
        var configuration = try HubIntegrationTests.configuration(prefix)
        configuration.topics.masterDataLocations = "\(prefix).md.locations"
        configuration.topics.masterDataItems = "\(prefix).md.items"
        configuration.topics.masterDataPartners = "\(prefix).md.partners"
        try await HubIntegrationTests.createTopics(configuration)
        let admin = try KafkaAdmin(configuration: configuration.kafka, logger: HubIntegrationTests.logger)
        _ = try await admin.createTopics(configuration.topics.masterData.map {
            KafkaTopicSpec(name: $0, partitions: 1, configs: ["cleanup.policy": "compact"])
        })
        await admin.close()
        let hub = HubService(configuration: configuration, masterData: HubIntegrationTests.network, logger: HubIntegrationTests.logger)
        let running = Task { try await hub.run() }
        let producer = try KafkaProducer(configuration: configuration.kafka, logger: HubIntegrationTests.logger)
        let scan = #"{"gateway": "dc-atl-xd", "scannedAt": "2026-11-21T06:55:00-05:00", "action": "RCV", "location": "DOCK1", "barcode": "]C10100614141000029"}"#
        try await producer.send(KafkaOutgoingRecord(topic: "\(prefix).scans", key: Array("xd".utf8), value: Array(scan.utf8)))
        let first = try await HubIntegrationTests.readOutputs(configuration, count: 1, idle: .seconds(5))
        #expect(first.map { $0.header("crossdock.error.code")?.stringValue } == ["PARTNER_UNKNOWN"])

        let profile = """
            partner: GW-DC-ATL-XD
            kind: scanner-gateway
            site: DC-ATL
            identifiers:
              json: ["dc-atl-xd"]
            formats: [json-scan]
            codes:
              step: {RCV: received}
            """
        try await producer.send(
            KafkaOutgoingRecord(topic: configuration.topics.masterDataPartners, key: Array("GW-DC-ATL-XD".utf8), value: Array(profile.utf8)))
        let deadline = ContinuousClock.now + .seconds(30)
        while hub.masterData.snapshot().snapshot.partner(id: "GW-DC-ATL-XD") == nil, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
        }
        try await producer.send(KafkaOutgoingRecord(topic: "\(prefix).scans", key: Array("xd".utf8), value: Array(scan.utf8)))
        await producer.shutdown()
        let after = try await HubIntegrationTests.readOutputs(configuration, count: 2, idle: .seconds(5))
        hub.stop()
        try await running.value
        let event = try #require(after.first { $0.topic == configuration.topics.inventoryEvents })
        #expect(try JSONParser.parse(event.value).objectValue?["partner"] == .string("GW-DC-ATL-XD"))
    }
}

@Suite("One large record and the poll interval", .timeLimit(.minutes(4)), .needsBroker)
struct LargeRecordTests {
    @Test("a 16,000-scan batch is processed well inside a 15 s max.poll.interval.ms: read once, every event out once")
    func largeBatch() async throws {
        let prefix = "lb-\(UUID().uuidString.prefix(8))"
        var configuration = try HubIntegrationTests.configuration(prefix)
        configuration.librdkafka["max.poll.interval.ms"] = "15000"
        try await HubIntegrationTests.createTopics(configuration)
        let hub = HubService(configuration: configuration, masterData: HubIntegrationTests.network, logger: HubIntegrationTests.logger)
        let running = Task { try await hub.run() }
        let scan = #"{"gateway": "dc-atl-rf", "scannedAt": "2026-11-21T06:55:00-05:00", "action": "RCV", "location": "DOCK1", "barcode": "]C10100614141000029"}"#
        let batch = "{\"scans\": [" + Array(repeating: scan, count: 16_000).joined(separator: ",") + "]}"
        var kafka = configuration.kafka
        kafka.properties["message.max.bytes"] = "10000000"
        let producer = try KafkaProducer(configuration: kafka, logger: HubIntegrationTests.logger)
        try await producer.send(KafkaOutgoingRecord(topic: "\(prefix).scans", key: Array("batch".utf8), value: Array(batch.utf8)))
        await producer.shutdown()
        let deadline = ContinuousClock.now + .seconds(120)
        while hub.counts.produced < 16_000, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(200)) }
        // Time for a poll-interval overrun to show (the member would leave and read the batch again).
        try await Task.sleep(for: .seconds(20))
        hub.stop()
        try await running.value
        #expect(hub.counts.consumed == 1, "the batch was read \(hub.counts.consumed) times")
        #expect(hub.counts.produced == 16_000)
        #expect(!hub.metrics.render().contains("crossdock_rebalances_total{kind=\"lost\"}"))
    }
}

extension DeadLetterTests {
    @Test("a record whose reason, sender header and key are huge still gets a dead letter that fits; the next record comes out")
    func hugeReasons() async throws {
        let prefix = "dh-\(UUID().uuidString.prefix(8))"
        var configuration = try HubIntegrationTests.configuration(prefix)
        configuration.maxOutputBytes = 100_000
        try await HubIntegrationTests.createTopics(configuration)
        let hub = HubService(configuration: configuration, masterData: HubIntegrationTests.network, logger: HubIntegrationTests.logger)
        let running = Task { try await hub.run() }
        var kafka = configuration.kafka
        kafka.properties["message.max.bytes"] = "10000000"
        let producer = try KafkaProducer(configuration: kafka, logger: HubIntegrationTests.logger)
        // SE01 of one digit and 600,000 combining marks: one character, 1.2 MB, in the message.
        let sample = String(decoding: try TestSupport.bytes("examples/samples/acme-856.x12"), as: UTF8.self)
        let marks = String(repeating: "\u{301}", count: 600_000)
        let poison = Array(sample.replacingOccurrences(of: "SE*22*", with: "SE*1\(marks)*").utf8)
        let key = [UInt8](repeating: UInt8(ascii: "k"), count: 300_000)
        try await producer.send(
            KafkaOutgoingRecord(
                topic: "\(prefix).asn", partition: 0, key: key, value: poison,
                headers: [KafkaHeader(key: "crossdock-partner", string: String(repeating: "P", count: 60_000))]))
        try await producer.send(
            KafkaOutgoingRecord(
                topic: "\(prefix).asn", partition: 0, key: Array("next".utf8), value: try TestSupport.bytes("examples/samples/brightlite-asn.json")))
        await producer.shutdown()
        let outputs = try await HubIntegrationTests.readOutputs(configuration, count: 2)
        hub.stop()
        try await running.value
        let rejected = try #require(outputs.first { $0.topic == configuration.topics.rejected })
        let size = rejected.value.count + (rejected.key?.count ?? 0) + rejected.headers.reduce(0) { $0 + $1.key.utf8.count + ($1.value?.count ?? 0) }
        #expect(size <= 100_000, "\(size) bytes")
        #expect(rejected.key == nil && rejected.header("crossdock.original.key.omitted")?.stringValue == "300000")
        #expect((rejected.header("crossdock.error.message")?.value?.count ?? .max) < 2_000)
        #expect(outputs.contains { $0.topic == configuration.topics.shipmentNotices }, "the record behind it did not come out")
    }
}

import Foundation
import Hub
import Kafka
import Model
import Normalize
import TestSupport
import Testing

extension KafkaConsumerRecord {
    /// The id of an output record: a canonical event's `ce_id`, a dead letter's rejection id.
    var outputID: String? { (header("ce_id") ?? header("crossdock.rejection.id"))?.stringValue }
}

/// Dead-letter records always fit where they are written, so no input can stop its partition.
@Suite("Dead letters against a real broker", .timeLimit(.minutes(3)))
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
        try await producer.send(
            KafkaOutgoingRecord(topic: "\(prefix).scans", key: Array("gw".utf8), value: try TestSupport.bytes("examples/samples/dc-atl-receive.json")))
        try await producer.send(KafkaOutgoingRecord(topic: "\(prefix).asn", key: Array("asn".utf8), value: notice))
        try await producer.send(
            KafkaOutgoingRecord(topic: "\(prefix).asn", key: Array("asn".utf8), value: try TestSupport.bytes("examples/samples/brightlite-asn.json")))
        await producer.shutdown()

        let outputs = try await HubIntegrationTests.readOutputs(configuration, count: 4)
        hub.stop()
        try await running.value

        let rejected = outputs.filter { $0.topic == configuration.topics.rejected }
        let events = outputs.filter { $0.topic != configuration.topics.rejected }
        #expect(events.map(\.topic).sorted() == [configuration.topics.inventoryEvents, configuration.topics.shipmentNotices])
        try #require(rejected.count == 2, "\(rejected.map { $0.header("crossdock.error.code")?.stringValue ?? "-" })")
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
        let large = try #require(rejected.first { $0.key == Array("asn".utf8) })
        #expect(large.header("crossdock.error.code")?.stringValue == "MESSAGE_TOO_LARGE")
        #expect(large.value == notice)
        #expect(large.header("crossdock.original.truncated") == nil)
    }
}

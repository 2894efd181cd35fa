import Foundation
import Hub
import Kafka
import Model
import Normalize
import TestSupport
import Testing

/// Acknowledgments through the broker: one per EDI interchange from a known partner, on the
/// acknowledgments topic, byte for byte what `crossdock ack` writes for the same input and time;
/// none for an acknowledgment coming in.
@Suite("Acknowledgments through the hub", .timeLimit(.minutes(3)), .needsBroker)
struct AcknowledgmentTests {
    @Test("an 856 and a 214 get a 997 each, a DESADV asking for one a CONTRL (keyed by partner, with their headers); a 997 coming in gets none")
    func acknowledged() async throws {
        let prefix = "ack-\(UUID().uuidString.prefix(8))"
        let configuration = try HubIntegrationTests.configuration(prefix)
        try await HubIntegrationTests.createTopics(configuration)
        let hub = HubService(configuration: configuration, masterData: HubIntegrationTests.network, logger: HubIntegrationTests.logger)
        let running = Task { try await hub.run() }
        let notice = try TestSupport.bytes("examples/samples/acme-856.x12")
        let status = try TestSupport.bytes("examples/samples/odfl-214.x12")
        let despatch = Array(
            String(decoding: try TestSupport.bytes("examples/samples/nordwerk-desadv.edi"), as: UTF8.self)
                .replacingOccurrences(of: "+NW000481'", with: "+NW000481++++1'").utf8)
        let time = Timestamp(epochSeconds: 1_795_000_000)
        // A 997 as ACME would send one back to us: an acknowledgment is never acknowledged.
        guard case .success(let ours) = Acknowledgments.make(notice, snapshot: HubIntegrationTests.network, time: time) else {
            Issue.record("no acknowledgment for the sample")
            return
        }
        let returned = String(decoding: ours[0].bytes, as: UTF8.self)
            .replacingOccurrences(of: "*ZZ*CROSSDOCK      *ZZ*ACMEIND        *", with: "*ZZ*ACMEIND        *ZZ*CROSSDOCK      *")
            .replacingOccurrences(of: "GS*FA*CROSSDOCK*ACMEIND*", with: "GS*FA*ACMEIND*CROSSDOCK*")
        let producer = try KafkaProducer(configuration: configuration.kafka, logger: HubIntegrationTests.logger)
        for (topic, value) in [
            ("\(prefix).asn", notice), ("\(prefix).carrier", status), ("\(prefix).asn", Array(returned.utf8)), ("\(prefix).asn", despatch),
        ] {
            try await producer.send(KafkaOutgoingRecord(topic: topic, key: nil, value: value, timestampMilliseconds: time.epochSeconds * 1000))
        }
        await producer.shutdown()
        let outputs = try await HubIntegrationTests.readOutputs(
            configuration, count: 4,
            topics: [configuration.topics.acknowledgments, configuration.topics.acknowledgmentsReceived, configuration.topics.rejected])
        let acks = outputs.filter { $0.topic == configuration.topics.acknowledgments }
        hub.stop()
        try await running.value

        #expect(acks.count == 3, "\(acks.map { String(decoding: $0.value, as: UTF8.self) })")
        for (input, partner) in [(notice, "ACME-INDUSTRIAL"), (status, "ODFL"), (despatch, "NORDWERK")] {
            guard case .success(let expected) = Acknowledgments.make(input, snapshot: HubIntegrationTests.network, time: time) else {
                Issue.record("no acknowledgment for \(partner)")
                continue
            }
            let record = try #require(acks.first { $0.key == Array(partner.utf8) }, "no acknowledgment keyed \(partner)")
            #expect(record.value == expected[0].bytes)
            #expect(record.header("crossdock-partner")?.stringValue == partner)
            #expect(record.header("content-type")?.stringValue == (partner == "NORDWERK" ? "application/edifact" : "application/edi-x12"))
            #expect(record.header(AcknowledgmentRecord.status)?.stringValue == "accepted")
            #expect(record.header(AcknowledgmentRecord.acknowledges)?.stringValue == expected[0].acknowledges)
            #expect(record.header("crossdock.source.topic")?.stringValue != nil)
        }
        #expect(hub.metrics.render().contains(#"crossdock_acknowledgments_total{partner="ACME-INDUSTRIAL",status="accepted"} 1"#))
        // The 997 ACME sent is recorded as it came, not rejected as a document Crossdock does not read.
        #expect(outputs.filter { $0.topic == configuration.topics.rejected }.isEmpty)
        let received = outputs.filter { $0.topic == configuration.topics.acknowledgmentsReceived }
        #expect(received.count == 1)
        #expect(received.first?.value == Array(returned.utf8))
        #expect(received.first?.key == Array("ACME-INDUSTRIAL".utf8))
        #expect(received.first?.header(AcknowledgmentRecord.format)?.stringValue == "x12-997")
        #expect(received.first?.header(AcknowledgmentRecord.status)?.stringValue == "accepted")
        #expect(received.first?.header(AcknowledgmentRecord.acknowledges)?.stringValue == "77")
    }
}

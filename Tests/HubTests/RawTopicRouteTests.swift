import Formats
import Hub
import Normalize
import TestSupport
import Testing

/// Which kind of input and which owning partner the hub gives a raw topic, by name or by pattern.
@Suite("Raw topic routes")
struct RawTopicRouteTests {
    private func configuration(_ yaml: String) throws -> HubConfiguration {
        var settings = HubConfiguration()
        try settings.apply(yaml: yaml, file: "hub.yaml")
        return settings
    }

    @Test("acknowledgments: the acks topic and our X12 ids are configured, and bad settings stop the hub at start")
    func acknowledgmentSettings() throws {
        let settings = try configuration(
            """
            topics: {acknowledgments: partners.acks}
            acknowledgments: {x12: {qualifier: "01", id: "123456789", group: DCHUB}}
            """)
        #expect(settings.topics.acknowledgments == "partners.acks")
        #expect(settings.x12AcknowledgmentSender == .init(qualifier: "01", id: "123456789", groupID: "DCHUB"))
        #expect(HubConfiguration().topics.acknowledgments == "crossdock.acks.outbound.v1")
        for bad in [
            "acknowledgments: {x12: {qualifier: ZZ}}", "acknowledgments: {x12: {qualifier: ZZ, id: X, grup: Y}}",
            "acknowledgments: {x12: {qualifier: ZZZ, id: X}}", "acknowledgments: {edi: {}}", "topics: {acknowledgments: 'a b'}",
        ] {
            #expect(throws: HubConfiguration.ConfigurationError.self, "\(bad)") { try configuration(bad) }
        }
    }

    @Test("a topic's own entry wins over a pattern; patterns match from the start of the name")
    func namesAndPatterns() throws {
        let settings = try configuration(
            #"""
            topics:
              raw: {'^suppliers\..*\.asn\.raw$': asn, suppliers.odd.asn.raw: auto, '^scanners\.': scan}
              partners: {'^suppliers\.acme\.': ACME-INDUSTRIAL}
            """#)
        #expect(settings.route(of: "suppliers.acme.asn.raw") == RawTopicRoute(kind: .asn, partner: "ACME-INDUSTRIAL"))
        #expect(settings.route(of: "suppliers.globex.asn.raw") == RawTopicRoute(kind: .asn, partner: nil))
        #expect(settings.route(of: "suppliers.odd.asn.raw") == RawTopicRoute(kind: nil, partner: nil))
        #expect(settings.route(of: "scanners.dc-atl.v2") == RawTopicRoute(kind: .scan, partner: nil))
        #expect(settings.route(of: "old.scanners.dc-atl") == RawTopicRoute(kind: nil, partner: nil))
        #expect(settings.route(of: "suppliers.acme.asn.raw.bak") == RawTopicRoute(kind: nil, partner: "ACME-INDUSTRIAL"))
    }

    @Test("the default raw topics route by name")
    func defaults() {
        let settings = HubConfiguration()
        #expect(settings.route(of: "scanners.events.raw").kind == .scan)
        #expect(settings.route(of: "suppliers.asn.raw").kind == .asn)
        #expect(settings.route(of: "carriers.status.raw").kind == .carrier)
    }

    @Test("a pattern that is not a regular expression is a configuration error naming the setting")
    func badPattern() {
        for yaml in ["topics:\n  raw: {'^scanners.(': scan}\n", "topics:\n  partners: {'^a[': ACME}\n"] {
            #expect {
                _ = try configuration(yaml)
            } throws: { error in
                "\(error)".contains("hub.yaml: topics.") && "\(error)".contains("not a valid topic pattern")
            }
        }
    }

    @Test("a topic name Kafka refuses is a configuration error naming the setting, for outputs and raw topics")
    func badTopicNames() throws {
        let long = String(repeating: "t", count: 250)
        for (yaml, setting) in [
            ("topics:\n  rejected: 'crossdock rejected'\n", "topics.rejected"),
            ("topics:\n  inventoryEvents: '..'\n", "topics.inventoryEvents"),
            ("topics:\n  shipmentNotices: \(long)\n", "topics.shipmentNotices"),
            ("topics:\n  carrierStatus: 'carriers/status'\n", "topics.carrierStatus"),
            ("topics:\n  raw: {'scans raw': scan}\n", "topics.raw"),
            ("topics:\n  partners: {'acme#asn': ACME}\n", "topics.partners"),
        ] {
            #expect {
                _ = try configuration(yaml)
            } throws: { error in
                "\(error)".contains("hub.yaml: \(setting)") && "\(error)".contains("not a valid Kafka topic name")
            }
        }
        // Every character Kafka allows, and the longest name.
        let allowed = try configuration("topics:\n  rejected: Crossdock_rejected-v1.2\n  inventoryEvents: \(String(long.dropFirst()))\n")
        #expect(allowed.topics.rejected == "Crossdock_rejected-v1.2")
        #expect(allowed.topics.inventoryEvents.count == 249)
    }

    @Test("workers: 1 by default, from YAML or CROSSDOCK_WORKERS, never below 1")
    func workers() throws {
        #expect(HubConfiguration().workers == 1)
        #expect(try configuration("workers: 3\n").workers == 3)
        var settings = HubConfiguration()
        try settings.apply(environment: ["CROSSDOCK_WORKERS": "2"])
        #expect(settings.workers == 2)
        #expect(throws: (any Error).self) { _ = try configuration("workers: 0\n") }
        #expect(throws: (any Error).self) { try settings.apply(environment: ["CROSSDOCK_WORKERS": "many"]) }
    }
}

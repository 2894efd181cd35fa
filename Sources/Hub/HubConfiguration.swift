public import Formats
public import Kafka
public import Normalize
import Foundation
import MasterData
import Yams

/// Everything `crossdock run` needs: from a YAML file, then environment variables, then flags
/// (later sources win).
///
/// ```yaml
/// brokers: kafka-1:9092,kafka-2:9092
/// group: crossdock
/// masterdata: /etc/crossdock/network
/// http: 127.0.0.1:8080
/// maxInFlight: 10000
/// maxRecordBytes: 10485760
/// workers: 1          # threads that normalise the scans of a poll (for machines with cores to spare)
/// topics:
///   raw: {suppliers.asn.raw: asn, scanners.events.raw: scan, carriers.status.raw: carrier, partners.mixed.raw: auto}
///   shipmentNotices: canonical.shipment-notices.v1
///   rejected: crossdock.rejected.v1
///   partners: {suppliers.acme.asn.raw: ACME-INDUSTRIAL}   # topics that belong to one partner
///   # a key that starts with ^ is a pattern over topic names: every matching topic, also one
///   # created later (librdkafka looks for new topics every topic.metadata.refresh.interval.ms)
///   # raw: {'^suppliers\..*\.asn\.raw$': asn}
/// librdkafka: {security.protocol: SASL_SSL, sasl.mechanism: SCRAM-SHA-512}
/// ```
/// Environment: `CROSSDOCK_BROKERS`, `CROSSDOCK_GROUP`, `CROSSDOCK_MASTERDATA`, `CROSSDOCK_HTTP`, `CROSSDOCK_WORKERS`,
/// and `CROSSDOCK_LIBRDKAFKA_<PROPERTY>` with dots written as underscores
/// (`CROSSDOCK_LIBRDKAFKA_SASL_PASSWORD`).
public struct HubConfiguration: Sendable {
    public var brokers: [String] = ["127.0.0.1:19092"]
    public var group = "crossdock"
    public var masterdata: String?
    public var http = "127.0.0.1:8080"
    public var topics = Topics()
    /// Raw topic or `^pattern` (``TopicSelector``) → the kind of input on it (`nil`: recognise each
    /// record).
    public var rawTopics: [String: Source?]
    /// Output records produced but not yet acknowledged, before the consumer pauses.
    public var maxInFlight = 10_000
    public var maxRecordBytes = 10 * 1024 * 1024
    /// The largest output record (key, value and headers) the hub produces: Kafka's default
    /// producer and topic limits. The producer's `message.max.bytes` is set above it. A dead-letter
    /// record is cut to fit; a canonical event above it is rejected (`MESSAGE_TOO_LARGE`).
    public var maxOutputBytes = 1_000_000
    /// Our ISA05/ISA06 and GS02 on X12 acknowledgments; nil: the receiver the partner sent to.
    public var x12AcknowledgmentSender: X12AcknowledgmentOptions.Sender? = nil
    /// Our UNB S002 (id, qualifier) on CONTRLs; nil: the recipient the partner sent to.
    public var edifactAcknowledgmentSender: (id: String, qualifier: String)? = nil
    /// Threads that normalise the scans of a poll; outputs are still produced in input order. More
    /// than one helps only where cores are idle: on two cores shared with the broker it did not
    /// raise throughput and cost CPU per message (docs/performance.md).
    public var workers = 1
    /// How often stored offsets are committed.
    public var commitInterval: Duration = .seconds(1)
    /// Pass-through librdkafka properties.
    public var librdkafka: [String: String] = [:]
    /// Raw topic or `^pattern` → the partner that owns it (one topic per partner): records on it speak for that
    /// partner only; a document naming another sender is rejected with `PARTNER_MISMATCH`.
    public var topicPartners: [String: String] = [:]
    /// The reconciliation stage (`crossdock correlate`): its consumer group, and how long a receipt
    /// stays open without a scan, in event time (`reconciliation: {group: ..., closeAfter: 24h}`).
    public var reconcileGroup = Topics.defaultReconcileGroup
    public var reconcileCloseAfter: Duration = .seconds(24 * 3600)

    public init() {
        let topics = Topics()
        rawTopics = [topics.rawShipNotices: .asn, topics.rawScans: .scan, topics.rawCarrierStatus: .carrier]
    }

    public struct ConfigurationError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Applies a YAML configuration file.
    public mutating func apply(yaml text: String, file: String) throws {
        if let line = YAMLNesting.firstTooDeep(text) {
            throw ConfigurationError(description: "\(file):\(line): nests more than \(YAMLNesting.limit) levels deep")
        }
        guard let root = try Yams.load(yaml: text) as? [String: Any] else {
            throw ConfigurationError(description: "\(file): the configuration must be a YAML mapping")
        }
        for (key, value) in root {
            switch key {
            case "brokers": brokers = "\(value)".split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            case "group": group = "\(value)"
            case "masterdata": masterdata = "\(value)"
            case "http": http = "\(value)"
            case "maxInFlight": maxInFlight = try integer(value, key, file)
            case "maxRecordBytes":
                maxRecordBytes = try integer(value, key, file)
                guard maxRecordBytes >= 1 else { throw ConfigurationError(description: "\(file): maxRecordBytes must be at least 1") }
            case "maxOutputBytes":
                maxOutputBytes = try integer(value, key, file)
                guard maxOutputBytes >= Self.minimumOutputBytes else {
                    throw ConfigurationError(description: "\(file): maxOutputBytes must be at least \(Self.minimumOutputBytes)")
                }
            case "workers":
                workers = try integer(value, key, file)
                guard workers >= 1 else { throw ConfigurationError(description: "\(file): workers must be at least 1") }
            case "librdkafka":
                guard let map = value as? [String: Any] else { throw ConfigurationError(description: "\(file): librdkafka must be a mapping") }
                for (property, setting) in map { librdkafka[property] = "\(setting)" }
            case "topics":
                guard let map = value as? [String: Any] else { throw ConfigurationError(description: "\(file): topics must be a mapping") }
                try applyTopics(map, file)
            case "acknowledgments":
                try applyAcknowledgments(value, file)
            case "reconciliation":
                guard let map = value as? [String: Any] else {
                    throw ConfigurationError(description: "\(file): reconciliation must be a mapping")
                }
                for (setting, text) in map {
                    switch setting {
                    case "group": reconcileGroup = "\(text)"
                    case "closeAfter":
                        guard let period = Self.period("\(text)") else {
                            throw ConfigurationError(description: "\(file): reconciliation.closeAfter must be a period such as 90m, 24h or 2d")
                        }
                        reconcileCloseAfter = period
                    default: throw ConfigurationError(description: "\(file): unknown setting 'reconciliation.\(setting)'")
                    }
                }
            default:
                throw ConfigurationError(description: "\(file): unknown setting '\(key)'")
            }
        }
    }

    /// `acknowledgments: {x12: {qualifier: ZZ, id: CROSSDOCK, group: CROSSDOCK}}`: our side of the
    /// envelope of the acknowledgments sent back.
    private mutating func applyAcknowledgments(_ value: Any, _ file: String) throws {
        guard let map = value as? [String: Any] else { throw ConfigurationError(description: "\(file): acknowledgments must be a mapping") }
        for (key, value) in map {
            switch key {
            case "x12":
                guard let ids = value as? [String: Any], let qualifier = ids["qualifier"].map({ "\($0)" }), let id = ids["id"].map({ "\($0)" })
                else {
                    throw ConfigurationError(description: "\(file): acknowledgments.x12 must give qualifier and id (and group, GS02)")
                }
                let unknown = Set(ids.keys).subtracting(["qualifier", "id", "group"])
                guard unknown.isEmpty else {
                    throw ConfigurationError(description: "\(file): acknowledgments.x12: unknown setting '\(unknown.sorted()[0])' (known: qualifier, id, group)")
                }
                guard (1...2).contains(qualifier.count), (1...15).contains(id.count) else {
                    throw ConfigurationError(description: "\(file): acknowledgments.x12: qualifier has 1-2 characters (ISA05), id 1-15 (ISA06)")
                }
                x12AcknowledgmentSender = X12AcknowledgmentOptions.Sender(
                    qualifier: qualifier, id: id, groupID: ids["group"].map { "\($0)" } ?? id)
            case "edifact":
                guard let ids = value as? [String: Any], let id = ids["id"].map({ "\($0)" }) else {
                    throw ConfigurationError(description: "\(file): acknowledgments.edifact must give id (and qualifier: UNB S002)")
                }
                let unknown = Set(ids.keys).subtracting(["id", "qualifier"])
                guard unknown.isEmpty, (1...35).contains(id.count) else {
                    throw ConfigurationError(description: "\(file): acknowledgments.edifact: an id of 1-35 characters and a qualifier (known: id, qualifier)")
                }
                edifactAcknowledgmentSender = (id, ids["qualifier"].map { "\($0)" } ?? "")
            default:
                throw ConfigurationError(description: "\(file): acknowledgments: unknown setting '\(key)' (known: x12, edifact)")
            }
        }
    }

    private func checkSelector(_ topic: String, _ setting: String, _ file: String) throws {
        do {
            _ = try TopicSelector(topic)
        } catch {
            throw ConfigurationError(description: "\(file): \(setting): \(error.description)")
        }
    }

    /// Whether Kafka accepts `name` for a topic: 1 to 249 of `a-z A-Z 0-9 . _ -`, not `.` or `..`.
    public static func isValidTopicName(_ name: String) -> Bool {
        let legal = name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                true
            default: false
            }
        }
        return legal && (1...249).contains(name.utf8.count) && name != "." && name != ".."
    }

    static let topicNameRule = "not a valid Kafka topic name (1 to 249 of a-z A-Z 0-9 . _ -, not . or ..)"

    /// An output topic's name, checked when the configuration is read: a bad one stops the hub at
    /// start, naming the setting, not at its first record.
    private static func topicName(_ name: String, _ setting: String, _ file: String) throws -> String {
        guard isValidTopicName(name) else {
            throw ConfigurationError(description: "\(file): \(setting): '\(name)' is \(topicNameRule)")
        }
        return name
    }

    private func integer(_ value: Any, _ key: String, _ file: String) throws -> Int {
        guard let number = (value as? Int) ?? Int("\(value)") else {
            throw ConfigurationError(description: "\(file): \(key) must be a whole number")
        }
        return number
    }

    private mutating func applyTopics(_ map: [String: Any], _ file: String) throws {
        for (key, value) in map {
            let name = "\(value)"
            switch key {
            case "raw":
                guard let raw = value as? [String: Any] else { throw ConfigurationError(description: "\(file): topics.raw must map topics to asn, scan, carrier or auto") }
                rawTopics = [:]
                for (topic, kind) in raw {
                    try checkSelector(topic, "topics.raw", file)
                    if "\(kind)" == "auto" {
                        rawTopics[topic] = .some(nil)
                    } else if let source = Source(rawValue: "\(kind)") {
                        rawTopics[topic] = source
                    } else {
                        throw ConfigurationError(description: "\(file): topics.raw.\(topic) must be asn, scan, carrier or auto")
                    }
                }
            case "shipmentNotices": topics.shipmentNotices = try Self.topicName(name, "topics.\(key)", file)
            case "inventoryEvents": topics.inventoryEvents = try Self.topicName(name, "topics.\(key)", file)
            case "carrierStatus": topics.carrierStatus = try Self.topicName(name, "topics.\(key)", file)
            case "rejected": topics.rejected = try Self.topicName(name, "topics.\(key)", file)
            case "acknowledgments": topics.acknowledgments = try Self.topicName(name, "topics.\(key)", file)
            case "acknowledgmentsReceived": topics.acknowledgmentsReceived = try Self.topicName(name, "topics.\(key)", file)
            case "receiptReconciliations": topics.receiptReconciliations = try Self.topicName(name, "topics.\(key)", file)
            case "supplierScorecards": topics.supplierScorecards = try Self.topicName(name, "topics.\(key)", file)
            case "masterDataLocations": topics.masterDataLocations = try Self.topicName(name, "topics.\(key)", file)
            case "masterDataItems": topics.masterDataItems = try Self.topicName(name, "topics.\(key)", file)
            case "masterDataPartners": topics.masterDataPartners = try Self.topicName(name, "topics.\(key)", file)
            case "partners":
                guard let owners = value as? [String: Any] else {
                    throw ConfigurationError(description: "\(file): topics.partners must map raw topics to partner ids")
                }
                for (topic, partner) in owners {
                    try checkSelector(topic, "topics.partners", file)
                    topicPartners[topic] = "\(partner)"
                }
            default: throw ConfigurationError(description: "\(file): unknown topic setting '\(key)'")
            }
        }
    }

    /// Applies `CROSSDOCK_*` environment variables. `CROSSDOCK_LIBRDKAFKA_<PROPERTY>_FILE` names a
    /// file that holds the value (a mounted secret: `CROSSDOCK_LIBRDKAFKA_SASL_PASSWORD_FILE`); one
    /// trailing line break is dropped.
    public mutating func apply(environment: [String: String]) throws {
        if let value = environment["CROSSDOCK_BROKERS"] { brokers = value.split(separator: ",").map(String.init) }
        if let value = environment["CROSSDOCK_GROUP"] { group = value }
        if let value = environment["CROSSDOCK_MASTERDATA"] { masterdata = value }
        if let value = environment["CROSSDOCK_HTTP"] { http = value }
        if let value = environment["CROSSDOCK_WORKERS"] {
            guard let number = Int(value), number >= 1 else { throw ConfigurationError(description: "CROSSDOCK_WORKERS must be a whole number of at least 1") }
            workers = number
        }
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) where key.hasPrefix("CROSSDOCK_LIBRDKAFKA_") {
            var name = String(key.dropFirst("CROSSDOCK_LIBRDKAFKA_".count))
            var setting = value
            if name.hasSuffix("_FILE") {
                name.removeLast("_FILE".count)
                guard let contents = FileManager.default.contents(atPath: value) else {
                    throw ConfigurationError(description: "\(key): cannot read \(value)")
                }
                setting = String(decoding: contents, as: UTF8.self)
                if setting.hasSuffix("\n") { setting.removeLast() }
                if setting.hasSuffix("\r") { setting.removeLast() }
            }
            librdkafka[name.lowercased().replacingOccurrences(of: "_", with: ".")] = setting
        }
    }

    public var kafka: KafkaConfiguration { KafkaConfiguration(bootstrapServers: brokers, properties: librdkafka) }

    /// The settings of the hub's core (``HubPipeline``).
    public var pipelineSettings: HubPipeline.Settings {
        HubPipeline.Settings(maxInFlight: maxInFlight, commitInterval: commitInterval)
    }

    /// Below this, a dead-letter record's reason would not fit beside any of its original.
    public static let minimumOutputBytes = 64 << 10

    /// The producer's configuration: `message.max.bytes` above ``maxOutputBytes`` (what the hub
    /// produces is bounded by it; librdkafka counts a little more per record). One set lower by
    /// hand is a configuration error: records the hub must write would be refused.
    public func producerConfiguration() throws -> KafkaConfiguration {
        var configuration = kafka
        let needed = maxOutputBytes + (64 << 10)
        if let given = librdkafka["message.max.bytes"] {
            guard let bytes = Int(given), bytes >= needed else {
                throw ConfigurationError(
                    description: "librdkafka message.max.bytes \(given) is below maxOutputBytes \(maxOutputBytes) + 65536: lower maxOutputBytes or raise it")
            }
        } else {
            configuration.properties["message.max.bytes"] = String(needed)
        }
        return configuration
    }
}

extension HubConfiguration {
    /// `90m`, `24h`, `2d`: a whole number of minutes, hours or days.
    public static func period(_ text: String) -> Duration? {
        guard let unit = text.last, let count = Int64(text.dropLast()), count > 0, count <= 3650 * 24 * 60 else { return nil }
        switch unit {
        case "m": return .seconds(count * 60)
        case "h": return .seconds(count * 3600)
        case "d": return .seconds(count * 86400)
        default: return nil
        }
    }
}

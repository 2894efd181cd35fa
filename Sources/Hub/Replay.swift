public import Kafka
public import Logging
public import MasterData
public import Model

/// Writes master data to the compacted topics: each location (key: id), alias
/// (key: `alias/<site>/<code>`) and item (key: sku) as one JSON record.
public enum MasterDataPublisher {
    public static func publish(
        _ snapshot: MasterDataSnapshot, topics: Topics, configuration: KafkaConfiguration, logger: Logger
    ) async throws -> (locations: Int, aliases: Int, items: Int) {
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        for location in snapshot.locations.values.sorted(by: { $0.id < $1.id }) {
            try await producer.send(
                KafkaOutgoingRecord(topic: topics.masterDataLocations, key: Array(location.id.utf8), value: location.jsonBytes()))
        }
        for alias in snapshot.aliases {
            try await producer.send(
                KafkaOutgoingRecord(topic: topics.masterDataLocations, key: Array(alias.key.utf8), value: alias.jsonBytes()))
        }
        for item in snapshot.items.values.sorted(by: { $0.sku < $1.sku }) {
            try await producer.send(KafkaOutgoingRecord(topic: topics.masterDataItems, key: Array(item.sku.utf8), value: item.jsonBytes()))
        }
        await producer.shutdown()
        return (snapshot.locations.count, snapshot.aliases.count, snapshot.items.count)
    }
}

/// Re-injects rejected records into the raw topic they came from, with their original key and
/// bytes, once the master data or partner profile that rejected them is fixed.
public enum Replayer {
    public struct Filter: Sendable {
        public var code: String?
        public var partner: String?
        /// Only rejections written at or after this time.
        public var since: Timestamp?

        public init(code: String? = nil, partner: String? = nil, since: Timestamp? = nil) {
            self.code = code
            self.partner = partner
            self.since = since
        }

        func matches(_ record: KafkaConsumerRecord) -> Bool {
            if let code, record.header("crossdock.error.code")?.stringValue != code { return false }
            if let partner, record.header("crossdock.partner")?.stringValue != partner { return false }
            if let since, let stamp = record.timestampMilliseconds, stamp < since.epochSeconds * 1000 { return false }
            return true
        }
    }

    /// Reads the whole rejected topic (until nothing arrives for `idle`), and re-produces the
    /// records that match. Returns (matched, replayed).
    public static func replay(
        _ filter: Filter, topics: Topics, configuration: KafkaConfiguration, logger: Logger, dryRun: Bool = false,
        idle: Duration = .seconds(3)
    ) async throws -> (read: Int, replayed: Int) {
        let offsets = try await MasterDataFeed.fromBeginning([topics.rejected], configuration: configuration, logger: logger)
        let consumer = try KafkaConsumer(configuration: configuration, groupID: "crossdock-replay", logger: logger)
        try consumer.assign(offsets)
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        var read = 0
        var replayed = 0
        var last = ContinuousClock.now
        while ContinuousClock.now - last < idle {
            let records = try await consumer.poll(maxRecords: 500, timeout: .milliseconds(200))
            if !records.isEmpty { last = .now }
            for record in records {
                read += 1
                guard filter.matches(record), let topic = record.header("crossdock.source.topic")?.stringValue else { continue }
                if !dryRun {
                    try await producer.send(
                        KafkaOutgoingRecord(
                            topic: topic, key: record.key, value: record.value,
                            headers: [KafkaHeader(key: "crossdock-replayed-from", string: "\(record.topic)/\(record.partition)/\(record.offset)")]
                                + record.headers.filter { $0.key == "crossdock-partner" },
                            timestampMilliseconds: record.timestampMilliseconds))
                }
                replayed += 1
            }
        }
        await consumer.close()
        await producer.shutdown()
        return (read, replayed)
    }
}

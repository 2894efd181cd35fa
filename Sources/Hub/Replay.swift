import Foundation
public import Kafka
public import Logging
public import MasterData
public import Model

/// Writes master data to the compacted topics: each location (key: id), alias
/// (key: `alias/<site>/<code>`) and item (key: sku) as one JSON record, and each partner profile
/// (key: partner id) as the text of its `partners/*.yaml` file, read from `directory`.
public enum MasterDataPublisher {
    public struct Counts: Sendable {
        public var locations: Int
        public var aliases: Int
        public var items: Int
        public var partners: Int
    }

    public static func publish(
        _ snapshot: MasterDataSnapshot, directory: String?, topics: Topics, configuration: KafkaConfiguration, logger: Logger
    ) async throws -> Counts {
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
        var partners = 0
        if let directory {
            let folder = URL(fileURLWithPath: directory).appendingPathComponent("partners")
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
            for name in files where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path),
                    let text = String(data: data, encoding: .utf8),
                    let profile = MasterDataLoader.partner(yaml: text, name: "partners/\(name)").profile
                else { continue }
                try await producer.send(
                    KafkaOutgoingRecord(topic: topics.masterDataPartners, key: Array(profile.partner.utf8), value: Array(data)))
                partners += 1
            }
        }
        await producer.shutdown()
        return Counts(locations: snapshot.locations.count, aliases: snapshot.aliases.count, items: snapshot.items.count, partners: partners)
    }
}

/// Re-injects rejected records into the raw topic they came from, with their original key, bytes
/// and headers, once the master data or partner profile that rejected them is fixed.
///
/// It reads the dead-letter topic up to the end offsets it finds at its start, and stops there: a
/// record rejected again on replay lands after them and is not read again. A dead-letter record
/// whose value was cut short is replayed from its source position, if the input is still there
/// and its SHA-256 is the one recorded; otherwise it is reported and left.
public enum Replayer {
    public struct Filter: Sendable {
        public var code: String?
        public var partner: String?
        /// Only rejections written at or after this time.
        public var since: Timestamp?
        /// Only rejections written before this time.
        public var until: Timestamp?
        /// Only this partition of the dead-letter topic.
        public var partition: Int32?
        /// Only dead-letter records at these offsets (of ``partition``, or of every partition).
        public var offsets: ClosedRange<Int64>?

        public init(
            code: String? = nil, partner: String? = nil, since: Timestamp? = nil, until: Timestamp? = nil, partition: Int32? = nil,
            offsets: ClosedRange<Int64>? = nil
        ) {
            self.code = code
            self.partner = partner
            self.since = since
            self.until = until
            self.partition = partition
            self.offsets = offsets
        }

        func matches(_ record: KafkaConsumerRecord) -> Bool {
            if let code, record.header(DeadLetter.errorCode)?.stringValue != code { return false }
            if let partner, record.header(DeadLetter.partner)?.stringValue != partner { return false }
            if let since, let stamp = record.timestampMilliseconds, stamp < since.epochSeconds * 1000 { return false }
            if let until, let stamp = record.timestampMilliseconds, stamp >= until.epochSeconds * 1000 { return false }
            if let offsets, !offsets.contains(record.offset) { return false }
            return true
        }
    }

    /// One dead-letter record the replay selected: where it is, where it goes, and what happened.
    public struct Entry: Sendable, CustomStringConvertible {
        public var deadLetter: String
        public var code: String
        public var destination: String?
        /// Nil when it was replayed (or would be, in a dry run); else why not.
        public var skipped: String?

        public var description: String {
            if let skipped { return "skipped \(deadLetter) (\(code)): \(skipped)" }
            return "\(deadLetter) (\(code)) -> \(destination ?? "?")"
        }
    }

    public struct Report: Sendable {
        /// Dead-letter records read.
        public var read = 0
        /// The records selected, replayed or skipped, in the order read.
        public var entries: [Entry] = []
        public var replayed: Int { entries.count { $0.skipped == nil } }
        public var skipped: Int { entries.count { $0.skipped != nil } }
    }

    /// Replays the dead-letter records that match `filter`, up to the end offsets at the start;
    /// `each` sees every selected record as it is handled.
    public static func replay(
        _ filter: Filter, topics: Topics, configuration: KafkaConfiguration, logger: Logger, dryRun: Bool = false,
        each: (Entry) -> Void = { _ in }
    ) async throws -> Report {
        let partitions = try await MasterDataFeed.fromBeginning([topics.rejected], configuration: configuration, logger: logger).keys
            .filter { filter.partition == nil || $0.partition == filter.partition }
        let consumer = try KafkaConsumer(configuration: configuration, groupID: "crossdock-replay", logger: logger)
        let watermarks = try await consumer.watermarks(Array(partitions))
        var report = Report()
        let readable = watermarks.filter { $0.value.low < $0.value.high }
        guard !readable.isEmpty else {
            await consumer.close()
            return report
        }
        try consumer.assign(readable.mapValues { max($0.low, filter.offsets?.lowerBound ?? $0.low) })
        // The end of each partition is the larger of what the leader gave when asked and what the
        // first fetch response says (some Kafka-compatible brokers answer the question with the
        // start of the last batch plus one); nothing is replayed before every end is known, so a
        // record rejected again on replay is never among them.
        var ends: [KafkaTopicPartition: Int64] = [:]
        var held: [KafkaConsumerRecord] = []
        var lastArrival = ContinuousClock.now
        while ends.count < readable.count, ContinuousClock.now - lastArrival < .seconds(10) {
            let records = try await consumer.poll(maxRecords: 500, timeout: .milliseconds(200))
            if !records.isEmpty { lastArrival = .now }
            held += records
            for (partition, fetched) in consumer.fetchedEndOffsets(Array(readable.keys)) where ends[partition] == nil {
                ends[partition] = max(fetched, readable[partition]!.high)
            }
        }
        for (partition, marks) in readable where ends[partition] == nil { ends[partition] = marks.high }
        // The offset of each partition's last record to read.
        var last = ends.mapValues { min($0 - 1, filter.offsets?.upperBound ?? $0 - 1) }
        last = last.filter { partition, end in end >= max(readable[partition]!.low, filter.offsets?.lowerBound ?? 0) }
        // An input goes back whole, whatever its size: the raw topic took it once.
        var producerConfiguration = configuration
        producerConfiguration.properties["message.max.bytes"] = configuration.properties["message.max.bytes"] ?? "100000000"
        let producer = dryRun ? nil : try KafkaProducer(configuration: producerConfiguration, logger: logger)
        var fetcher: OriginalFetcher? = nil
        var remaining = Set(last.keys)
        // Offsets need not be contiguous (compaction, transaction markers): a partition is done when
        // a record at or past its last offset came, or nothing came for a while.
        lastArrival = ContinuousClock.now
        while !remaining.isEmpty, ContinuousClock.now - lastArrival < .seconds(10) {
            var records = held
            held = []
            if records.isEmpty { records = try await consumer.poll(maxRecords: 500, timeout: .milliseconds(200)) }
            if !records.isEmpty { lastArrival = .now }
            for record in records {
                let partition = record.topicPartition
                guard let end = last[partition], record.offset <= end else {
                    remaining.remove(partition)
                    continue
                }
                if record.offset == end { remaining.remove(partition) }
                report.read += 1
                guard filter.matches(record) else { continue }
                var entry = Entry(
                    deadLetter: "\(record.topic)/\(record.partition)/\(record.offset)",
                    code: record.header(DeadLetter.errorCode)?.stringValue ?? "?",
                    destination: record.header(DeadLetter.sourceTopic)?.stringValue)
                defer {
                    report.entries.append(entry)
                    each(entry)
                }
                guard let destination = entry.destination else {
                    entry.skipped = "the rejection names no source topic (it was read from a file)"
                    continue
                }
                var value = record.value
                if record.header(DeadLetter.originalTruncated)?.stringValue == "true" {
                    if fetcher == nil { fetcher = try OriginalFetcher(configuration: configuration, logger: logger) }
                    switch await fetcher!.original(of: record) {
                    case .success(let whole): value = whole
                    case .failure(let reason):
                        entry.skipped = reason.description
                        continue
                    }
                }
                if let producer {
                    // The input's own headers (every name outside the hub's namespace), and where it
                    // was replayed from.
                    let headers =
                        record.headers.filter { !DeadLetter.isReserved($0.key) }
                        + [KafkaHeader(key: DeadLetter.replayedFrom, string: entry.deadLetter)]
                    try await producer.send(
                        KafkaOutgoingRecord(
                            topic: destination, key: record.key, value: value, headers: headers,
                            timestampMilliseconds: record.timestampMilliseconds))
                }
            }
        }
        await fetcher?.close()
        await consumer.close()
        await producer?.shutdown()
        return report
    }
}

/// Fetches the whole input of a dead-letter record that carries only its first bytes, from its
/// source position, and checks it against the SHA-256 the dead letter keeps.
struct OriginalFetcher {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let consumer: KafkaConsumer

    init(configuration: KafkaConfiguration, logger: Logger) throws {
        consumer = try KafkaConsumer(configuration: configuration, groupID: "crossdock-replay-originals", logger: logger)
    }

    func original(of deadLetter: KafkaConsumerRecord) async -> Result<[UInt8], Failure> {
        guard let topic = deadLetter.header(DeadLetter.sourceTopic)?.stringValue,
            let partition = deadLetter.header(DeadLetter.sourcePartition)?.stringValue.flatMap({ Int32($0) }),
            let offset = deadLetter.header(DeadLetter.sourceOffset)?.stringValue.flatMap({ Int64($0) }),
            let sha256 = deadLetter.header(DeadLetter.originalSha256)?.stringValue
        else { return .failure(Failure(description: "the dead letter was cut short and does not say where its input is")) }
        let position = "\(topic)/\(partition)/\(offset)"
        do {
            try consumer.assign([KafkaTopicPartition(topic: topic, partition: partition): offset])
            let deadline = ContinuousClock.now + .seconds(10)
            while ContinuousClock.now < deadline {
                for record in try await consumer.poll(maxRecords: 1, timeout: .milliseconds(200)) {
                    guard record.offset == offset else {
                        return .failure(Failure(description: "its input is no longer at \(position) (the topic's retention removed it)"))
                    }
                    guard SHA256.hex(record.value) == sha256 else {
                        return .failure(Failure(description: "the record at \(position) is not the input that was rejected (SHA-256 differs)"))
                    }
                    return .success(record.value)
                }
            }
        } catch {
            return .failure(Failure(description: "cannot read its input at \(position): \(error)"))
        }
        return .failure(Failure(description: "its input at \(position) did not come within 10 s"))
    }

    func close() async { await consumer.close() }
}

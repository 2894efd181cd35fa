public import Kafka
public import Logging
public import MasterData
import Model
import Reconcile
import Synchronization

/// The reconciliation stage over Kafka (`crossdock correlate`): its own consumer group reads the
/// canonical topics and its repartition topics; each store partition's state lives in memory and
/// in a compacted changelog topic, partition for partition, and is read back from it when the
/// partition is assigned (the Kafka Streams pattern on the project's Kafka layer).
///
/// A poll is one batch, carried out in order: outputs and messages to other stores are produced
/// and delivered, then the changed state to the changelogs, then the offsets are committed. A
/// process killed at any point leaves a changelog that is at most ahead of the committed offsets:
/// the inputs after them come again and change nothing twice (stores recognise events by id),
/// and every output was delivered before the state that records it.
public final class CorrelationService: Sendable {
    public let configuration: HubConfiguration
    /// Master data: loaded from files, then kept current from the master-data topics, as the hub's.
    private let store: MasterDataStore
    private let logger: Logger
    private let core: Mutex<Core>
    private let rebalances = Mutex<[KafkaRebalanceEvent]>([])
    private let stopping = Mutex(false)
    private let counters = Mutex(Counts())
    /// The stores' repartition topics and changelogs, in ``Hop`` order.
    private let repartitionTopics: [String]
    private let changelogTopics: [String]

    /// What the stage has done since it started.
    public struct Counts: Sendable, Hashable {
        public var consumed = 0
        public var reconciliations = 0
        public var scorecards = 0
        public var restoredKeys = 0
        /// Records on the canonical topics that are not canonical events (passed over, logged).
        public var unreadable = 0
        /// Records larger than ``maximumRecordBytes`` (not produced, logged with their key).
        public var oversize = 0
    }

    /// The stores of the partitions this process owns, and the stream time.
    struct Core: Sendable {
        var references: [Int32: ReferenceStore] = [:]
        var shipments: [Int32: ShipmentStore] = [:]
        var scorecards: [Int32: ScorecardStore] = [:]
        var reconciler: Reconciler
        var lastAdvanceWall = ContinuousClock.now
        /// The master-data version the stores read.
        var masterDataVersion: UInt64

        /// Hands each forward to its store at once, breadth first, when this process owns the
        /// store's partition of the key, as ``Reconciler`` does in one process: produced to the
        /// repartition topic, it would come back to this same store in a later poll. Returns the
        /// forwards for partitions other members own, and the records for the output topics.
        ///
        /// The batch's order holds: the state it changes goes to the changelog after its outputs
        /// and before its offsets are committed, and a batch that comes again is recognised by
        /// event id, as a forward read back from the repartition topic again would be.
        mutating func run(_ outputs: [StageOutput], _ layout: StageLayout) -> [StageOutput] {
            StageOutput.deliver(outputs) { hop, key, message in
                let partition = layout.partition(of: hop, key: Array(key.utf8))
                return switch hop {
                case .byReference: references[partition]?.apply(key: key, message)
                case .byShipment: shipments[partition]?.apply(key: key, message)
                case .bySupplier: scorecards[partition]?.apply(key: key, message)
                }
            }
        }
    }

    /// Where a store keeps a key: its partition of the store's repartition topic (and changelog).
    struct StageLayout: Sendable {
        var partitioner: KafkaPartitioner
        var partitions: [Hop: Int32]

        func partition(of hop: Hop, key: [UInt8]) -> Int32 { partitioner.partition(of: key, count: partitions[hop]!) }
    }

    public init(configuration: HubConfiguration, masterData: MasterDataSnapshot, logger: Logger) {
        self.configuration = configuration
        repartitionTopics = Topics.reconcileRepartition(group: configuration.reconcileGroup)
        changelogTopics = Topics.reconcileChangelogs(group: configuration.reconcileGroup)
        store = MasterDataStore(masterData)
        self.logger = logger
        core = Mutex(
            Core(
                reconciler: Reconciler(snapshot: masterData, settings: ReconcileSettings(closeAfter: configuration.reconcileCloseAfter)),
                masterDataVersion: store.version))
    }

    public var masterData: MasterDataStore { store }

    /// The master-data version the running stores read.
    public var masterDataVersionInUse: UInt64 { core.withLock { $0.masterDataVersion } }

    /// Hands master data updated on its topics to the stores, between batches.
    private func followMasterData() {
        guard store.version != core.withLock({ $0.masterDataVersion }) else { return }
        let (snapshot, version) = store.snapshot()
        core.withLock { core in
            core.masterDataVersion = version
            core.reconciler.use(snapshot)
            for partition in core.shipments.keys { core.shipments[partition]!.snapshot = snapshot }
        }
        logger.info("crossdock correlate: master data updated", metadata: ["version": "\(version)"])
    }

    public var counts: Counts { counters.withLock { $0 } }

    /// The largest record the stage writes: a receipt's state or record grows with its units and
    /// scans (a trailer of cartons, each received and put away, is a few MB). Its topics are
    /// created to take them; a larger one is not produced but logged and counted, so that one
    /// hostile shipment cannot stop the stage.
    public static let maximumRecordBytes = 16 << 20

    /// Asks the loop to finish its batch and leave the group.
    public func stop() { stopping.withLock { $0 = true } }

    /// Every owned store's state, by store and key, as its changelog holds it (for comparing a
    /// restarted process with the one before).
    public func states() -> [String: [String: [UInt8]]] {
        core.withLock { core in
            var all: [String: [String: [UInt8]]] = ["references": [:], "shipments": [:], "scorecards": [:]]
            for store in core.references.values { for (key, state) in store.states { all["references"]![key] = state.jsonBytes() } }
            for store in core.shipments.values { for (key, state) in store.states { all["shipments"]![key] = state.jsonBytes() } }
            for store in core.scorecards.values { for (key, state) in store.states { all["scorecards"]![key] = state.jsonBytes() } }
            return all
        }
    }

    /// The partitions whose stores are restored and running.
    public func ownedPartitions() -> Int { core.withLock { $0.shipments.count } }

    public func run() async throws {
        try Librdkafka.requireSupported()
        let topics = configuration.topics
        guard let partitioner = KafkaPartitioner(property: configuration.kafka.properties["partitioner"]) else {
            throw KafkaError(
                code: .other,
                message: "partitioner '\(configuration.kafka.properties["partitioner"] ?? "")' places no key; the stage keeps state by key and needs a key-based one (consistent_random, murmur2_random, fnv1a_random)")
        }
        let layout = StageLayout(partitioner: partitioner, partitions: try await createTopics())
        var producerConfiguration = configuration.kafka
        producerConfiguration.properties["message.max.bytes"] =
            producerConfiguration.properties["message.max.bytes"] ?? String(Self.maximumRecordBytes + (64 << 10))
        let producer = try KafkaProducer(configuration: producerConfiguration, logger: logger)
        // A member that dies is replaced within seconds, as the hub's are (the default would
        // leave its partitions idle for 45 s).
        var consumerConfiguration = configuration.kafka
        consumerConfiguration.properties["session.timeout.ms"] = consumerConfiguration.properties["session.timeout.ms"] ?? "6000"
        consumerConfiguration.properties["heartbeat.interval.ms"] = consumerConfiguration.properties["heartbeat.interval.ms"] ?? "1000"
        let consumer = try KafkaConsumer(
            configuration: consumerConfiguration, groupID: configuration.reconcileGroup, logger: logger,
            onRebalance: { [self] event in rebalances.withLock { $0.append(event) } })
        let restorer = try KafkaConsumer(
            configuration: configuration.kafka, groupID: configuration.reconcileGroup + "-restore", logger: logger)
        try consumer.subscribe(topics: topics.canonical + repartitionTopics)
        logger.info("crossdock correlate: consuming \(topics.canonical + repartitionTopics) as group \(configuration.reconcileGroup)")
        defer { logger.info("crossdock correlate: stopped") }
        // Master data: from the files, then kept current from the compacted topics.
        let feed = Task { [self, logger] in
            do {
                try await MasterDataFeed.follow(
                    store: store, topics: topics, configuration: configuration.kafka, logger: logger,
                    isStopping: { [self] in stopping.withLock { $0 } || Task.isCancelled })
            } catch {
                logger.error("master-data feed stopped: \(error)")
            }
        }
        defer { feed.cancel() }
        do {
            while !stopping.withLock({ $0 }) {
                let records = try await consumer.poll(maxRecords: 500, timeout: .milliseconds(100))
                followMasterData()
                try await handleRebalances(restorer: restorer)
                try await process(records, layout: layout, producer: producer)
                guard !records.isEmpty else { continue }
                var next: [KafkaTopicPartition: Int64] = [:]
                for record in records { next[record.topicPartition] = max(next[record.topicPartition] ?? 0, record.offset + 1) }
                try consumer.storeOffsets(next)
                if let refused = try await consumer.commitUnlessGroupChanges() {
                    logger.warning("crossdock correlate: commit not done: \(refused.message); the next commit takes these offsets")
                }
            }
        } catch {
            feed.cancel()
            await consumer.close()
            await restorer.close()
            await producer.shutdown()
            throw error
        }
        _ = await feed.result
        await consumer.close()
        await restorer.close()
        await producer.shutdown()
    }

    /// The stage's topics, if they do not exist yet: repartition topics and changelogs with as
    /// many partitions as the canonical topics (a store partition and its changelog partition
    /// are one), outputs compacted. Returns each store's partition count, as its repartition
    /// topic has it.
    private func createTopics() async throws -> [Hop: Int32] {
        let admin = try KafkaAdmin(configuration: configuration.kafka, logger: logger)
        defer { Task { await admin.close() } }
        let existing = try await admin.listTopics()
        let partitions = existing.first { $0.name == configuration.topics.inventoryEvents }?.partitionCount ?? 4
        let wanted = Set(configuration.topics.reconciliation + repartitionTopics + changelogTopics)
        let specs = configuration.topics.specs(partitions: partitions, replicationFactor: 1, reconcileGroup: configuration.reconcileGroup)
            .filter { wanted.contains($0.name) }
        let created = try await admin.createTopics(specs)
        var counts = Dictionary(existing.map { ($0.name, $0.partitionCount) }, uniquingKeysWith: { first, _ in first })
        for spec in specs where created[spec.name] == .created { counts[spec.name] = spec.partitions }
        if (repartitionTopics + changelogTopics).contains(where: { counts[$0] == nil }) {
            // Created by another process meanwhile.
            for topic in try await admin.listTopics() { counts[topic.name] = topic.partitionCount }
        }
        var layout: [Hop: Int32] = [:]
        for hop in Hop.allCases {
            guard let count = counts[repartition(of: hop)], count > 0 else {
                throw KafkaError(code: .other, message: "the stage's topic \(repartition(of: hop)) is not in the cluster's metadata")
            }
            // A store partition, its repartition partition and its changelog partition are one:
            // a key's state is read back from the changelog partition its messages go to.
            guard counts[changelog(of: hop)] == count else {
                throw KafkaError(
                    code: .other,
                    message:
                        "\(repartition(of: hop)) has \(count) partitions and \(changelog(of: hop)) \(counts[changelog(of: hop)].map(String.init) ?? "none"); the stage needs the same number in both")
            }
            layout[hop] = Int32(count)
        }
        return layout
    }

    /// Restores the stores of newly assigned partitions from their changelogs; forgets those of
    /// revoked or lost ones (their state is in the changelog for the next owner).
    private func handleRebalances(restorer: KafkaConsumer) async throws {
        let events = rebalances.withLock { events in
            defer { events = [] }
            return events
        }
        for event in events {
            switch event {
            case .assigned(let partitions):
                for partition in partitions {
                    guard let hop = hop(of: partition.topic) else { continue }
                    try await restore(hop, partition.partition, restorer: restorer)
                }
            case .revoked(let partitions), .lost(let partitions):
                core.withLock { core in
                    for partition in partitions {
                        switch hop(of: partition.topic) {
                        case .byReference: core.references[partition.partition] = nil
                        case .byShipment: core.shipments[partition.partition] = nil
                        case .bySupplier: core.scorecards[partition.partition] = nil
                        case nil: break
                        }
                    }
                }
            }
        }
    }


    private func hop(of topic: String) -> Hop? {
        repartitionTopics.firstIndex(of: topic).map { Hop.allCases[$0] }
    }

    private func changelog(of hop: Hop) -> String { changelogTopics[Hop.allCases.firstIndex(of: hop)!] }
    private func repartition(of hop: Hop) -> String { repartitionTopics[Hop.allCases.firstIndex(of: hop)!] }

    /// Reads a changelog partition from its start to its end into a fresh store.
    private func restore(_ hop: Hop, _ partition: Int32, restorer: KafkaConsumer) async throws {
        let source = KafkaTopicPartition(topic: changelog(of: hop), partition: partition)
        let end = try await restorer.watermarks([source])[source]?.high ?? 0
        var references = ReferenceStore(settings: core.withLock { $0.reconciler.references.settings })
        references.batched = true
        var shipments = ShipmentStore(snapshot: core.withLock { $0.reconciler.shipments.snapshot }, settings: core.withLock { $0.reconciler.shipments.settings })
        // A receipt changed by a poll's records is reconciled once, after them.
        shipments.batched = true
        var scorecards = ScorecardStore()
        scorecards.batched = true
        var restored = 0
        if end > 0 {
            try restorer.assign([source: -2])  // from the beginning (RD_KAFKA_OFFSET_BEGINNING)
            var position: Int64 = 0
            let deadline = ContinuousClock.now + .seconds(120)
            while position < end {
                guard ContinuousClock.now < deadline else {
                    throw KafkaError(code: .other, message: "restoring \(source) stopped at offset \(position) of \(end)")
                }
                for record in try await restorer.poll(maxRecords: 1000, timeout: .milliseconds(200)) where record.topicPartition == source {
                    position = record.offset + 1
                    guard let key = record.key.map({ String(decoding: $0, as: UTF8.self) }) else { continue }
                    let value = record.value.isEmpty ? nil : record.value
                    switch hop {
                    case .byReference: try references.restore(key: key, value: value)
                    case .byShipment: try shipments.restore(key: key, value: value)
                    case .bySupplier: try scorecards.restore(key: key, value: value)
                    }
                    restored += 1
                }
            }
            try restorer.assign([:])
        }
        let keys = restored
        core.withLock { core in
            switch hop {
            case .byReference:
                core.reconciler.observe(references.latestActivity)
                core.references[partition] = references
            case .byShipment:
                core.reconciler.observe(shipments.latestActivity)
                core.shipments[partition] = shipments
            case .bySupplier:
                core.scorecards[partition] = scorecards
            }
        }
        counters.withLock { $0.restoredKeys += keys }
        logger.info("crossdock correlate: \(source) restored, \(keys) records")
    }

    /// One poll's records through the stores; then their outputs, then the changed state.
    private func process(_ records: [KafkaConsumerRecord], layout: StageLayout, producer: KafkaProducer) async throws {
        let topics = configuration.topics
        var unreadable = 0
        var unowned = 0
        let (outputs, changes) = core.withLock { core -> ([StageOutput], [KafkaOutgoingRecord]) in
            var outputs: [StageOutput] = []
            for record in records {
                if let hop = hop(of: record.topic) {
                    guard let key = record.key.map({ String(decoding: $0, as: UTF8.self) }),
                        let message = try? StageMessage(json: JSONParser.parse(record.value), at: .root)
                    else {
                        unreadable += 1
                        logger.error("crossdock correlate: \(record.topic)/\(record.partition)/\(record.offset) is not a stage message")
                        continue
                    }
                    if case .fact(let fact) = message { core.reconciler.observe(Reconciler.clockTime(fact.time, recordedAt: fact.recordedAt)) }
                    let partition = record.partition
                    switch hop {
                    case .byReference where core.references[partition] != nil:
                        outputs += core.run(core.references[partition]!.apply(key: key, message), layout)
                    case .byShipment where core.shipments[partition] != nil:
                        outputs += core.run(core.shipments[partition]!.apply(key: key, message), layout)
                    case .bySupplier where core.scorecards[partition] != nil:
                        outputs += core.run(core.scorecards[partition]!.apply(key: key, message), layout)
                    default: unowned += 1
                    }
                } else {
                    guard let event = try? CanonicalEvent(jsonBytes: record.value) else {
                        unreadable += 1
                        logger.warning("crossdock correlate: \(record.topic)/\(record.partition)/\(record.offset) is not a canonical event")
                        continue
                    }
                    if case .inventoryEvent(let scan) = event {
                        core.reconciler.observe(Reconciler.clockTime(scan.time, recordedAt: scan.recordedtime))
                    }
                    outputs += core.run(core.reconciler.router.route(event), layout)
                }
            }
            // Each receipt the poll changed, reconciled once.
            for partition in core.references.keys.sorted() { outputs += core.run(core.references[partition]!.settle(), layout) }
            for partition in core.shipments.keys.sorted() { outputs += core.run(core.shipments[partition]!.settle(), layout) }
            for partition in core.scorecards.keys.sorted() { outputs += core.scorecards[partition]!.settle() }
            // Closing by stream time, looked at once a second at most: it visits every open receipt.
            let now = core.reconciler.streamTime
            let wall = ContinuousClock.now
            if let now, wall - core.lastAdvanceWall >= .seconds(1) {
                core.lastAdvanceWall = wall
                for partition in core.references.keys.sorted() {
                    outputs += core.run(core.references[partition]!.advance(now: now, endOfInput: false), layout)
                }
                for partition in core.shipments.keys.sorted() {
                    outputs += core.run(core.shipments[partition]!.advance(now: now, endOfInput: false), layout)
                }
                for partition in core.scorecards.keys.sorted() {
                    // The scorecards of the receipts that closed.
                    outputs += core.scorecards[partition]!.settle()
                    outputs += core.run(core.scorecards[partition]!.advance(now: now, endOfInput: false), layout)
                }
            }
            var changes: [KafkaOutgoingRecord] = []
            func changelog<S: StageStore>(_ stores: inout [Int32: S], _ topic: String) {
                for partition in stores.keys.sorted() {
                    for (key, state) in stores[partition]!.takeChanges() {
                        changes.append(KafkaOutgoingRecord(topic: topic, partition: partition, key: Array(key.utf8), value: state?.jsonBytes() ?? []))
                    }
                }
            }
            changelog(&core.references, self.changelog(of: .byReference))
            changelog(&core.shipments, self.changelog(of: .byShipment))
            changelog(&core.scorecards, self.changelog(of: .bySupplier))
            return (outputs, changes)
        }
        // A record of a partition whose store was not restored: stop before committing anything.
        guard unowned == 0 else {
            throw KafkaError(code: .other, message: "\(unowned) records of partitions whose state was not restored")
        }
        var produced: [KafkaOutgoingRecord] = []
        var reconciliations = 0
        var scorecards = 0
        for output in outputs {
            switch output {
            case .forward(let hop, let key, let message):
                let key = Array(key.utf8)
                produced.append(
                    KafkaOutgoingRecord(
                        topic: repartition(of: hop), partition: layout.partition(of: hop, key: key), key: key, value: message.jsonBytes()))
            case .reconciliation(let event):
                reconciliations += 1
                produced.append(Self.record(event, topic: topics.receiptReconciliations))
            case .scorecard(let event):
                scorecards += 1
                produced.append(Self.record(event, topic: topics.supplierScorecards))
            }
        }
        try await deliver(produced, producer: producer)
        try await deliver(changes, producer: producer)
        counters.withLock {
            $0.consumed += records.count
            $0.reconciliations += reconciliations
            $0.scorecards += scorecards
            $0.unreadable += unreadable
        }
    }

    static func record<Payload: EventPayload>(_ event: CloudEvent<Payload>, topic: String) -> KafkaOutgoingRecord {
        KafkaOutgoingRecord(
            topic: topic, key: Array(event.subject.utf8), value: event.jsonBytes(),
            headers: [
                KafkaHeader(key: "content-type", string: CloudEvent<Payload>.contentType), KafkaHeader(key: "ce_id", string: event.id),
                KafkaHeader(key: "ce_type", string: Payload.eventType.rawValue), KafkaHeader(key: "ce_source", string: event.source),
            ])
    }

    /// Produces the records in order and waits until every one was delivered; any failure stops
    /// the stage before it commits (at-least-once).
    private func deliver(_ records: [KafkaOutgoingRecord], producer: KafkaProducer) async throws {
        guard !records.isEmpty else { return }
        let failures = Mutex<[String]>([])
        var oversize = 0
        for record in records {
            let size = record.value.count + (record.key?.count ?? 0)
            guard size <= Self.maximumRecordBytes else {
                oversize += 1
                logger.error(
                    "crossdock correlate: a \(size)-byte record for \(record.topic), key \(String(decoding: record.key ?? [], as: UTF8.self)), is over \(Self.maximumRecordBytes) bytes; not produced")
                continue
            }
            var sent = false
            while !sent {
                do {
                    try producer.send(record) { result in
                        if case .failure(let error) = result { failures.withLock { $0.append("\(error)") } }
                    }
                    sent = true
                } catch {
                    guard error.code == .queueFull else { throw error }
                    await producer.serveDeliveries(timeout: .milliseconds(10))
                }
            }
        }
        try await producer.flush(timeout: .seconds(60))
        if oversize > 0 { counters.withLock { $0.oversize += oversize } }
        let failed = failures.withLock { $0 }
        if let first = failed.first {
            throw KafkaError(code: .delivery, message: "\(failed.count) records not delivered, the first: \(first)")
        }
    }
}

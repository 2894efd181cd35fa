import CAllocator
import Dispatch
import Foundation
import Kafka
public import Logging
public import MasterData
public import Model
import Normalize
import Synchronization
import Prometheus
public import ServiceLifecycle

/// `crossdock run`: consumes the raw topics, normalises every record and produces its canonical
/// events and rejections, committing an input offset only after every output for it (and for
/// every earlier record of its partition) was acknowledged by the broker.
///
/// Guarantee: at least once. A crash before the commit of an offset re-delivers the records after
/// the last committed offset; they are normalised again into byte-identical records (ids are
/// deterministic), so consumers see duplicates only within that uncommitted window. Records of one
/// input partition are processed and produced in order, so events of one key keep their order.
public final class HubService: Sendable {
    public let configuration: HubConfiguration
    private let logger: Logger
    private let store: MasterDataStore
    /// The core's decisions (``HubPipeline``), one per pipeline run, fed by the loop and by the
    /// producer's and consumer's callbacks.
    private let pipeline: Mutex<HubPipeline>
    private let stopping = Mutex(false)
    /// The origin of the pipeline's clock.
    private let origin = ContinuousClock.now
    private let counters = Mutex(Counters())

    /// What the hub has done so far.
    public struct Counters: Sendable {
        public var consumed = 0
        public var produced = 0
        public var rejected = 0
        public var committed = 0
        /// Times an output waited for room in the producer's local queue (backpressure from the
        /// broker side).
        public var producerWaits = 0
        /// Times the consumer paused its partitions because `maxInFlight` outputs were unacknowledged.
        public var pauses = 0
    }

    public var counts: Counters { counters.withLock { $0 } }

    /// The most outputs that were in flight at once in the current pipeline.
    public var peakInFlight: Int { pipeline.withLock { $0.tracker.peakInFlight } }

    /// Prometheus metrics of this hub.
    public let metrics = HubMetrics()

    /// What `/readyz` reports.
    /// Ready once the broker answers, master data is loaded and the member has joined its group,
    /// whether or not the group gave it partitions: a standby member (more members than
    /// partitions) is ready to take partitions over, and must not be restarted for having none.
    public struct Readiness: Sendable {
        public var brokerReachable = false
        public var masterDataLoaded = false
        public var joinedGroup = false
        public var partitionsAssigned = 0
        public var isReady: Bool { brokerReachable && masterDataLoaded && joinedGroup }
    }

    private let readinessState = Mutex(Readiness())
    public var readiness: Readiness { readinessState.withLock { $0 } }

    /// The live master data (updated from the master-data topics while running).
    public var masterData: MasterDataStore { store }

    public init(configuration: HubConfiguration, masterData: MasterDataSnapshot, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        store = MasterDataStore(masterData)
        pipeline = Mutex(HubPipeline(settings: configuration.pipelineSettings, now: .zero))
    }

    /// The time on the pipeline's clock.
    private var now: Duration { origin.duration(to: .now) }

    /// Asks the loop to stop: it stops fetching, finishes what is in flight, commits and returns.
    public func stop() { stopping.withLock { $0 = true } }

    private var isStopping: Bool { stopping.withLock { $0 } }

    /// Runs until ``stop()``. When an output cannot be delivered (the broker refused it for good,
    /// or lost its state: a cluster restarted empty no longer knows the idempotent producer), the
    /// pipeline stops without committing past it, says why, and starts again with new clients after
    /// a pause: the uncommitted inputs are read again, so nothing is lost. Other errors throw.
    public func run() async throws {
        while true {
            do {
                try await runPipeline()
                return
            } catch let error as KafkaError where error.code == .delivery {
                guard !isStopping, !Task.isCancelled else { throw error }
                logger.error(
                    "the pipeline stopped: \(error.message); starting again in 5 s with new Kafka clients (uncommitted inputs are read again)")
                readinessState.withLock {
                    $0.partitionsAssigned = 0
                    $0.joinedGroup = false
                }
                metrics.pipelineRestarts.increment()
                try? await Task.sleep(for: .seconds(5))
                guard !isStopping, !Task.isCancelled else { return }
            }
        }
    }

    private func runPipeline() async throws {
        try Librdkafka.requireSupported()
        let configuration = self.configuration
        let logger = self.logger
        pipeline.withLock { $0 = HubPipeline(settings: configuration.pipelineSettings, now: now) }
        var consumerConfiguration = configuration.kafka
        consumerConfiguration.properties["session.timeout.ms"] = consumerConfiguration.properties["session.timeout.ms"] ?? "6000"
        consumerConfiguration.properties["heartbeat.interval.ms"] = consumerConfiguration.properties["heartbeat.interval.ms"] ?? "1000"
        readinessState.withLock { $0.masterDataLoaded = !store.snapshot().snapshot.locations.isEmpty }
        let onError: @Sendable (KafkaError) -> Void = { [self] error in
            if error.code == .transport { readinessState.withLock { $0.brokerReachable = false } }
        }
        // Each output's delivery comes back with the token of its slot (no closure per output).
        let deliveries = DeliverySlots()
        let producedCounters = OutputBatch.Destination.allCases.map { metrics.produced(topic: $0.topic(in: configuration.topics)) }
        let producer = try KafkaProducer(
            configuration: try configuration.producerConfiguration(), logger: logger, onError: onError,
            onDelivered: { [self] batch in delivered(batch, slots: deliveries, producedCounters: producedCounters) })
        let outputTopics = try OutputBatch.Destination.allCases.map { destination throws(KafkaError) in
            try producer.topic(destination.topic(in: configuration.topics))
        }
        // Revoked partitions: wait for their in-flight outputs, then commit what they finished.
        let consumerBox = Mutex<KafkaConsumer?>(nil)
        let consumer = try KafkaConsumer(
            configuration: consumerConfiguration, groupID: configuration.group, logger: logger,
            onRebalance: { [self] event in rebalanced(event, producer: producer, consumer: consumerBox.withLock { $0 }) },
            onError: onError)
        consumerBox.withLock { $0 = consumer }
        try consumer.subscribe(topics: configuration.rawTopics.keys.sorted())
        logger.info("crossdock run: consuming \(configuration.rawTopics.keys.sorted()) as group \(configuration.group)")

        let sideTasks = startSideTasks(producer: producer)
        defer { for task in sideTasks { task.cancel() } }
        var lastLag = ContinuousClock.now
        var snapshot = store.snapshot()
        var normalizer = Normalizer(snapshot: snapshot.snapshot, maximumRecordSize: configuration.maxRecordBytes)
        var routes = RouteCache(configuration: configuration)
        // The outputs of a poll, one batch per thread that makes them, kept for the next poll.
        var batches = [OutputBatch(capacity: Self.writerCapacity)]
        while !Task.isCancelled {
            if isStopping { pipeline.withLock { $0.stopRequested() } }
            // The core decides; this loop carries its actions out.
            guard try await carryOut(pipeline.withLock({ $0.next(now: now) }), consumer: consumer) else { break }
            if ContinuousClock.now - lastLag >= configuration.commitInterval {
                lastLag = .now
                await updateLag(consumer)
            }
            let records = try await consumer.poll(maxRecords: 500, timeout: .milliseconds(100))
            metrics.inFlight.set(Int64(pipeline.withLock { $0.inFlight }))
            if store.version != snapshot.version {
                snapshot = store.snapshot()
                normalizer.snapshot = snapshot.snapshot
                metrics.masterDataUpdates.increment()
                metrics.masterDataVersion.set(Int64(snapshot.version))
            }
            // A slice at a time: a record's outputs wait for the records before it in its slice,
            // not for the whole poll's, before they are produced.
            let allRoutes = routes.routes(of: records)
            for start in stride(from: 0, to: records.count, by: Self.sliceSize) {
                let slice = start..<min(records.count, start + Self.sliceSize)
                let sliced = slice.count == records.count ? records : Array(records[slice])
                let prepared = prepare(sliced, routes: Array(allRoutes[slice]), normalizer: normalizer, into: &batches)
                await send(sliced, prepared, from: batches, producer: producer, topics: outputTopics, deliveries: deliveries)
            }
        }
        try await drain(sideTasks: sideTasks, consumer: consumer, producer: producer)
    }

    /// After the loop: the side tasks end (the master-data feed with the loop; the probe and the
    /// trimming cancelled), what is in flight finishes, what finished is committed, and the group
    /// is left. A failed output ends the pipeline with its reason.
    private func drain(sideTasks: [Task<Void, Never>], consumer: KafkaConsumer, producer: KafkaProducer) async throws {
        for task in sideTasks.dropFirst() { task.cancel() }
        for task in sideTasks { _ = await task.result }
        do { try await producer.flush(timeout: .seconds(30)) } catch {
            logger.warning("outputs still unacknowledged after 30 s: their inputs will be read again (\(error))")
        }
        try await commit(pipeline.withLock { $0.finalCommit() }, consumer)
        await consumer.close()
        await producer.shutdown()
        if let message = pipeline.withLock({ $0.failure }) {
            throw KafkaError(code: .delivery, message: message)
        }
        logger.info("crossdock run: stopped", metadata: ["consumed": "\(counts.consumed)", "produced": "\(counts.produced)"])
    }

    // MARK: The pipeline's phases

    /// Carries out the core's actions before a poll; false when the loop is to end (a stop, or a
    /// restart after a failed output: both drain and commit what finished first).
    private func carryOut(_ actions: [HubPipeline.Action], consumer: KafkaConsumer) async throws -> Bool {
        for action in actions {
            switch action {
            case .pauseAssignment:
                do {
                    let partitions = try consumer.assignment()
                    try consumer.pause(partitions)
                    pipeline.withLock { $0.paused(partitions) }
                    counters.withLock { $0.pauses += 1 }
                } catch {
                    logger.warning("cannot pause the partitions for backpressure: \(error)")
                    metrics.kafkaErrors.increment()
                    pipeline.withLock { $0.paused([]) }
                }
            case .resume(let partitions):
                do { try consumer.resume(partitions) } catch {
                    logger.warning("cannot resume the partitions \(partitions): \(error)")
                    metrics.kafkaErrors.increment()
                }
            case .commit(let offsets):
                try await commit(offsets, consumer)
            case .poll:
                break
            case .drainAndStop, .restart:
                return false
            }
        }
        return true
    }

    /// A batch of delivery reports: each output's slot taken back; acknowledgements go to the core,
    /// a failure stops it (never commit past a lost output: the restart re-processes it).
    private func delivered(_ batch: [KafkaDelivery], slots: DeliverySlots, producedCounters: [Counter]) {
        let taken = slots.take(batch)
        let now = Timestamp.current()
        let nowMilliseconds = now.epochSeconds * 1000 + Int64(now.nanoseconds / 1_000_000)
        var acknowledged = 0
        var byDestination = [Int](repeating: 0, count: OutputBatch.Destination.allCases.count)
        for (slot, error) in taken {
            if let error {
                // Never commit past a lost output: stop, and the restart re-processes it.
                let message = "output of \(slot.partition)@\(slot.offset) not delivered: \(error)"
                logger.critical("\(message)")
                pipeline.withLock { $0.failed(message) }
            } else {
                acknowledged += 1
                byDestination[slot.destination.rawValue] += 1
                if let inputMilliseconds = slot.inputMilliseconds {
                    metrics.latency.record(.milliseconds(max(0, nowMilliseconds - inputMilliseconds)))
                }
            }
        }
        pipeline.withLock { pipeline in
            pipeline.acknowledged(taken.lazy.filter { $0.error == nil }.map { ($0.slot.partition, $0.slot.offset) })
        }
        counters.withLock { $0.produced += acknowledged }
        for (destination, count) in byDestination.enumerated() where count > 0 {
            producedCounters[destination].increment(by: Int64(count))
        }
    }

    /// A rebalance: an assignment joins the group; a revoke waits (bounded) for the revoked
    /// partitions' outputs, then commits what they finished; a loss forgets them.
    private func rebalanced(_ event: KafkaRebalanceEvent, producer: KafkaProducer, consumer: KafkaConsumer?) {
        switch event {
        case .assigned(let partitions):
            logger.info("assigned", metadata: ["partitions": "\(partitions)"])
            metrics.rebalanced("assigned")
            readinessState.withLock {
                $0.partitionsAssigned += partitions.count
                $0.joinedGroup = true
                $0.brokerReachable = true
            }
        case .revoked(let partitions):
            metrics.rebalanced("revoked")
            // Bounded: outputs that cannot be delivered (a broker that lost its state) must
            // not hold the group; what is not drained is not committed, and is read again.
            let deadline = ContinuousClock.now + HubPipeline.revokeDrainLimit
            while !pipeline.withLock({ $0.isDrained(partitions) || $0.failure != nil }), ContinuousClock.now < deadline {
                producer.pollDeliveries()
            }
            if !pipeline.withLock({ $0.isDrained(partitions) }) {
                logger.warning("partitions revoked with outputs still unacknowledged: their inputs will be read again", metadata: ["partitions": "\(partitions)"])
            }
            let offsets = pipeline.withLock { $0.revoked(partitions) }
            if let consumer, !offsets.isEmpty {
                do {
                    try consumer.storeOffsets(offsets)
                    consumer.commitNow()
                } catch {
                    // Not committed: read again by the next owner (duplicates, never a loss).
                    logger.error("commit on revoke failed: \(error); the revoked inputs will be read again")
                    metrics.kafkaErrors.increment()
                }
            }
            readinessState.withLock { $0.partitionsAssigned = max(0, $0.partitionsAssigned - partitions.count) }
        case .lost(let partitions):
            metrics.rebalanced("lost")
            pipeline.withLock { $0.lost(partitions) }
            // Out of the group until it joins again.
            readinessState.withLock {
                $0.joinedGroup = false
                $0.partitionsAssigned = max(0, $0.partitionsAssigned - partitions.count)
            }
        }
    }

    /// The tasks beside the record loop: the master-data feed (first: it ends with the loop), the
    /// broker probe, the allocator's trimming.
    private func startSideTasks(producer: KafkaProducer) -> [Task<Void, Never>] {
        let configuration = self.configuration
        let logger = self.logger
        // Master data: from the files, then kept current from the compacted topics.
        let feed = Task { [self] in
            do {
                try await MasterDataFeed.follow(
                    store: store, topics: configuration.topics, configuration: configuration.kafka, logger: logger,
                    isStopping: { [self] in isStopping || pipeline.withLock { $0.isStopping } })
            } catch {
                logger.error("master-data feed stopped: \(error)")
            }
        }
        // Readiness follows the broker: a metadata round trip every two seconds. A stopped or
        // hung broker keeps its connections open and raises no error for a long time; this notices.
        let probe = Task { [self] in
            var reachable = true
            while !isStopping, !Task.isCancelled {
                let answered = await producer.probe(timeout: .milliseconds(1500))
                if answered != reachable {
                    reachable = answered
                    if answered {
                        logger.notice("the broker answers again")
                    } else {
                        logger.warning("the broker does not answer: not ready until it does; records wait in the consumer and producer queues")
                    }
                }
                readinessState.withLock { $0.brokerReachable = answered }
                try? await Task.sleep(for: .seconds(2))
            }
        }
        // The heap in use stays small (13 MB at its peak under load, measured with heaptrack), but
        // the allocator may keep what librdkafka's and Swift's threads freed after a burst in its
        // per-thread arenas; free pages go back to the system every 10 s, so the resident size
        // follows the heap down again. The heap in use and the allocator's free bytes are metrics,
        // so a growing resident size can be told apart from a growing heap.
        let trim = Task { [self] in
            while !isStopping, !Task.isCancelled {
                try? await Task.sleep(for: .seconds(10))
                metrics.heapInUse.set(Int64(crossdock_heap_in_use()))
                metrics.heapFree.set(Int64(crossdock_heap_free()))
                crossdock_return_free_memory()
            }
        }
        return [feed, probe, trim]
    }

    /// The lag of every assigned partition: from its position where records were consumed, else
    /// from its committed offset (a partition nothing arrived on since the assignment).
    private func updateLag(_ consumer: KafkaConsumer) async {
        do {
            let assigned = try consumer.assignment()
            var lags = try consumer.lag()
            let missing = assigned.filter { lags[$0] == nil }
            if !missing.isEmpty {
                let ends = consumer.fetchedEndOffsets(missing)
                let committed = try await consumer.committed(missing, timeout: .seconds(2))
                for partition in missing {
                    guard let end = ends[partition] else { continue }
                    lags[partition] = max(0, end - ((committed[partition] ?? nil) ?? end))
                }
            }
            for (partition, records) in lags {
                metrics.lag(topic: partition.topic, partition: partition.partition, records: records)
            }
        } catch {
            logger.debug("consumer lag not known this time: \(error)")
        }
    }

    private func commit(_ offsets: [KafkaTopicPartition: Int64], _ consumer: KafkaConsumer) async throws {
        guard !offsets.isEmpty else { return }
        try consumer.storeOffsets(offsets)
        if let refused = try await consumer.commitUnlessGroupChanges() {
            logger.warning("commit not done: \(refused.message); the next commit takes these offsets")
            return
        }
        counters.withLock { $0.committed += offsets.count }
    }

    /// What one input record became: its outputs in one of the poll's batches.
    struct Prepared {
        var batch = 0
        var outputs: Range<Int> = 0..<0
        var rejected = 0
    }

    /// Normalises the records of one poll. Scans go to ``HubConfiguration/workers`` threads in
    /// contiguous runs (a scan depends on nothing but itself and master data); ship notices and
    /// carrier status (fewer, larger) are normalised in order on this thread. The
    /// outputs are produced in input order.
    private func prepare(
        _ records: [KafkaConsumerRecord], routes: [RawTopicRoute], normalizer: Normalizer, into batches: inout [OutputBatch]
    ) -> [Prepared] {
        let kinds = records.indices.map { routes[$0].kind ?? Source.detect(records[$0].value) }
        var prepared = [Prepared](repeating: Prepared(), count: records.count)
        let scans = records.indices.filter { kinds[$0] == .scan }
        let workers = min(configuration.workers, scans.count / Self.scansPerWorker)
        while batches.count < max(workers, 1) { batches.append(OutputBatch(capacity: Self.writerCapacity)) }
        for batch in batches { batch.reset() }
        if workers > 1 {
            let batches = batches
            prepared.withUnsafeMutableBufferPointer { buffer in
                nonisolated(unsafe) let results = buffer
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    let share = scans.count / workers
                    let first = worker * share
                    let last = worker == workers - 1 ? scans.count : first + share
                    for index in scans[first..<last] {
                        results[index] = prepare(records[index], route: routes[index], kind: .scan, normalizer: normalizer, batch: batches[worker])
                        results[index].batch = worker
                    }
                }
            }
        }
        for index in records.indices where workers <= 1 || kinds[index] != .scan {
            prepared[index] = prepare(records[index], route: routes[index], kind: kinds[index], normalizer: normalizer, batch: batches[0])
        }
        return prepared
    }

    /// The records of a poll normalised and produced together.
    static let sliceSize = 64

    /// Below this many scans per thread, a poll is normalised on one thread.
    static let scansPerWorker = 32

    /// The starting size of a thread's output buffer, reused for every output of a poll (a
    /// canonical event is 1-2 KB; it grows to what a poll needs).
    static let writerCapacity = 256 << 10

    /// Normalises one input record into its output records, written into `batch`.
    private func prepare(
        _ record: KafkaConsumerRecord, route: RawTopicRoute, kind: Source?, normalizer: Normalizer, batch: OutputBatch
    ) -> Prepared {
        var input = InputRecord(
            value: record.value, key: record.key, headers: record.headers.compactMap { header in header.stringValue.map { (header.key, $0) } },
            source: .kafka(topic: record.topic, partition: Int(record.partition), offset: Int(record.offset)),
            recordedAt: Self.recordedTime(record), topicPartner: route.partner)
        if input.headers.count < record.headers.count {
            input.unreadableHeaders = record.headers.filter { $0.stringValue == nil }.map(\.key)
        }
        func position() -> Logger.Metadata {
            ["topic": "\(record.topic)", "partition": "\(record.partition)", "offset": "\(record.offset)"]
        }
        let first = batch.outputs.count
        let debug = logger.logLevel <= .debug
        // Each outcome is encoded as it is made, without a list of them (copying an event is a
        // retain of each of its strings). Without a kind the adapters reject it with a reason.
        // The record's rejected documents (and events too large to produce) become its one
        // dead-letter record, written after its events.
        var rejection = RecordRejection(record: input)
        let trace = TraceContext.child(of: record)
        // An acknowledgment a known partner sent is recorded, not read as a document.
        if kind != .scan, recordReceivedAcknowledgment(input, snapshot: normalizer.snapshot, trace: trace, to: batch) {
            return Prepared(outputs: first..<batch.outputs.count, rejected: 0)
        }
        // EDI is seen as it is read, to be acknowledged without a second reading.
        let observer = kind == .scan ? nil : EDIObserver()
        normalizer.normalizeDocuments(input, source: kind ?? .asn, observer: observer) { outcome in
            guard let event = rejection.add(outcome) else { return }
            write(event, to: batch, trace: trace, rejection: &rejection)
            if debug {
                // Events are logged one by one only at debug level (binding one copies it).
                logger.debug("normalised", metadata: position().merging(["event.id": "\(event.id)", "event.type": "\(event.type.rawValue)"]) { $1 })
            }
        }
        // Acknowledgments to the sender (X12 997/TA1, EDIFACT CONTRL), produced with the record's
        // other outputs, so that its offset is committed only once they are delivered too. A
        // replayed record was acknowledged when it first came; a record whose sender headers are
        // unreadable is no one's to acknowledge.
        if kind != .scan, record.value.first != UInt8(ascii: "{"), record.value.count <= configuration.maxRecordBytes,
            input.header(DeadLetter.replayedFrom) == nil, input.headerDiagnostics.isEmpty
        {
            writeAcknowledgments(input, snapshot: normalizer.snapshot, observed: observer, trace: trace, to: batch)
        }
        // The dead letter carries the value itself: the rejection's JSON copy of it is not made.
        if let rejected = rejection.finish(originalLimit: 0) {
            write(rejected, record: record, trace: trace, to: batch)
            metrics.rejected(topic: record.topic, partner: rejected.data.partner ?? "unknown", code: rejected.data.code.rawValue)
            logger.info(
                "rejected",
                metadata: position().merging([
                    "event.id": "\(rejected.id)", "code": "\(rejected.data.code)", "partner": "\(rejected.data.partner ?? "unknown")",
                    "documents": "\(rejected.data.documents?.count ?? 1)",
                ]) { $1 })
            return Prepared(outputs: first..<batch.outputs.count, rejected: 1)
        }
        return Prepared(outputs: first..<batch.outputs.count, rejected: 0)
    }

    /// Produces the outputs of a poll's records, in input order; the tracker learns of each
    /// acknowledgement. A record is begun just before its outputs are sent, so the outputs in
    /// flight are those handed to the producer.
    private func send(
        _ records: [KafkaConsumerRecord], _ prepared: [Prepared], from batches: [OutputBatch], producer: KafkaProducer,
        topics: [KafkaProducer.Topic], deliveries: DeliverySlots
    ) async {
        counters.withLock {
            $0.consumed += records.count
            $0.rejected += prepared.reduce(0) { $0 + $1.rejected }
        }
        // The counters of each topic, looked up once per poll (a poll holds few topics).
        var consumedCounters: [(topic: String, counter: Counter)] = []
        for record in records {
            if let found = consumedCounters.first(where: { $0.topic == record.topic }) {
                found.counter.increment()
            } else {
                let counter = metrics.consumed(topic: record.topic)
                consumedCounters.append((record.topic, counter))
                counter.increment()
            }
        }
        for index in records.indices {
            let record = records[index]
            let batch = batches[prepared[index].batch]
            let outputs = prepared[index].outputs
            pipeline.withLock { $0.begun(record.topicPartition, offset: record.offset, outputs: outputs.count) }
            var next = outputs.lowerBound
            var token: UInt? = nil
            while next < outputs.upperBound {
                // Hands the outputs from `next` on to the producer, until one does not fit in its
                // local queue (then the producer serves acknowledgements off this thread until there
                // is room; the consumer is not polled meanwhile, so nothing more is read) or fails.
                let outcome: SendOutcome = batch.writer.withUnsafeBytes { bytes in
                    while next < outputs.upperBound {
                        let output = batch.outputs[next]
                        let current =
                            token
                            ?? deliveries.add(
                                DeliverySlots.Slot(
                                    partition: record.topicPartition, offset: record.offset,
                                    inputMilliseconds: record.timestampMilliseconds, destination: output.destination))
                        var headers = KafkaHeaderList(capacity: output.headers.count)
                        for header in batch.headers[output.headers] {
                            headers.add(
                                name: UnsafeRawBufferPointer(rebasing: bytes[header.name]),
                                value: header.value.map { UnsafeRawBufferPointer(rebasing: bytes[$0]) })
                        }
                        do throws(KafkaError) {
                            try producer.send(
                                to: topics[output.destination.rawValue], key: output.key.map { UnsafeRawBufferPointer(rebasing: bytes[$0]) },
                                value: UnsafeRawBufferPointer(rebasing: bytes[output.value]), headers: headers, token: current)
                            token = nil
                            next += 1
                        } catch let error where error.code == .queueFull {
                            token = current
                            return .queueFull
                        } catch {
                            _ = deliveries.take(current)
                            return .failed("\(error)")
                        }
                    }
                    return .sent
                }
                switch outcome {
                case .sent:
                    break
                case .queueFull:
                    counters.withLock { $0.producerWaits += 1 }
                    metrics.producerWaits.increment()
                    await producer.serveDeliveries()
                case .failed(let error):
                    logger.critical("cannot produce for \(record.topicPartition)@\(record.offset): \(error)")
                    pipeline.withLock { $0.failed("cannot produce: \(error)") }
                    return
                }
            }
        }
    }

    enum SendOutcome {
        case sent, queueFull
        case failed(String)
    }

    /// `recordedtime`: when the input was recorded on its raw topic (its Kafka timestamp), so that a
    /// re-delivery after a crash produces byte-identical records.
    static func recordedTime(_ record: KafkaConsumerRecord) -> Timestamp {
        guard let milliseconds = record.timestampMilliseconds, milliseconds > 0 else { return Timestamp.current() }
        return Timestamp(epochSeconds: milliseconds / 1000, nanoseconds: Int32(milliseconds % 1000) * 1_000_000)
    }

    /// Writes the Kafka record of a canonical event into `batch`: keyed by subject, in structured
    /// CloudEvents mode. An event larger than ``HubConfiguration/maxOutputBytes`` is not written
    /// but added to the record's rejection: the producer would refuse it, and its partition would
    /// stop there.
    func write(_ event: CanonicalEvent, to batch: OutputBatch, trace: TraceContext, rejection: inout RecordRejection) {
        // One binding per event: each `case let` of an event, and each of `CanonicalEvent`'s
        // accessors, copies the whole event (a kilobyte and a retain per string).
        func write<Payload>(_ event: CloudEvent<Payload>) {
            let start = batch.writer.byteCount
            event.write(to: &batch.writer)
            let value = start..<batch.writer.byteCount
            guard RecordRejection.recordBytes(of: event, valueBytes: value.count) <= configuration.maxOutputBytes else {
                batch.discard(from: start)
                return rejection.add(oversized: event, bytes: value.count, limit: configuration.maxOutputBytes)
            }
            let key = batch.writer.appendRaw(event.subject)
            batch.header("content-type", "application/cloudevents+json")
            batch.header("ce_id", event.id)
            batch.header("ce_type", Payload.eventType.rawValue)
            batch.header("ce_source", event.source)
            batch.header(TraceContext.parentHeader, trace.traceparent)
            if let state = trace.state { batch.header(TraceContext.stateHeader, state) }
            batch.finish(OutputBatch.Destination(Payload.eventType), key: key, value: value)
        }
        switch event {
        case .inventoryEvent(let event): write(event)
        case .shipmentNotice(let event): write(event)
        case .carrierStatus(let event): write(event)
        }
    }

    /// Writes the dead-letter record of an input into `batch`: its key and value as they were, its
    /// headers (as Kafka Connect's dead-letter queue keeps them), and the reason in `crossdock.*`
    /// headers. It always fits in ``HubConfiguration/maxOutputBytes``: the reason's lists are
    /// bounded, and above what is left the value is cut short (`crossdock.original.truncated`),
    /// its length and SHA-256 kept, so the whole record can be fetched from its source position.
    /// The dead letter is the hub's output too: its `traceparent` is the hub's span (a replay then
    /// continues the trace from there), where the input had the sender's.
    /// Records `input` on ``Topics/acknowledgmentsReceived`` when it is an acknowledgment from a
    /// known partner (and the transport names no other) that fits an output record.
    func recordReceivedAcknowledgment(_ input: InputRecord, snapshot: MasterDataSnapshot, trace: TraceContext, to batch: OutputBatch) -> Bool {
        guard input.value.first != UInt8(ascii: "{"), input.value.count <= configuration.maxOutputBytes - 4096,
            input.headerDiagnostics.isEmpty, let received = Acknowledgments.received(input.value)
        else { return false }
        guard let partner = received.partner(in: snapshot), input.transportPartner == nil || input.transportPartner == partner else {
            return false
        }
        let value = batch.writer.appendRaw(input.value)
        let key = batch.writer.appendRaw(partner)
        batch.header(InputRecord.partnerHeader, partner)
        batch.header("content-type", received.contentType)
        batch.header(AcknowledgmentRecord.format, received.format)
        batch.header(AcknowledgmentRecord.status, received.status)
        batch.header(AcknowledgmentRecord.acknowledges, HeaderText.escape(received.acknowledges.joined(separator: ","), maxBytes: 1024))
        batch.sourceHeaders(input.source)
        batch.header(TraceContext.parentHeader, trace.traceparent)
        batch.finish(.acknowledgmentsReceived, key: key, value: value)
        metrics.acknowledgmentReceived(partner: partner, status: received.status)
        logger.info(
            "acknowledgment received", metadata: ["partner": "\(partner)", "format": "\(received.format)", "status": "\(received.status)"])
        return true
    }

    /// The acknowledgments of an EDI input, each to ``Topics/acknowledgments`` keyed by its partner.
    func writeAcknowledgments(
        _ input: InputRecord, snapshot: MasterDataSnapshot, observed observer: EDIObserver?, trace: TraceContext, to batch: OutputBatch
    ) {
        // The key, headers and their framing take well under this.
        let room = configuration.maxOutputBytes - 4096
        guard
            case .success(let written) = Acknowledgments.make(
                input.value, partner: input.transportPartner, snapshot: snapshot, time: input.recordedAt,
                sender: configuration.x12AcknowledgmentSender, edifactSender: configuration.edifactAcknowledgmentSender, maximumBytes: room,
                observed: observer)
        else { return }
        for acknowledgment in written {
            guard acknowledgment.bytes.count <= room else {
                logger.warning(
                    "acknowledgment too large to produce, even with the least detail",
                    metadata: ["partner": "\(acknowledgment.partner)", "bytes": "\(acknowledgment.bytes.count)"])
                continue
            }
            let value = batch.writer.appendRaw(acknowledgment.bytes)
            let key = batch.writer.appendRaw(acknowledgment.partner)
            batch.header(InputRecord.partnerHeader, acknowledgment.partner)
            batch.header("content-type", acknowledgment.contentType)
            batch.header(AcknowledgmentRecord.acknowledges, acknowledgment.acknowledges)
            batch.header(AcknowledgmentRecord.status, acknowledgment.status)
            batch.sourceHeaders(input.source)
            batch.header(TraceContext.parentHeader, trace.traceparent)
            batch.finish(.acknowledgments, key: key, value: value)
            metrics.acknowledged(partner: acknowledgment.partner, status: acknowledgment.status)
        }
    }

    func write(_ rejection: CloudEvent<RejectedRecord>, record: KafkaConsumerRecord, trace: TraceContext, to batch: OutputBatch) {
        let limit = configuration.maxOutputBytes
        let budget = DeadLetter.listBudget(limit)
        // The hub's headers: every value taken from data is bounded (DeadLetter.headers).
        var headers = DeadLetter.headers(rejection.data, budget: budget)
        headers.append((DeadLetter.rejectionID, rejection.id))
        headers.append((TraceContext.parentHeader, trace.traceparent))
        var size = headers.reduce(0) { $0 + DeadLetter.cost($1.key, $1.value.utf8.count) }
        // The input's own headers, but for names in the hub's namespace (a sender cannot forge a
        // reason): as many as fit in their budget, the sender's first, the rest counted.
        let candidates = record.headers.filter { !DeadLetter.isReserved($0.key) && $0.key != TraceContext.parentHeader }
        let ordered = candidates.filter { $0.key == InputRecord.partnerHeader } + candidates.filter { $0.key != InputRecord.partnerHeader }
        var kept: [KafkaHeader] = []
        var keptSize = 0
        for header in ordered {
            let cost = DeadLetter.cost(header.key, header.value?.count ?? 0)
            if keptSize + cost <= budget {
                kept.append(header)
                keptSize += cost
            }
        }
        size += keptSize
        let omittedHeaders = record.headers.count { DeadLetter.isReserved($0.key) } + candidates.count - kept.count
        if omittedHeaders > 0 { size += DeadLetter.cost(DeadLetter.inputHeadersOmitted, 8) }
        // A key larger than a quarter of the limit is left off (its length said): the dead letter's
        // partition is then the producer's choice.
        let keptKey = (record.key?.count ?? 0) <= limit / 4 ? record.key : nil
        if keptKey == nil, let key = record.key { size += DeadLetter.cost(DeadLetter.keyOmitted, String(key.count).utf8.count) }
        size += (keptKey?.count ?? 0) + DeadLetter.cost(DeadLetter.originalTruncated, 4)
        let room = max(0, limit - size - DeadLetter.recordOverhead)
        let value = record.value.count <= room ? batch.writer.appendRaw(record.value) : batch.writer.appendRaw(Array(record.value.prefix(room)))
        let key = keptKey.map { batch.writer.appendRaw($0) }
        for header in headers { batch.header(header.key, header.value) }
        if record.value.count > room { batch.header(DeadLetter.originalTruncated, "true") }
        if keptKey == nil, let original = record.key { batch.header(DeadLetter.keyOmitted, String(original.count)) }
        if omittedHeaders > 0 { batch.header(DeadLetter.inputHeadersOmitted, String(omittedHeaders)) }
        for header in kept { batch.header(header.key, bytes: header.value) }
        batch.finish(.rejected, key: key, value: value)
    }
}

extension Timestamp {
    /// Now, in UTC, to the millisecond.
    public static func current() -> Timestamp {
        let interval = Date().timeIntervalSince1970
        let seconds = Int64(interval.rounded(.down))
        return Timestamp(epochSeconds: seconds, nanoseconds: Int32((interval - Double(seconds)) * 1000) * 1_000_000)
    }
}

/// `crossdock run` as a ServiceLifecycle service: a graceful shutdown (SIGTERM, SIGINT) stops
/// fetching, finishes and commits what is in flight, and returns.
public struct HubLifecycleService: Service {
    public let hub: HubService

    public init(hub: HubService) { self.hub = hub }

    public func run() async throws {
        // A graceful shutdown (signal) and a cancellation (another service of the group failed, for
        // example the HTTP port was taken) both stop the hub the same careful way.
        try await withTaskCancellationHandler {
            try await withGracefulShutdownHandler {
                try await hub.run()
            } onGracefulShutdown: {
                hub.stop()
            }
        } onCancel: {
            hub.stop()
        }
    }
}

/// Topic → its route, worked out once per topic (a pattern may match topics created later).
struct RouteCache {
    let configuration: HubConfiguration
    private var routes: [String: RawTopicRoute] = [:]

    init(configuration: HubConfiguration) { self.configuration = configuration }

    /// Each record's route. A poll's records come in runs of one topic (whose name is one
    /// string): a name is hashed only where the topic changes.
    mutating func routes(of records: [KafkaConsumerRecord]) -> [RawTopicRoute] {
        var last: (topic: String, route: RawTopicRoute)? = nil
        return records.map { record in
            if let last, last.topic == record.topic { return last.route }
            let route: RawTopicRoute
            if let known = routes[record.topic] {
                route = known
            } else {
                route = configuration.route(of: record.topic)
                routes[record.topic] = route
            }
            last = (record.topic, route)
            return route
        }
    }
}

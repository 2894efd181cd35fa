internal import CRdKafka
import Dispatch
public import Logging

/// A consumer-group member with manual offsets: the application stores the offset of a record
/// only when all work for it is done, and ``commit()`` commits what was stored. Nothing is
/// committed automatically.
///
/// Polling, committing and closing are blocking C calls; they run on the consumer's own dispatch
/// queue, never on Swift's cooperative pool. Rebalance callbacks run on that queue too, during a
/// poll, and the handler is told about revocations before the partitions are given up.
public final class KafkaConsumer: Sendable {
    private let client: RDKafkaClient
    private let queue: UncheckedPointer
    private let commitQueue = DispatchQueue(label: "crossdock.kafka.consumer.commit")
    private let closed = AtomicFlag(false)
    private let logger: Logger

    /// - Parameters:
    ///   - groupID: the consumer group (`group.id`).
    ///   - onRebalance: called on the polling thread when partitions are assigned, revoked or lost.
    ///   - onError: client-level errors (brokers down, fatal errors); also logged.
    public init(
        configuration: KafkaConfiguration, groupID: String, logger: Logger,
        onRebalance: (@Sendable (KafkaRebalanceEvent) -> Void)? = nil,
        onError: (@Sendable (KafkaError) -> Void)? = nil
    ) throws(KafkaError) {
        self.logger = logger
        client = try RDKafkaClient(
            kind: .consumer,
            configuration: configuration.resolved(
                defaults: KafkaConfiguration.consumerDefaults, extra: ["group.id": groupID]),
            context: ClientContext(logger: logger, onError: onError, onRebalance: onRebalance),
            rebalanceCallback: true
        )
        // Route the main queue (rebalances, errors, logs) into the consumer queue so one poll
        // serves everything.
        rd_kafka_poll_set_consumer(client.handle)
        queue = UncheckedPointer(rd_kafka_queue_get_consumer(client.handle))
    }

    /// Subscribes to topics; partitions arrive through the group's rebalances.
    public func subscribe(topics: [String]) throws(KafkaError) {
        let entries = topics.map { (KafkaTopicPartition(topic: $0, partition: RD_KAFKA_PARTITION_UA), Int64?.none) }
        let client = self.client
        try withPartitionList(entries) { list throws(KafkaError) in
            let err = rd_kafka_subscribe(client.handle, list)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                throw KafkaError(err, context: "subscribe to \(topics)", fallback: .consumerGroup)
            }
        }
    }

    /// Reads these partitions from these offsets, outside any group rebalancing (instead of
    /// ``subscribe(topics:)``): for tools that inspect or replay a known position.
    public func assign(_ offsets: [KafkaTopicPartition: Int64]) throws(KafkaError) {
        let client = self.client
        try withPartitionList(offsets.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }) {
            list throws(KafkaError) in
            let err = rd_kafka_assign(client.handle, list)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                throw KafkaError(err, context: "assign \(offsets.keys.sorted())", fallback: .consumerGroup)
            }
        }
    }

    /// Waits up to `timeout` for the first record, then returns it with what else is already
    /// queued, at most `maxRecords` in all (none when the timeout passed). It does not wait for
    /// more to fill a batch: librdkafka's batch call waits until the batch is full or the timeout
    /// passes, which held every record of a slow stream for up to `timeout` (measured: p50 73 ms
    /// from input to output at 16,000 scans/s with 500 records and 100 ms).
    /// Partition errors are logged and passed to `onError`, not returned.
    public func poll(maxRecords: Int = 500, timeout: Duration = .milliseconds(100)) async throws(KafkaError)
        -> [KafkaConsumerRecord]
    {
        guard !closed.value else {
            throw KafkaError(code: .closed, message: "the consumer is closed")
        }
        let milliseconds = timeout.librdkafkaMilliseconds
        let queue = self.queue
        let context = client.context
        return await client.blocking {
            var messages = [UnsafeMutablePointer<rd_kafka_message_t>?](repeating: nil, count: max(1, maxRecords))
            let count = messages.withUnsafeMutableBufferPointer { buffer in
                let first = rd_kafka_consume_batch_queue(queue.pointer, milliseconds, buffer.baseAddress, 1)
                guard first == 1, buffer.count > 1 else { return first }
                let more = rd_kafka_consume_batch_queue(queue.pointer, 0, buffer.baseAddress! + 1, buffer.count - 1)
                return 1 + max(0, more)
            }
            guard count > 0 else { return [] }
            var records: [KafkaConsumerRecord] = []
            records.reserveCapacity(count)
            // A batch comes from few topics: name each once, not once per record.
            var names: [(topic: OpaquePointer, name: String)] = []
            func name(_ topic: OpaquePointer?) -> String {
                guard let topic else { return "" }
                if let known = names.first(where: { $0.topic == topic }) { return known.name }
                let made = String(cString: rd_kafka_topic_name(topic))
                names.append((topic, made))
                return made
            }
            for message in messages.prefix(count) {
                guard let message else { continue }
                defer { rd_kafka_message_destroy(message) }
                if message.pointee.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                    let topic = message.pointee.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? "?"
                    let error = KafkaError(
                        message.pointee.err, context: "consume \(topic)[\(message.pointee.partition)]",
                        fallback: .consumerGroup)
                    context.logger.warning("\(error)")
                    context.onError?(error)
                    continue
                }
                records.append(KafkaConsumerRecord(copying: message, topic: name(message.pointee.rkt)))
            }
            return records
        }
    }

    /// Marks a record as done: its offset + 1 will be committed by the next ``commit()``.
    public func storeOffset(for record: KafkaConsumerRecord) throws(KafkaError) {
        try storeOffsets([record.topicPartition: record.offset + 1])
    }

    /// Stores next-offsets to commit (the offset of the next record to read, per partition).
    public func storeOffsets(_ offsets: [KafkaTopicPartition: Int64]) throws(KafkaError) {
        guard !offsets.isEmpty else { return }
        let client = self.client
        try withPartitionList(offsets.map { ($0.key, $0.value) }) { list throws(KafkaError) in
            let err = rd_kafka_offsets_store(client.handle, list)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                throw KafkaError(err, context: "store offsets", fallback: .offsets)
            }
        }
    }

    /// Commits the stored offsets synchronously. Nothing stored is not an error.
    public func commit() async throws(KafkaError) {
        let client = self.client
        let err = await withCheckedContinuation { continuation in
            commitQueue.async { continuation.resume(returning: rd_kafka_commit(client.handle, nil, 0)) }
        }
        if err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR__NO_OFFSET {
            throw KafkaError(err, context: "commit", fallback: .offsets)
        }
    }

    /// Commits the stored offsets as ``commit()`` does, but returns rather than throws a refusal
    /// that says the group is changing: its coordinator away (a broker restarted, retriable) or
    /// this member's generation over (its session timed out; it rejoins). The offsets stay stored
    /// and go with the next commit; if a partition moves meanwhile, its records after the last
    /// commit are read again (at least once). Other failures throw.
    public func commitUnlessGroupChanges() async throws(KafkaError) -> KafkaError? {
        do {
            try await commit()
            return nil
        } catch where error.isRetriable || error.isGroupChange {
            return error
        }
    }

    /// Commits the stored offsets synchronously on the calling thread: for rebalance handlers,
    /// which run on the consumer's polling thread and must commit before giving partitions up.
    public func commitNow() {
        let err = rd_kafka_commit(client.handle, nil, 0)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR__NO_OFFSET {
            logger.warning("commit on rebalance: \(KafkaError(err, context: "commit", fallback: .offsets))")
        }
    }

    /// The committed next-offsets of the group for these partitions (`nil` where none).
    public func committed(_ partitions: [KafkaTopicPartition], timeout: Duration = .seconds(10))
        async throws(KafkaError)
        -> [KafkaTopicPartition: Int64?]
    {
        let client = self.client
        let milliseconds = timeout.librdkafkaMilliseconds
        let result: Result<[KafkaTopicPartition: Int64?], KafkaError> = await withCheckedContinuation { continuation in
            commitQueue.async {
                do throws(KafkaError) {
                    let value = try withPartitionList(partitions.map { ($0, nil) }) { list throws(KafkaError) in
                        let err = rd_kafka_committed(client.handle, list, milliseconds)
                        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                            throw KafkaError(err, context: "committed offsets", fallback: .offsets)
                        }
                        var offsets: [KafkaTopicPartition: Int64?] = [:]
                        for index in 0..<Int(list.pointee.cnt) {
                            let element = list.pointee.elems[index]
                            let key = KafkaTopicPartition(
                                topic: String(cString: element.topic), partition: element.partition)
                            offsets[key] = element.offset >= 0 ? element.offset : nil
                        }
                        return offsets
                    }
                    continuation.resume(returning: .success(value))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }

    /// Stops fetching from these partitions (for backpressure); the group membership stays.
    public func pause(_ partitions: [KafkaTopicPartition]) throws(KafkaError) {
        try pauseOrResume(partitions, pause: true)
    }

    /// Fetches again from paused partitions.
    public func resume(_ partitions: [KafkaTopicPartition]) throws(KafkaError) {
        try pauseOrResume(partitions, pause: false)
    }

    private func pauseOrResume(_ partitions: [KafkaTopicPartition], pause: Bool) throws(KafkaError) {
        guard !partitions.isEmpty else { return }
        let client = self.client
        try withPartitionList(partitions.map { ($0, nil) }) { list throws(KafkaError) in
            let err =
                pause ? rd_kafka_pause_partitions(client.handle, list) : rd_kafka_resume_partitions(client.handle, list)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                throw KafkaError(err, context: pause ? "pause" : "resume", fallback: .consumerGroup)
            }
        }
    }

    /// Records not yet consumed per assigned partition: the high watermark last seen in a fetch
    /// response minus the consumer's position. Partitions without both are left out.
    public func lag() throws(KafkaError) -> [KafkaTopicPartition: Int64] {
        let partitions = try assignment()
        guard !partitions.isEmpty else { return [:] }
        let client = self.client
        return try withPartitionList(partitions.map { ($0, nil) }) { list throws(KafkaError) in
            let err = rd_kafka_position(client.handle, list)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err, context: "position", fallback: .consumerGroup) }
            var lags: [KafkaTopicPartition: Int64] = [:]
            for index in 0..<Int(list.pointee.cnt) {
                let element = list.pointee.elems[index]
                var low: Int64 = 0
                var high: Int64 = 0
                guard rd_kafka_get_watermark_offsets(client.handle, element.topic, element.partition, &low, &high) == RD_KAFKA_RESP_ERR_NO_ERROR,
                    high >= 0, element.offset >= 0
                else { continue }
                lags[KafkaTopicPartition(topic: String(cString: element.topic), partition: element.partition)] = max(0, high - element.offset)
            }
            return lags
        }
    }

    /// The first offset and the end offset (the offset the next record will get) of each
    /// partition, asked of its leader: a reader that stops at the end offsets it took at its start
    /// finishes, however many records are written meanwhile.
    public func watermarks(_ partitions: [KafkaTopicPartition], timeout: Duration = .seconds(10)) async throws(KafkaError)
        -> [KafkaTopicPartition: (low: Int64, high: Int64)]
    {
        let client = self.client
        let milliseconds = timeout.librdkafkaMilliseconds
        let result: Result<[KafkaTopicPartition: (low: Int64, high: Int64)], KafkaError> = await client.blocking {
            var offsets: [KafkaTopicPartition: (low: Int64, high: Int64)] = [:]
            for partition in partitions {
                var low: Int64 = 0
                var high: Int64 = 0
                let err = rd_kafka_query_watermark_offsets(client.handle, partition.topic, partition.partition, &low, &high, milliseconds)
                guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                    return .failure(KafkaError(err, context: "end offsets of \(partition)", fallback: .offsets))
                }
                offsets[partition] = (low, high)
            }
            return .success(offsets)
        }
        return try result.get()
    }

    /// The end offset of each partition as the last fetch response for it said (no request is
    /// made); partitions not fetched yet are left out.
    public func fetchedEndOffsets(_ partitions: [KafkaTopicPartition]) -> [KafkaTopicPartition: Int64] {
        var ends: [KafkaTopicPartition: Int64] = [:]
        for partition in partitions {
            var low: Int64 = 0
            var high: Int64 = 0
            guard rd_kafka_get_watermark_offsets(client.handle, partition.topic, partition.partition, &low, &high) == RD_KAFKA_RESP_ERR_NO_ERROR,
                high >= 0
            else { continue }
            ends[partition] = high
        }
        return ends
    }

    /// The partitions currently assigned to this member.
    public func assignment() throws(KafkaError) -> [KafkaTopicPartition] {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>? = nil
        let err = rd_kafka_assignment(client.handle, &list)
        defer { if let list { rd_kafka_topic_partition_list_destroy(list) } }
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(err, context: "assignment", fallback: .consumerGroup)
        }
        return KafkaTopicPartition.list(from: list).sorted()
    }

    /// Leaves the group (revoking partitions through the rebalance handler) and releases the
    /// client. Commit before closing: stored offsets are not committed here.
    public func close() async {
        guard !closed.exchange(true) else { return }
        let client = self.client
        let queue = self.queue
        let logger = self.logger
        await client.blocking {
            let err = rd_kafka_consumer_close(client.handle)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                logger.warning("consumer close: \(KafkaError(err, context: "close"))")
            }
            rd_kafka_queue_destroy(queue.pointer)
            client.destroy()
        }
    }

    deinit {
        if !closed.value {
            rd_kafka_queue_destroy(queue.pointer)
            // rd_kafka_destroy closes the consumer itself when it was not closed.
        }
    }
}

/// A C pointer that is only touched on the client's own serial queue.
struct UncheckedPointer: @unchecked Sendable {
    let pointer: OpaquePointer
    init(_ pointer: OpaquePointer) { self.pointer = pointer }
}

extension KafkaConsumerRecord {
    init(copying message: UnsafeMutablePointer<rd_kafka_message_t>, topic: String) {
        let m = message.pointee
        let value = m.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: m.len)) } ?? []
        let key = m.key.map { Array(UnsafeRawBufferPointer(start: $0, count: m.key_len)) }
        var headers: [KafkaHeader] = []
        var list: OpaquePointer? = nil
        if rd_kafka_message_headers(message, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list {
            var index = 0
            var name: UnsafePointer<CChar>? = nil
            var valuePointer: UnsafeRawPointer? = nil
            var size = 0
            while rd_kafka_header_get_all(list, index, &name, &valuePointer, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
                let headerValue = valuePointer.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }
                headers.append(KafkaHeader(key: name.map { String(cString: $0) } ?? "", value: headerValue))
                index += 1
            }
        }
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(message, &timestampType)
        self.init(
            topic: topic,
            partition: m.partition,
            offset: m.offset,
            key: key,
            value: value,
            headers: headers,
            timestampMilliseconds: timestampType == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : timestamp
        )
    }
}

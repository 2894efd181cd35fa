public import Kafka

/// Which input offsets may be committed: an input record's offset becomes committable only when
/// every output record it produced was acknowledged, and only after every earlier record of its
/// partition. A pure value: the pipeline feeds it begin/acknowledge events and commits what it
/// returns.
public struct OffsetTracker: Sendable {
    struct Pending {
        var offset: Int64
        var remaining: Int
    }

    private var partitions: [KafkaTopicPartition: [Pending]] = [:]
    private var heads: [KafkaTopicPartition: Int] = [:]
    /// Next offsets to commit, per partition, not yet handed out.
    private var committable: [KafkaTopicPartition: Int64] = [:]
    public private(set) var inFlight = 0
    /// The most outputs ever in flight at once (bounded by `maxInFlight` and the producer's queue).
    public private(set) var peakInFlight = 0

    public init() {}

    /// An input record was processed into `outputs` records now being produced.
    public mutating func begin(_ partition: KafkaTopicPartition, offset: Int64, outputs: Int) {
        partitions[partition, default: []].append(Pending(offset: offset, remaining: outputs))
        inFlight += outputs
        peakInFlight = max(peakInFlight, inFlight)
        if outputs == 0 { advance(partition) }
    }

    /// One output of the input record at `offset` was acknowledged by the broker.
    public mutating func acknowledge(_ partition: KafkaTopicPartition, offset: Int64) {
        let head = heads[partition, default: 0]
        guard let index = partitions[partition]?[head...].firstIndex(where: { $0.offset == offset }) else { return }
        // In place: copying the list out of the dictionary would copy it for every acknowledgement.
        partitions[partition]![index].remaining -= 1
        inFlight -= 1
        advance(partition)
    }

    private mutating func advance(_ partition: KafkaTopicPartition) {
        guard let pending = partitions[partition] else { return }
        var head = heads[partition, default: 0]
        while head < pending.count, pending[head].remaining == 0 {
            committable[partition] = pending[head].offset + 1
            head += 1
        }
        // Drop the finished prefix now and then, so the list does not grow without bound.
        if head > 1024 || head == pending.count {
            partitions[partition] = Array(pending[head...])
            head = 0
        }
        heads[partition] = head
    }

    /// The next offsets to commit since the last call.
    public mutating func takeCommittable() -> [KafkaTopicPartition: Int64] {
        defer { committable.removeAll() }
        return committable
    }

    /// Forgets partitions that were revoked (their uncommitted records will be redelivered to the
    /// new owner).
    public mutating func forget(_ revoked: [KafkaTopicPartition]) {
        for partition in revoked {
            let outstanding = partitions[partition].map { $0[heads[partition, default: 0]...].reduce(0) { $0 + $1.remaining } } ?? 0
            inFlight -= outstanding
            partitions[partition] = nil
            heads[partition] = nil
            committable[partition] = nil
        }
    }

    /// Whether every begun record of these partitions is acknowledged.
    public func isDrained(_ partitions: [KafkaTopicPartition]? = nil) -> Bool {
        let selected = partitions.map { Set($0) }
        return self.partitions.allSatisfy { partition, pending in
            if let selected, !selected.contains(partition) { return true }
            return pending[heads[partition, default: 0]...].allSatisfy { $0.remaining == 0 }
        }
    }
}

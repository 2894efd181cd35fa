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

    /// One partition: its records in offset order from `head` on (those before are finished), and
    /// the next offset to commit not yet handed out. Kept in one value so each event looks its
    /// partition up once.
    struct PartitionState {
        var pending: [Pending] = []
        var head = 0
        var committable: Int64? = nil

        mutating func begin(offset: Int64, outputs: Int) {
            pending.append(Pending(offset: offset, remaining: outputs))
            if outputs == 0 { advance() }
        }

        /// Moves past the finished records at the head.
        mutating func advance() {
            while head < pending.count, pending[head].remaining == 0 {
                committable = pending[head].offset + 1
                head += 1
            }
            // Drop the finished prefix now and then, so the list does not grow without bound.
            if head == pending.count {
                pending.removeAll(keepingCapacity: true)
                head = 0
            } else if head > 1024 {
                pending.removeFirst(head)
                head = 0
            }
        }

        /// One output of the record at `offset` was acknowledged; false when the record is unknown.
        mutating func acknowledge(_ offset: Int64) -> Bool {
            // Acknowledgements come mostly in order: the record is near the head.
            guard let index = pending[head...].firstIndex(where: { $0.offset == offset }) else { return false }
            pending[index].remaining -= 1
            advance()
            return true
        }

        var outstanding: Int { pending[head...].reduce(0) { $0 + $1.remaining } }
    }

    /// The partitions' states in an array, found through a dictionary that is only read per event:
    /// changing a dictionary's value in place goes through its `modify` accessor, which allocated
    /// three times per acknowledgement (heaptrack); an array element is changed in place.
    private var slots: [KafkaTopicPartition: Int] = [:]
    private var states: [(partition: KafkaTopicPartition, state: PartitionState)] = []
    public private(set) var inFlight = 0
    /// The most outputs ever in flight at once (bounded by `maxInFlight` and the producer's queue).
    public private(set) var peakInFlight = 0

    public init() {}

    /// An input record was processed into `outputs` records now being produced.
    public mutating func begin(_ partition: KafkaTopicPartition, offset: Int64, outputs: Int) {
        let slot: Int
        if let known = slots[partition] {
            slot = known
        } else {
            slot = states.count
            states.append((partition, PartitionState()))
            slots[partition] = slot
        }
        states[slot].state.begin(offset: offset, outputs: outputs)
        inFlight += outputs
        peakInFlight = max(peakInFlight, inFlight)
    }

    /// One output of the input record at `offset` was acknowledged by the broker.
    public mutating func acknowledge(_ partition: KafkaTopicPartition, offset: Int64) {
        acknowledge(CollectionOfOne((partition, offset)))
    }

    /// Outputs acknowledged by the broker, each given by its input's partition and offset (a batch
    /// of deliveries: mostly runs of one partition, looked up once per run).
    public mutating func acknowledge(_ outputs: some Sequence<(KafkaTopicPartition, Int64)>) {
        var last: (partition: KafkaTopicPartition, slot: Int?)? = nil
        for (partition, offset) in outputs {
            let slot: Int?
            if let last, last.partition == partition {
                slot = last.slot
            } else {
                slot = slots[partition]
                last = (partition, slot)
            }
            if let slot, states[slot].state.acknowledge(offset) { inFlight -= 1 }
        }
    }

    /// The next offsets to commit since the last call.
    public mutating func takeCommittable() -> [KafkaTopicPartition: Int64] {
        var offsets: [KafkaTopicPartition: Int64] = [:]
        for slot in states.indices {
            if let offset = states[slot].state.committable {
                offsets[states[slot].partition] = offset
                states[slot].state.committable = nil
            }
        }
        return offsets
    }

    /// Forgets partitions that were revoked (their uncommitted records will be redelivered to the
    /// new owner).
    public mutating func forget(_ revoked: [KafkaTopicPartition]) {
        let revoked = Set(revoked)
        for (partition, state) in states where revoked.contains(partition) {
            inFlight -= state.outstanding
        }
        states.removeAll { revoked.contains($0.partition) }
        slots = Dictionary(uniqueKeysWithValues: states.indices.map { (states[$0].partition, $0) })
    }

    /// Whether every begun record of these partitions is acknowledged.
    public func isDrained(_ partitions: [KafkaTopicPartition]? = nil) -> Bool {
        let selected = partitions.map { Set($0) }
        return states.allSatisfy { partition, state in
            if let selected, !selected.contains(partition) { return true }
            return state.outstanding == 0
        }
    }
}

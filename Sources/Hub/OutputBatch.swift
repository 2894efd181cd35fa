import Kafka
import Model
import Synchronization

/// The output records of one poll made on one thread: every record's value, key and header bytes
/// in one buffer (the JSON writer its events are written with), each record as ranges of it.
/// Reused from poll to poll, so an output costs no arrays, strings or closures of its own; the
/// producer copies the bytes from the buffer.
///
/// Used by one thread at a time: the thread that fills it during a poll's normalisation, then the
/// loop that produces from it.
final class OutputBatch: @unchecked Sendable {
    /// Which topic an output goes to.
    enum Destination: Int, CaseIterable {
        case shipmentNotices, inventoryEvents, carrierStatus, rejected, acknowledgments, acknowledgmentsReceived

        init(_ type: EventType) {
            switch type {
            case .shipmentNotice: self = .shipmentNotices
            case .inventoryEvent: self = .inventoryEvents
            case .carrierStatus: self = .carrierStatus
            case .rejected: self = .rejected
            // The reconciliation stage's records, never the hub's.
            case .receiptReconciliation, .supplierScorecard: preconditionFailure("\(type) is not an output of the hub")
            }
        }

        func topic(in topics: Topics) -> String {
            switch self {
            case .shipmentNotices: topics.shipmentNotices
            case .inventoryEvents: topics.inventoryEvents
            case .carrierStatus: topics.carrierStatus
            case .rejected: topics.rejected
            case .acknowledgments: topics.acknowledgments
            case .acknowledgmentsReceived: topics.acknowledgmentsReceived
            }
        }
    }

    struct Header {
        var name: Range<Int>
        /// Nil for a header without a value (Kafka's null header).
        var value: Range<Int>?
    }

    struct Output {
        var destination: Destination
        /// Nil for a record without a key (a rejection of an input that had none).
        var key: Range<Int>?
        var value: Range<Int>
        /// Into ``headers``.
        var headers: Range<Int>
    }

    var writer: JSONWriter
    private(set) var outputs: [Output] = []
    private(set) var headers: [Header] = []
    private var pendingHeaders: Int

    /// Above this size a buffer is not kept for the next poll (a rejected 10 MB record would
    /// otherwise hold 10 MB for good).
    static let keptCapacity = 4 << 20

    init(capacity: Int) {
        writer = JSONWriter(capacity: capacity)
        pendingHeaders = 0
    }

    /// Empties the batch for the next poll, keeping its storage unless it grew past ``keptCapacity``.
    func reset() {
        if writer.bufferCapacity > Self.keptCapacity {
            writer = JSONWriter(capacity: HubService.writerCapacity)
        } else {
            writer.reset()
        }
        outputs.removeAll(keepingCapacity: true)
        headers.removeAll(keepingCapacity: true)
        pendingHeaders = 0
    }

    /// Adds a header to the output being built.
    func header(_ name: String, _ value: String) {
        headers.append(Header(name: writer.appendRaw(name), value: writer.appendRaw(value)))
    }

    /// The `crossdock.source.*` headers of an output made from a Kafka input record.
    func sourceHeaders(_ source: SourcePosition) {
        guard let topic = source.topic, let partition = source.partition, let offset = source.offset else { return }
        header(DeadLetter.sourceTopic, topic)
        header(DeadLetter.sourcePartition, String(partition))
        header(DeadLetter.sourceOffset, String(offset))
    }

    /// Adds a header given as bytes (an input record's, kept as it was).
    func header(_ name: String, bytes value: [UInt8]?) {
        headers.append(Header(name: writer.appendRaw(name), value: value.map { writer.appendRaw($0) }))
    }

    /// Forgets what was written since `start` (an output that is not to be produced after all).
    func discard(from start: Int) {
        writer.truncate(to: start)
    }

    /// Ends the output being built: its key and value are where the ranges say, its headers those
    /// added since the previous output.
    func finish(_ destination: Destination, key: Range<Int>?, value: Range<Int>) {
        outputs.append(Output(destination: destination, key: key, value: value, headers: pendingHeaders..<headers.count))
        pendingHeaders = headers.count
    }
}

/// The outputs handed to the producer and not yet acknowledged, each found by the token its
/// delivery report brings back. Slots are reused, so a steady flow allocates nothing here. One
/// table per pipeline run: a restarted pipeline's producer never sees the tokens of an earlier one.
final class DeliverySlots: Sendable {
    struct Slot: Sendable {
        var partition: KafkaTopicPartition
        var offset: Int64
        /// The input record's Kafka timestamp, for the end-to-end latency.
        var inputMilliseconds: Int64?
        var destination: OutputBatch.Destination
    }

    private struct Table {
        var slots: [Slot?] = []
        var free: [Int] = []

        mutating func take(_ token: UInt) -> Slot? {
            let index = Int(token)
            guard index < slots.count, let slot = slots[index] else { return nil }
            slots[index] = nil
            free.append(index)
            return slot
        }
    }

    private let table = Mutex(Table())

    /// Keeps a slot until its delivery; returns its token.
    func add(_ slot: Slot) -> UInt {
        table.withLock { table in
            if let index = table.free.popLast() {
                table.slots[index] = slot
                return UInt(index)
            }
            table.slots.append(slot)
            return UInt(table.slots.count - 1)
        }
    }

    /// The slot of a delivered (or failed) output; nil for a token not handed out.
    func take(_ token: UInt) -> Slot? {
        table.withLock { $0.take(token) }
    }

    /// The slots of a batch of deliveries, with each one's error; tokens not handed out are left
    /// out.
    func take(_ deliveries: [KafkaDelivery]) -> [(slot: Slot, error: KafkaError?)] {
        var taken: [(slot: Slot, error: KafkaError?)] = []
        taken.reserveCapacity(deliveries.count)
        table.withLock { table in
            for delivery in deliveries {
                if let slot = table.take(delivery.token) { taken.append((slot, delivery.error)) }
            }
        }
        return taken
    }
}

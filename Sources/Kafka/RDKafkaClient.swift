internal import CRdKafka
import Dispatch
import Foundation
import Logging
import Synchronization

/// What librdkafka's callbacks need to reach: the logger and the handlers of the owning client.
/// It outlives the C handle (the client holds it and destroys the handle first).
final class ClientContext: Sendable {
    let logger: Logger
    let onError: (@Sendable (KafkaError) -> Void)?
    let onRebalance: (@Sendable (KafkaRebalanceEvent) -> Void)?
    /// Deliveries of records sent with a token (``KafkaProducer/send(to:key:value:headers:token:)``),
    /// in batches: librdkafka's callback only collects them, and whoever polled hands them over
    /// after its poll (``handOverDeliveries()``).
    let onDelivered: (@Sendable ([KafkaDelivery]) -> Void)?
    /// Collected and not yet handed over, and how many hand-overs are running (a flush waits for
    /// them: librdkafka counts a record done when its callback ran, which now only collects it).
    private let delivered = Mutex<(items: [KafkaDelivery], handing: Int)>(([], 0))

    init(
        logger: Logger, onError: (@Sendable (KafkaError) -> Void)?,
        onRebalance: (@Sendable (KafkaRebalanceEvent) -> Void)? = nil,
        onDelivered: (@Sendable ([KafkaDelivery]) -> Void)? = nil
    ) {
        self.logger = logger
        self.onError = onError
        self.onRebalance = onRebalance
        self.onDelivered = onDelivered
    }

    /// Called by librdkafka's delivery callback, on the thread that polls.
    func collect(_ delivery: KafkaDelivery) {
        guard onDelivered != nil else { return }
        delivered.withLock { $0.items.append(delivery) }
    }

    /// Hands the deliveries collected so far to `onDelivered`, each exactly once (two threads that
    /// poll at once each hand over what they take, in either order). Called after every poll.
    func handOverDeliveries() {
        guard let onDelivered else { return }
        var batch: [KafkaDelivery] = []
        delivered.withLock { state in
            swap(&batch, &state.items)
            if !batch.isEmpty { state.handing += 1 }
        }
        guard !batch.isEmpty else { return }
        onDelivered(batch)
        // The batch's storage is kept for the next one (unless more came meanwhile, or a burst
        // made it large).
        batch.removeAll(keepingCapacity: batch.capacity <= Self.keptDeliveryCapacity)
        delivered.withLock { state in
            state.handing -= 1
            if state.items.isEmpty { swap(&batch, &state.items) }
        }
    }

    static let keptDeliveryCapacity = 4096

    /// Hands over what is collected and waits for hand-overs running on other threads: after it,
    /// `onDelivered` has seen every delivery librdkafka reported before the call (for a flush,
    /// which returns when every record's callback ran).
    func handOverAllDeliveries() {
        while true {
            handOverDeliveries()
            if delivered.withLock({ $0.items.isEmpty && $0.handing == 0 }) { return }
            sched_yield()
        }
    }

    static func from(_ opaque: UnsafeMutableRawPointer?) -> ClientContext? {
        opaque.map { Unmanaged<ClientContext>.fromOpaque($0).takeUnretainedValue() }
    }
}

/// The one owner of an `rd_kafka_t`. Every other type reaches librdkafka through it, and no C
/// pointer leaves the module.
final class RDKafkaClient: @unchecked Sendable {
    enum Kind {
        case producer
        case consumer
    }

    /// Safe to use from any thread: librdkafka's handle is thread-safe; blocking calls are made on
    /// ``blockingQueue`` only.
    let handle: OpaquePointer
    let context: ClientContext
    let kind: Kind
    /// Runs blocking C calls (poll, flush, commit, close), never on Swift's cooperative pool.
    let blockingQueue: DispatchQueue
    private let destroyed = AtomicFlag(false)

    init(
        kind: Kind, configuration: [(String, String)], context: ClientContext,
        deliveryCallback: Bool = false, rebalanceCallback: Bool = false
    ) throws(KafkaError) {
        try Librdkafka.requireSupported()
        guard let conf = rd_kafka_conf_new() else {
            throw KafkaError(code: .clientCreation, message: "rd_kafka_conf_new failed")
        }
        var errorBuffer = [CChar](repeating: 0, count: 512)
        for (key, value) in configuration {
            let result = rd_kafka_conf_set(conf, key, value, &errorBuffer, errorBuffer.count)
            if result != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                let reason =
                    KafkaConfiguration.isSecret(key)
                    ? "the value was rejected (not shown: it is a secret)"
                    : string(fromBuffer: errorBuffer)
                throw KafkaError(code: .invalidConfiguration, message: "librdkafka property '\(key)': \(reason)")
            }
        }
        rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(context).toOpaque())
        rd_kafka_conf_set_log_cb(conf, logCallback)
        rd_kafka_conf_set_error_cb(conf, errorCallback)
        if deliveryCallback { rd_kafka_conf_set_dr_msg_cb(conf, deliveryReportCallback) }
        if rebalanceCallback { rd_kafka_conf_set_rebalance_cb(conf, rebalanceCallbackFunction) }

        let type = kind == .producer ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER
        // On success rd_kafka_new owns conf; on failure it is still ours.
        guard let handle = rd_kafka_new(type, conf, &errorBuffer, errorBuffer.count) else {
            rd_kafka_conf_destroy(conf)
            let reason = string(fromBuffer: errorBuffer)
            throw KafkaError(code: .clientCreation, message: "could not create the Kafka client: \(reason)")
        }
        self.handle = handle
        self.context = context
        self.kind = kind
        self.blockingQueue = DispatchQueue(label: "crossdock.kafka.\(kind)")
    }

    /// Runs a blocking C call on the client's own queue and resumes the caller when it returns.
    func blocking<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            blockingQueue.async { continuation.resume(returning: body()) }
        }
    }

    /// Destroys the handle once; later calls do nothing. Blocks until librdkafka's threads stop.
    func destroy() {
        guard !destroyed.exchange(true) else { return }
        rd_kafka_destroy(handle)
    }

    var isDestroyed: Bool { destroyed.value }

    deinit { destroy() }

    /// The client's fatal error, once it has hit one; it must then be recreated.
    func fatalError() -> KafkaError? {
        var buffer = [CChar](repeating: 0, count: 512)
        let err = rd_kafka_fatal_error(handle, &buffer, buffer.count)
        guard err != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        var error = KafkaError(err, context: "fatal client error")
        error.code = .fatal
        error.isFatal = true
        error.isRetriable = false
        error.message = "fatal client error: " + string(fromBuffer: buffer)
        return error
    }
}

extension Duration {
    /// As librdkafka takes a timeout: whole milliseconds (a sub-second duration is not 0), at most
    /// `Int32.max`, never negative (librdkafka reads -1 as "wait forever").
    package var librdkafkaMilliseconds: Int32 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        guard seconds < Int64(Int32.max) / 1000 else { return .max }
        return Int32(max(0, seconds * 1000 + attoseconds / 1_000_000_000_000_000))
    }
}

/// A boolean shared between threads (``Atomic`` itself cannot be captured by a closure).
final class AtomicFlag: Sendable {
    private let storage: Atomic<Bool>
    init(_ initial: Bool) { storage = Atomic(initial) }
    // Sequentially consistent: the producer's shutdown stores false and then reads its count of
    // senders, while a sender counts itself and then reads the flag (either the sender sees false
    // or shutdown sees the sender). A load costs what an acquiring one does on x86 and arm64.
    var value: Bool { storage.load(ordering: .sequentiallyConsistent) }
    func store(_ newValue: Bool) { storage.store(newValue, ordering: .sequentiallyConsistent) }
    /// Sets a new value and returns the previous one.
    func exchange(_ newValue: Bool) -> Bool { storage.exchange(newValue, ordering: .sequentiallyConsistent) }
}

/// The text of a NUL-terminated C buffer that librdkafka filled.
func string(fromBuffer buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

// MARK: - Topic partition lists

extension KafkaTopicPartition {
    static func list(from pointer: UnsafePointer<rd_kafka_topic_partition_list_t>?) -> [KafkaTopicPartition] {
        guard let pointer, pointer.pointee.cnt > 0 else { return [] }
        return (0..<Int(pointer.pointee.cnt)).map { index in
            let element = pointer.pointee.elems[index]
            return KafkaTopicPartition(topic: String(cString: element.topic), partition: element.partition)
        }
    }
}

/// Builds a C partition list and destroys it after `body`.
func withPartitionList<T>(
    _ entries: [(KafkaTopicPartition, Int64?)],
    _ body: (UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) throws(KafkaError) -> T
) throws(KafkaError) -> T {
    guard let list = rd_kafka_topic_partition_list_new(Int32(max(entries.count, 1))) else {
        throw KafkaError(code: .other, message: "could not allocate a partition list")
    }
    defer { rd_kafka_topic_partition_list_destroy(list) }
    for (topicPartition, offset) in entries {
        let element = rd_kafka_topic_partition_list_add(list, topicPartition.topic, topicPartition.partition)
        if let offset { element?.pointee.offset = offset }
    }
    return try body(list)
}

// MARK: - C callbacks (no captures: context travels as the opaque pointer)

private let logCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Void =
    {
        handle, level, facility, buffer in
        guard let handle, let context = ClientContext.from(rd_kafka_opaque(handle)) else { return }
        let text = buffer.map { String(cString: $0) } ?? ""
        let facilityName = facility.map { String(cString: $0) } ?? ""
        // syslog levels: 0-3 error, 4 warning, 5-6 notice/info, 7 debug.
        let logLevel: Logger.Level =
            switch level {
            case ...3: .error
            case 4: .warning
            case 5, 6: .info
            default: .debug
            }
        context.logger.log(level: logLevel, "\(text)", metadata: ["librdkafka.facility": "\(facilityName)"])
    }

private let errorCallback:
    @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void = {
        handle, code, reason, opaque in
        guard let context = ClientContext.from(opaque) else { return }
        let err = rd_kafka_resp_err_t(rawValue: code)
        var error = KafkaError(err, context: reason.map { String(cString: $0) } ?? "client error")
        if err == RD_KAFKA_RESP_ERR__FATAL, let handle {
            var buffer = [CChar](repeating: 0, count: 512)
            let underlying = rd_kafka_fatal_error(handle, &buffer, buffer.count)
            error.message = "fatal client error: " + string(fromBuffer: buffer)
            error.brokerCode = String(cString: rd_kafka_err2name(underlying))
        }
        context.logger.log(
            level: error.isFatal ? .critical : .warning, "\(error.message)",
            metadata: ["kafka.error": "\(error.brokerCode ?? error.code.name)"])
        context.onError?(error)
    }

private let rebalanceCallbackFunction:
    @convention(c) (
        OpaquePointer?, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?,
        UnsafeMutableRawPointer?
    ) -> Void = { handle, err, partitions, opaque in
        guard let handle else { return }
        let context = ClientContext.from(opaque)
        let cooperative = String(cString: rd_kafka_rebalance_protocol(handle)) == "COOPERATIVE"
        let list = KafkaTopicPartition.list(from: partitions)
        switch err {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            if cooperative {
                if let error = rd_kafka_incremental_assign(handle, partitions) {
                    context?.logger.error(
                        "incremental assign failed: \(KafkaError(consuming: error, context: "assign"))")
                }
            } else {
                rd_kafka_assign(handle, partitions)
            }
            context?.logger.info("partitions assigned", metadata: ["partitions": "\(list)"])
            context?.onRebalance?(.assigned(list))
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            // Tell the application first, while the partitions are still ours, so it can commit
            // the offsets of finished work.
            let lost = rd_kafka_assignment_lost(handle) != 0
            context?.logger.info(lost ? "partitions lost" : "partitions revoked", metadata: ["partitions": "\(list)"])
            context?.onRebalance?(lost ? .lost(list) : .revoked(list))
            if cooperative {
                if let error = rd_kafka_incremental_unassign(handle, partitions) {
                    context?.logger.error(
                        "incremental unassign failed: \(KafkaError(consuming: error, context: "unassign"))")
                }
            } else {
                rd_kafka_assign(handle, nil)
            }
        default:
            context?.logger.error("rebalance failed: \(KafkaError(err, context: "rebalance"))")
            rd_kafka_assign(handle, nil)
        }
    }

/// Each produced record carries as its opaque either a retained ``DeliveryHandler``, which the
/// callback takes back exactly once, or a caller's token: the token shifted left by one with the
/// lowest bit set (a handler's address is aligned, its lowest bit clear), for the client's
/// `onDelivered`.
final class DeliveryHandler: Sendable {
    let complete: @Sendable (Result<KafkaDeliveryReport, KafkaError>) -> Void
    init(_ complete: @escaping @Sendable (Result<KafkaDeliveryReport, KafkaError>) -> Void) {
        self.complete = complete
    }
}

private let deliveryReportCallback:
    @convention(c) (OpaquePointer?, UnsafePointer<rd_kafka_message_t>?, UnsafeMutableRawPointer?) -> Void = {
        _, message, clientOpaque in
        guard let message, let opaque = message.pointee._private else { return }
        let bits = UInt(bitPattern: opaque)
        if bits & 1 == 1 {
            let error =
                message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR
                ? nil
                : KafkaError(
                    message.pointee.err,
                    context: "record to \(message.pointee.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? "") not delivered",
                    fallback: .delivery)
            ClientContext.from(clientOpaque)?.collect(KafkaDelivery(token: bits >> 1, error: error))
            return
        }
        let handler = Unmanaged<DeliveryHandler>.fromOpaque(opaque).takeRetainedValue()
        let topic = message.pointee.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
        if message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR {
            handler.complete(
                .success(
                    KafkaDeliveryReport(
                        topic: topic, partition: message.pointee.partition, offset: message.pointee.offset)
                ))
        } else {
            handler.complete(
                .failure(
                    KafkaError(message.pointee.err, context: "record to \(topic) not delivered", fallback: .delivery)))
        }
    }

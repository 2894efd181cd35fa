internal import CRdKafka
import Dispatch
import Foundation
public import Logging
import Synchronization

/// A Kafka producer: keyed records with headers, a delivery result for every record, idempotent
/// by default (`enable.idempotence=true`, `acks=all`).
///
/// A dedicated thread polls librdkafka for delivery reports, so callbacks never run on Swift's
/// cooperative pool. Call ``shutdown(timeout:)`` to flush what is in flight before the process
/// ends.
public final class KafkaProducer: Sendable {
    private let client: RDKafkaClient
    /// Where ``serveDeliveries(timeout:)`` waits.
    private let deliveryQueue = DispatchQueue(label: "crossdock.producer.deliveries")
    private let logger: Logger
    private let running = AtomicFlag(true)
    /// Set by the first ``shutdown(timeout:)``; a later or overlapping one returns at once.
    private let closing = AtomicFlag(false)
    /// Calls inside the sends, ``pollDeliveries(timeout:)``, ``inFlightCount`` or ``fatalError``:
    /// shutdown waits for them before it releases the client, so none uses a released handle.
    private let sending = Atomic<Int>(0)
    private let pollThreadDone = DispatchSemaphore(value: 0)
    /// Topic handles handed out by ``topic(_:)``, released before the client.
    private let topics = Mutex<[String: Topic]>([:])
    /// Topics kept at most by ``send(_:onDelivery:)`` (a producer writing to many names, such as a
    /// replay, keeps only the first ones; the others get a handle per record).
    static let keptTopics = 64

    /// - Parameters:
    ///   - configuration: brokers and pass-through librdkafka properties.
    ///   - onError: client-level errors (brokers down, fatal idempotence errors); also logged.
    ///   - onDelivered: the deliveries of records sent with a token
    ///     (``send(to:key:value:headers:token:)``), in batches: each record's token, and nil or why
    ///     it was not delivered, exactly once. Called after a poll of librdkafka served any, on a
    ///     thread that polls (the producer's poll thread, or a caller of
    ///     ``pollDeliveries(timeout:)``, ``flush(timeout:)`` or ``shutdown(timeout:)``); two batches
    ///     may be handed over at once, in either order. When ``flush(timeout:)`` returns, every
    ///     record it waited for was handed over.
    public init(
        configuration: KafkaConfiguration, logger: Logger,
        onError: (@Sendable (KafkaError) -> Void)? = nil,
        onDelivered: (@Sendable (_ deliveries: [KafkaDelivery]) -> Void)? = nil
    ) throws(KafkaError) {
        self.logger = logger
        client = try RDKafkaClient(
            kind: .producer,
            configuration: configuration.resolved(defaults: KafkaConfiguration.producerDefaults),
            context: ClientContext(logger: logger, onError: onError, onDelivered: onDelivered),
            deliveryCallback: true
        )
        let client = self.client
        let running = self.running
        let done = pollThreadDone
        let thread = Thread {
            while running.value {
                rd_kafka_poll(client.handle, 100)
                client.context.handOverDeliveries()
            }
            done.signal()
        }
        thread.name = "crossdock-producer-poll"
        thread.start()
    }

    /// Enqueues a record; `onDelivery` is called exactly once, on the producer's poll thread, when
    /// the broker acknowledged the record or it finally failed.
    ///
    /// Throws at once when the record cannot be enqueued; ``KafkaError/Code/queueFull`` means
    /// back off until deliveries drain (see ``send(_:)``, which waits).
    public func send(
        _ record: KafkaOutgoingRecord,
        onDelivery: @escaping @Sendable (Result<KafkaDeliveryReport, KafkaError>) -> Void
    ) throws(KafkaError) {
        try enterSend()
        defer { leave() }
        let (topic, kept) = try topic(record.topic, keep: false)
        defer { if !kept { rd_kafka_topic_destroy(topic.handle) } }
        let opaque = Unmanaged.passRetained(DeliveryHandler(onDelivery)).toOpaque()
        var headers: OpaquePointer? = nil
        if !record.headers.isEmpty {
            headers = rd_kafka_headers_new(record.headers.count)
            for header in record.headers {
                // The key through withCString: passing the String itself made an array per header.
                _ = header.withValueBytes { value in
                    header.key.withCString { rd_kafka_header_add(headers, $0, -1, value?.baseAddress, value?.count ?? 0) }
                }
            }
        }
        let partition = record.partition ?? RD_KAFKA_PARTITION_UA
        let err = record.value.withUnsafeBytes { value in
            withOptionalBytes(record.key) { key in
                crossdock_produce(
                    client.handle, topic.handle, partition, key.baseAddress, key.count,
                    value.baseAddress, value.count, headers, opaque, record.timestampMilliseconds ?? 0)
            }
        }
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            Unmanaged<DeliveryHandler>.fromOpaque(opaque).release()
            if let headers { rd_kafka_headers_destroy(headers) }
            throw KafkaError(err, context: "cannot produce to \(record.topic)", fallback: .delivery)
        }
    }

    /// A topic resolved once, for ``send(to:key:value:headers:token:)``.
    public struct Topic: @unchecked Sendable {
        public let name: String
        fileprivate let handle: OpaquePointer
    }

    /// The producer's handle of a topic (the same one for every call with the same name), valid
    /// until ``shutdown(timeout:)``. Throws ``KafkaError/Code/closed`` after it.
    public func topic(_ name: String) throws(KafkaError) -> Topic {
        try topic(name, keep: true).topic
    }

    /// `keep: false`: a name not yet known is kept only while fewer than ``keptTopics`` are;
    /// otherwise the handle is the caller's to destroy (`kept` false).
    private func topic(_ name: String, keep: Bool) throws(KafkaError) -> (topic: Topic, kept: Bool) {
        try topics.withLock { known throws(KafkaError) in
            // Checked under the lock that releaseTopics takes after running went false.
            guard running.value else { throw KafkaError(code: .closed, message: "the producer is shut down") }
            if let topic = known[name] { return (topic, true) }
            guard let handle = rd_kafka_topic_new(client.handle, name, nil) else {
                throw KafkaError(rd_kafka_last_error(), context: "cannot use topic \(name)", fallback: .other)
            }
            let topic = Topic(name: name, handle: handle)
            guard keep || known.count < Self.keptTopics else { return (topic, false) }
            known[name] = topic
            return (topic, true)
        }
    }

    /// Counts the caller in ``sending``, then checks that the producer still runs (in this order:
    /// shutdown sets `running` false, then waits for ``sending`` to reach zero). True: the client
    /// stays usable until ``leave()``; false: it is shut down (nothing to leave).
    private func enter() -> Bool {
        sending.add(1, ordering: .sequentiallyConsistent)
        guard running.value else {
            sending.subtract(1, ordering: .sequentiallyConsistent)
            return false
        }
        return true
    }

    private func leave() { sending.subtract(1, ordering: .sequentiallyConsistent) }

    private func enterSend() throws(KafkaError) {
        guard enter() else { throw KafkaError(code: .closed, message: "the producer is shut down") }
    }

    /// Enqueues a record from bytes the caller keeps (librdkafka copies them before this returns),
    /// with no allocation of its own: no closure, no arrays. Its delivery goes to the `onDelivered`
    /// given at ``init(configuration:logger:onError:onDelivered:)``, with `token` (at most
    /// `UInt.max >> 1`). Throws at once when the record cannot be enqueued, as
    /// ``send(_:onDelivery:)`` does; the headers are then released.
    public func send(
        to topic: Topic, key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer, headers: consuming KafkaHeaderList,
        token: UInt
    ) throws(KafkaError) {
        try enterSend()
        defer { leave() }
        precondition(token <= UInt.max >> 1, "a delivery token has one bit less than UInt")
        let list = headers.handle
        let opaque = UnsafeMutableRawPointer(bitPattern: token << 1 | 1)
        let err = crossdock_produce(
            client.handle, topic.handle, RD_KAFKA_PARTITION_UA, key?.baseAddress, key?.count ?? 0,
            value.baseAddress, value.count, list, opaque, 0)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(err, context: "cannot produce to \(topic.name)", fallback: .delivery)
        }
        // librdkafka owns the list now.
        headers.release()
    }

    /// Sends a record and waits until the broker acknowledged it. While the local queue is full it
    /// waits for room instead of failing.
    @discardableResult
    public func send(_ record: KafkaOutgoingRecord) async throws(KafkaError) -> KafkaDeliveryReport {
        var backoff: Duration = .milliseconds(1)
        while true {
            do {
                let result = try await withCheckedThrowingContinuation { continuation in
                    do {
                        try send(record) { continuation.resume(with: $0) }
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
                return result
            } catch let error as KafkaError where error.code == .queueFull {
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .milliseconds(100))
            } catch let error as KafkaError {
                throw error
            } catch {
                throw KafkaError(code: .other, message: "\(error)")
            }
        }
    }

    /// Serves delivery reports now, on the calling thread (for a caller that must wait for room in
    /// the queue or for in-flight records of revoked partitions).
    /// After shutdown it returns at once.
    public func pollDeliveries(timeout: Duration = .milliseconds(10)) {
        guard enter() else { return }
        defer { leave() }
        rd_kafka_poll(client.handle, timeout.librdkafkaMilliseconds)
        client.context.handOverDeliveries()
    }

    /// ``pollDeliveries(timeout:)`` off the caller's thread, on a queue of its own: an async caller
    /// (Swift's cooperative pool) waits without blocking one of the pool's threads.
    public func serveDeliveries(timeout: Duration = .milliseconds(10)) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            deliveryQueue.async {
                self.pollDeliveries(timeout: timeout)
                continuation.resume()
            }
        }
    }

    /// Asks a broker for metadata and waits up to `timeout` for the answer: whether the cluster
    /// answers at all (a stopped or hung broker keeps its connections open but answers nothing).
    public func probe(timeout: Duration = .seconds(2)) async -> Bool {
        let client = self.client
        let milliseconds = timeout.librdkafkaMilliseconds
        return await client.blocking {
            // On the client's queue, as its destroy is: the check cannot race it.
            guard !client.isDestroyed else { return false }
            var metadata: UnsafePointer<rd_kafka_metadata>? = nil
            let err = rd_kafka_metadata(client.handle, 0, nil, &metadata, milliseconds)
            if let metadata { rd_kafka_metadata_destroy(metadata) }
            return err == RD_KAFKA_RESP_ERR_NO_ERROR
        }
    }

    /// Records enqueued or in flight, not yet acknowledged (0 after shutdown).
    public var inFlightCount: Int {
        guard enter() else { return 0 }
        defer { leave() }
        return Int(rd_kafka_outq_len(client.handle))
    }

    /// Waits until every enqueued record was delivered or failed.
    public func flush(timeout: Duration = .seconds(30)) async throws(KafkaError) {
        let client = self.client
        let milliseconds = timeout.librdkafkaMilliseconds
        let err = await client.blocking {
            guard !client.isDestroyed else { return RD_KAFKA_RESP_ERR_NO_ERROR }
            let err = rd_kafka_flush(client.handle, milliseconds)
            // Also those the poll thread collected and is handing over now.
            client.context.handOverAllDeliveries()
            return err
        }
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(err, context: "flush did not finish: \(inFlightCount) records still in flight")
        }
    }

    /// The client's fatal error, if it hit one (for example an idempotence sequence violation).
    /// Nil after shutdown.
    public var fatalError: KafkaError? {
        guard enter() else { return nil }
        defer { leave() }
        return client.fatalError()
    }

    /// Flushes, stops the poll thread and releases the client. Records still undelivered after
    /// `timeout` fail with a delivery error.
    public func shutdown(timeout: Duration = .seconds(30)) async {
        guard !closing.exchange(true) else { return }
        do {
            try await flush(timeout: timeout)
        } catch {
            logger.warning("producer shutdown: \(error)")
        }
        running.store(false)
        let done = pollThreadDone
        let client = self.client
        await client.blocking {
            done.wait()
            // A send that saw the producer running finishes before the handles go.
            while self.sending.load(ordering: .sequentiallyConsistent) > 0 { sched_yield() }
            // Fail whatever is still queued so every delivery handler runs once.
            rd_kafka_purge(client.handle, Int32(RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT))
            rd_kafka_poll(client.handle, 0)
            self.releaseTopics()
            client.destroy()
            client.context.handOverAllDeliveries()
        }
    }

    private func releaseTopics() {
        topics.withLock { known in
            for topic in known.values { rd_kafka_topic_destroy(topic.handle) }
            known.removeAll()
        }
    }

    deinit {
        if running.exchange(false) {
            pollThreadDone.wait()
        }
        releaseTopics()
    }
}

/// The headers of one record for ``KafkaProducer/send(to:key:value:headers:token:)``, built in
/// librdkafka's own list (names and values are copied in).
public struct KafkaHeaderList: ~Copyable {
    fileprivate var handle: OpaquePointer?

    public init(capacity: Int) {
        handle = rd_kafka_headers_new(capacity)
    }

    /// Adds a header; a nil value is a null header.
    public mutating func add(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer?) {
        name.withMemoryRebound(to: CChar.self) { name in
            _ = rd_kafka_header_add(handle, name.baseAddress, name.count, value?.baseAddress, value?.count ?? 0)
        }
    }

    /// Gives the list up to librdkafka.
    fileprivate consuming func release() {
        discard self
    }

    deinit {
        if let handle { rd_kafka_headers_destroy(handle) }
    }
}

func withOptionalBytes<T>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer) -> T) -> T {
    if let bytes {
        return bytes.withUnsafeBytes(body)
    }
    return body(UnsafeRawBufferPointer(start: nil, count: 0))
}

public import Prometheus
import Synchronization

/// The hub's Prometheus metrics: records consumed, produced and rejected (by topic, partner and
/// code), end-to-end latency from the input's timestamp to the broker's acknowledgement of its
/// outputs, records in flight, and the C allocator's heap in use and free.
public final class HubMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    let latency: DurationHistogram
    let inFlight: Gauge
    let producerWaits: Counter
    let heapInUse: Gauge
    let heapFree: Gauge

    static var consumedName: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "crossdock", metricName: "consumed_records", unitName: "total", helpText: "Input records consumed") }
    static var producedName: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "crossdock", metricName: "produced_records", unitName: "total", helpText: "Output records acknowledged") }
    static var rejectedName: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "crossdock", metricName: "rejected_documents", unitName: "total",
        helpText: "Documents rejected to the dead-letter topic") }

    public init() {
        latency = registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "crossdock", metricName: "processing_latency", unitName: "seconds",
                helpText: "From an input record's timestamp to the acknowledgement of an output"),
            buckets: [
                .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(20), .milliseconds(50), .milliseconds(100),
                .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
            ])
        inFlight = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "crossdock", metricName: "in_flight_records", unitName: "",
                helpText: "Output records produced and not yet acknowledged"))
        producerWaits = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "crossdock", metricName: "producer_queue_waits", unitName: "total",
                helpText: "Times an output waited for room in the producer's full local queue"))
        heapInUse = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "crossdock", metricName: "heap_in_use", unitName: "bytes",
                helpText: "Bytes the C allocator has handed out and not taken back (every 10 s; 0 where unknown)"))
        heapFree = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "crossdock", metricName: "heap_free", unitName: "bytes",
                helpText: "Bytes the C allocator keeps free in its arenas (every 10 s, before free pages are returned)"))
    }

    /// Counters by topic, looked up once: the per-record path only increments.
    private let consumedByTopic = Mutex<[String: Counter]>([:])
    private let producedByTopic = Mutex<[String: Counter]>([:])

    /// The counter of records consumed from `topic` (looked up once per batch by the hub).
    func consumed(topic: String) -> Counter { counter(consumedByTopic, Self.consumedName, topic) }

    /// The counter of outputs acknowledged on `topic` (looked up once per batch by the hub).
    func produced(topic: String) -> Counter { counter(producedByTopic, Self.producedName, topic) }

    private func counter(_ cache: borrowing Mutex<[String: Counter]>, _ name: MetricNameDescriptor, _ topic: String) -> Counter {
        if let found = cache.withLock({ $0[topic] }) { return found }
        let made = registry.makeCounter(descriptor: name, labels: [("topic", topic)])
        cache.withLock { $0[topic] = made }
        return made
    }

    func rejected(topic: String, partner: String, code: String) {
        registry.makeCounter(descriptor: Self.rejectedName, labels: [("topic", topic), ("partner", partner), ("code", code)]).increment()
    }

    func lag(topic: String, partition: Int32, records: Int64) {
        registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "crossdock", metricName: "consumer_lag", unitName: "records",
                helpText: "Records of a raw partition not yet consumed (high watermark of the last fetch minus position)"),
            labels: [("topic", topic), ("partition", String(partition))]
        ).set(records)
    }

    /// The Prometheus text exposition.
    public func render() -> String { registry.emitToString() }
}

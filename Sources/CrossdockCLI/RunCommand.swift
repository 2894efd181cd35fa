import ArgumentParser
import Foundation
import Hub
import Kafka
import Logging
import MasterData
import ServiceLifecycle
import UnixSignals

/// `crossdock run`: the hub.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the hub: normalise the raw topics into canonical events and rejections.",
        discussion: """
            Settings come from --config (YAML), then CROSSDOCK_* environment variables, then flags. Stops on \
            SIGTERM or SIGINT after finishing and committing what is in flight.
            """)

    @Option(help: "A YAML configuration file.") var config: String?
    @Option(help: "Bootstrap brokers, comma-separated.") var brokers: String?
    @Option(help: "The master-data folder loaded at start.") var masterdata: String?
    @Option(help: "The consumer group shared by every instance.") var group: String?
    @Option(help: "Address of the HTTP endpoint (health, readiness, metrics).") var http: String?
    @Option(
        name: [.customShort("X"), .customLong("librdkafka")],
        help: ArgumentHelp("A librdkafka property, repeatable.", valueName: "key=value"))
    var properties: [String] = []
    @Option(help: "Log level.") var logLevel: Logger.Level = .info
    @Option(help: "Log format: json (one object per line, with topic, partition, offset and event id) or text.")
    var logFormat: LogFormat = .json

    enum LogFormat: String, ExpressibleByArgument {
        case json, text
    }

    func run() async throws {
        var settings = try serviceSettings(config: config, brokers: brokers, masterdata: masterdata, properties: properties, command: "run")
        if let group { settings.group = group }
        if let http { settings.http = http }
        let (snapshot, folder) = try serviceMasterData(settings, command: "run")
        // A topic given to a partner no profile defines would reject everything on it.
        let unknownOwners = settings.topicPartners.filter { snapshot.partner(id: $0.value) == nil }.sorted { $0.key < $1.key }
        if !unknownOwners.isEmpty {
            for (topic, partner) in unknownOwners {
                printError("crossdock run: topics.partners gives \(topic) to partner '\(partner)', which no profile in \(folder) defines")
            }
            throw ExitCode(2)
        }
        if logFormat == .json { LoggingSystem.bootstrap { JSONLogHandler(label: $0) } }
        var logger = Logger(label: "crossdock.hub")
        logger.logLevel = logLevel
        let hub = HubService(configuration: settings, masterData: snapshot, logger: logger)
        let http: any Service
        do { http = try HubHTTP.application(hub, address: settings.http) } catch {
            printError("crossdock run: \(error)")
            throw ExitCode(2)
        }
        // SIGTERM and SIGINT shut the group down gracefully: the hub stops fetching, drains, commits;
        // when the hub ends for any reason, the HTTP endpoint ends with it.
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [
                    .init(service: HubLifecycleService(hub: hub), successTerminationBehavior: .gracefullyShutdownGroup,
                          failureTerminationBehavior: .gracefullyShutdownGroup),
                    .init(service: http),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch let error as KafkaError where error.code == .unsupportedLibrary {
            printError("crossdock run: \(error.message)")
            throw ExitCode(2)
        }
        let counts = hub.counts
        printError("crossdock run: consumed \(counts.consumed), produced \(counts.produced), rejected \(counts.rejected)")
    }
}

/// The settings of a service command (`run`, `correlate`): --config (YAML), then CROSSDOCK_*
/// environment variables, then flags; exit status 2 on any error.
func serviceSettings(config: String?, brokers: String?, masterdata: String?, properties: [String], command: String) throws
    -> HubConfiguration
{
    var settings = HubConfiguration()
    if let config {
        let text: String
        do { text = try String(contentsOfFile: config, encoding: .utf8) } catch {
            printError("crossdock \(command): cannot read \(config): \(error.localizedDescription)")
            throw ExitCode(2)
        }
        do { try settings.apply(yaml: text, file: config) } catch {
            printError("crossdock \(command): \(error)")
            throw ExitCode(2)
        }
    }
    do { try settings.apply(environment: ProcessInfo.processInfo.environment) } catch {
        printError("crossdock \(command): \(error)")
        throw ExitCode(2)
    }
    if let brokers { settings.brokers = brokers.split(separator: ",").map(String.init) }
    if let masterdata { settings.masterdata = masterdata }
    for property in properties {
        guard let equals = property.firstIndex(of: "=") else { throw ValidationError("-X expects key=value") }
        settings.librdkafka[String(property[..<equals])] = String(property[property.index(after: equals)...])
    }
    // The producer's limits follow the hub's (a record it must write is never refused).
    do { _ = try settings.producerConfiguration() } catch {
        printError("crossdock \(command): \(error)")
        throw ExitCode(2)
    }
    return settings
}

/// The master data a service starts with; exit status 2 when there is none or it has errors.
func serviceMasterData(_ settings: HubConfiguration, command: String) throws -> (MasterDataSnapshot, String) {
    guard let folder = settings.masterdata else {
        printError("crossdock \(command): no master data: give --masterdata, CROSSDOCK_MASTERDATA or masterdata: in --config")
        throw ExitCode(2)
    }
    let snapshot: MasterDataSnapshot
    do { snapshot = try MasterDataLoader.load(directory: folder) } catch {
        printError("crossdock \(command): \(error)")
        throw ExitCode(2)
    }
    if snapshot.hasErrors {
        printError("crossdock \(command): the master data in \(folder) has errors; run crossdock masterdata check")
        throw ExitCode(2)
    }
    return (snapshot, folder)
}

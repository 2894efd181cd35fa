public import ArgumentParser
import Foundation
import Kafka
import Logging

/// Connection options shared by every command that talks to Kafka.
struct KafkaOptions: ParsableArguments {
    /// The address of the local development broker that scripts/broker starts.
    static let localBroker = "127.0.0.1:19092"

    @Option(
        name: .long,
        help: "Bootstrap brokers, comma-separated (default: $CROSSDOCK_BROKERS or \(localBroker)).")
    var brokers: String?

    @Option(
        name: [.customShort("X"), .customLong("librdkafka")],
        help: ArgumentHelp(
            "A librdkafka property, repeatable: -X security.protocol=SASL_SSL -X sasl.mechanism=SCRAM-SHA-512.",
            valueName: "key=value"))
    var properties: [String] = []

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .warning

    /// Group settings for short-lived command-line consumers: a quick join and a quick failover
    /// (the default 45 s session would hold the first join for about 20 s on some brokers).
    static let interactiveConsumerDefaults = ["session.timeout.ms": "6000", "heartbeat.interval.ms": "1000"]

    /// The connection configuration; `defaults` apply unless a -X property sets the same key.
    func configuration(defaults: [String: String] = [:]) throws -> KafkaConfiguration {
        let servers = brokers ?? ProcessInfo.processInfo.environment["CROSSDOCK_BROKERS"] ?? Self.localBroker
        var pairs = defaults
        for property in properties {
            guard let equals = property.firstIndex(of: "="), equals != property.startIndex else {
                throw ValidationError("-X expects key=value, got '\(property)'")
            }
            pairs[String(property[..<equals])] = String(property[property.index(after: equals)...])
        }
        return KafkaConfiguration(
            bootstrapServers: servers.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) },
            properties: pairs)
    }

    /// The bootstrap addresses in use.
    var servers: String { brokers ?? ProcessInfo.processInfo.environment["CROSSDOCK_BROKERS"] ?? Self.localBroker }

    /// Fails fast when no broker answers, as kcat does: one metadata round trip within `timeout`,
    /// else one line on standard error naming the address, and exit status 1. (librdkafka would
    /// otherwise retry quietly, or loudly, for as long as the command waits.)
    func requireBroker(command: String, timeout: Duration = .seconds(5)) async throws {
        var quiet = Logger(label: "crossdock.preflight")
        quiet.logLevel = .critical
        let admin = try KafkaAdmin(configuration: configuration(), logger: quiet)
        do {
            _ = try await admin.listTopics(timeout: timeout)
            await admin.close()
        } catch {
            await admin.close()
            printError("crossdock \(command): no broker answered at \(servers) within \(timeout) (\(error.message)); is it running? (--brokers, CROSSDOCK_BROKERS)")
            throw ExitCode.failure
        }
    }

    func logger(label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = logLevel
        return logger
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

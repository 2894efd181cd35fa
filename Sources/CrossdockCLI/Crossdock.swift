public import ArgumentParser
import Hub
import Kafka

/// The `crossdock` command: a thin layer that parses arguments and calls the library modules.
public struct Crossdock: AsyncParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "crossdock",
            abstract: "Normalise partner ship notices, scans and carrier updates into canonical inventory events.",
            version: CrossdockVersion.description,
            subcommands: [
                DemoCommand.self, RunCommand.self, ReplayCommand.self, NormalizeCommand.self, ReconcileCommand.self, AckCommand.self, CorrelateCommand.self, InspectCommand.self, MasterDataCommand.self, TopicsCommand.self, ProduceCommand.self, ConsumeCommand.self, CodesCommand.self]
        )
    }

    public init() {}
}

/// The version of Crossdock and of the librdkafka actually loaded.
public enum CrossdockVersion {
    public static let crossdock = CrossdockBuild.version

    public static var description: String {
        "crossdock \(crossdock) (librdkafka \(Librdkafka.versionString))"
    }
}

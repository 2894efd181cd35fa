import ArgumentParser
import Foundation
import MasterData
import Hub
import Model

struct MasterDataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "masterdata",
        abstract: "Check or publish master data (locations, items, partner profiles).",
        subcommands: [Check.self, Publish.self]
    )

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load a master-data folder and list every problem.",
            discussion: """
                Prints one line per problem: severity, code, file:line and message. Exit status: 0 when there \
                is no error (warnings allowed), 1 when there is at least one error, 2 when the folder cannot be read.
                """)

        @Argument(help: "The folder holding locations.yaml, items.yaml and partners/.") var directory: String

        func run() async throws {
            let snapshot: MasterDataSnapshot
            do {
                snapshot = try MasterDataLoader.load(directory: directory)
            } catch {
                printError("crossdock masterdata check: \(error)")
                throw ExitCode(2)
            }
            for diagnostic in snapshot.diagnostics {
                // Tab-separated: a tab inside a field is escaped too, so the columns stay columns.
                let fields = [diagnostic.severity.rawValue, diagnostic.code.rawValue, diagnostic.location ?? "-", diagnostic.message]
                say(fields.map { TerminalText.escape($0, tabs: true) }.joined(separator: "\t"))
            }
            let errors = snapshot.diagnostics.filter { $0.severity == .error }.count
            let warnings = snapshot.diagnostics.count - errors
            let sites = snapshot.locations.values.filter { $0.type == .site }.count
            printError(
                "\(directory): \(sites) sites, \(snapshot.locations.count) locations, \(snapshot.aliases.count) aliases, "
                    + "\(snapshot.items.count) items, \(snapshot.partners.count) partners; "
                    + "\(errors) errors, \(warnings) warnings")
            if errors > 0 { throw ExitCode.failure }
        }
    }
}

/// Writes a line to standard error.

extension MasterDataCommand {
    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a master-data folder to the compacted topics masterdata.locations.v1 and masterdata.items.v1.")

        @OptionGroup var kafka: KafkaOptions
        @Argument(help: "The folder holding locations.yaml, items.yaml and partners/.") var directory: String

        func run() async throws {
            let snapshot: MasterDataSnapshot
            do { snapshot = try MasterDataLoader.load(directory: directory) } catch {
                printError("crossdock masterdata publish: \(error)")
                throw ExitCode(2)
            }
            guard !snapshot.hasErrors else {
                printError("crossdock masterdata publish: \(directory) has errors; run crossdock masterdata check")
                throw ExitCode(2)
            }
            try await kafka.requireBroker(command: "masterdata publish")
            let counts = try await MasterDataPublisher.publish(
                snapshot, directory: directory, topics: Topics(), configuration: kafka.configuration(),
                logger: kafka.logger(label: "crossdock.masterdata"))
            say("published \(counts.locations) locations, \(counts.aliases) aliases, \(counts.items) items and \(counts.partners) partner profiles")
        }
    }
}

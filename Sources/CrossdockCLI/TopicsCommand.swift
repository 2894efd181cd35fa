import ArgumentParser
import Hub
import Kafka

struct TopicsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics",
        abstract: "Create or list Crossdock's topics.",
        subcommands: [Create.self, List.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the raw, canonical, rejected, reconciliation and compacted master-data topics that do not exist yet.")

        @OptionGroup var kafka: KafkaOptions
        @Option(help: "Partitions of the raw, canonical and rejected topics.") var partitions = 4
        @Option(help: "Replication factor of every topic.") var replicationFactor = 1

        func run() async throws {
            try await kafka.requireBroker(command: "topics create")
            let admin = try KafkaAdmin(
                configuration: kafka.configuration(), logger: kafka.logger(label: "crossdock.topics"))
            let specs = Topics().specs(partitions: partitions, replicationFactor: replicationFactor)
            let outcome = try await admin.createTopics(specs)
            await admin.close()
            for spec in specs {
                let what = outcome[spec.name] == .created ? "created" : "exists"
                let extra =
                    spec.configs.isEmpty
                    ? "" : " " + spec.configs.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                say("\(what)\t\(spec.name)\t\(spec.partitions) partitions\(extra)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the topics of the cluster.")

        @OptionGroup var kafka: KafkaOptions

        func run() async throws {
            try await kafka.requireBroker(command: "topics list")
            let admin = try KafkaAdmin(
                configuration: kafka.configuration(), logger: kafka.logger(label: "crossdock.topics"))
            let topics = try await admin.listTopics()
            await admin.close()
            for topic in topics { say("\(topic.name)\t\(topic.partitionCount)") }
        }
    }
}

public import Kafka
public import Logging
import MasterData
import Model

/// Keeps a ``MasterDataStore`` current from the compacted master-data topics. Every hub instance
/// reads them whole, from the beginning, outside the shared consumer group, and keeps reading.
public enum MasterDataFeed {
    /// Partitions of `topics` from their first offset (for readers outside any group).
    public static func fromBeginning(_ topics: [String], configuration: KafkaConfiguration, logger: Logger) async throws
        -> [KafkaTopicPartition: Int64]
    {
        let admin = try KafkaAdmin(configuration: configuration, logger: logger)
        defer { Task { await admin.close() } }
        let known = try await admin.listTopics()
        var offsets: [KafkaTopicPartition: Int64] = [:]
        for topic in topics {
            guard let info = known.first(where: { $0.name == topic }) else { continue }
            for partition in 0..<info.partitionCount {
                offsets[KafkaTopicPartition(topic: topic, partition: Int32(partition))] = KafkaOffset.beginning
            }
        }
        return offsets
    }

    /// The least time a fetch of the master-data topics waits for data, in milliseconds.
    static let fetchWaitMilliseconds = 500

    /// The hub's client configuration as the master-data reader uses it. Master data changes
    /// seldom, so its fetches wait at least librdkafka's default 500 ms for data, however short
    /// the raw topics' consumer is tuned to wait: an empty fetch is not free for a broker, and a
    /// reader that waits as briefly as a tuned raw-topic consumer keeps an idle broker busy
    /// (docs/performance.md has the figures).
    static func consumerConfiguration(_ configuration: KafkaConfiguration) -> KafkaConfiguration {
        var configuration = configuration
        let wait = configuration.properties["fetch.wait.max.ms"].flatMap { Int($0) } ?? fetchWaitMilliseconds
        configuration.properties["fetch.wait.max.ms"] = String(max(wait, fetchWaitMilliseconds))
        return configuration
    }

    /// Reads the topics until `isStopping` returns true, applying each poll's records as one change.
    static func follow(
        store: MasterDataStore, topics: Topics, configuration: KafkaConfiguration, logger: Logger,
        isStopping: @escaping @Sendable () -> Bool
    ) async throws {
        let offsets = try await fromBeginning(topics.masterData, configuration: configuration, logger: logger)
        guard !offsets.isEmpty else {
            logger.warning("no master-data topics \(topics.masterData) on the cluster: master data stays as loaded from files")
            return
        }
        let consumer = try KafkaConsumer(
            configuration: consumerConfiguration(configuration), groupID: "crossdock-masterdata-reader", logger: logger)
        try consumer.assign(offsets)
        while !isStopping() {
            let records = try await consumer.poll(maxRecords: 1000, timeout: .milliseconds(200))
            guard !records.isEmpty else { continue }
            var changes: [MasterDataChange] = []
            for record in records {
                let key = record.key.map { String(decoding: $0, as: UTF8.self) } ?? ""
                do {
                    switch record.topic {
                    case topics.masterDataItems: changes.append(try MasterDataChange.item(key: key, value: record.value))
                    case topics.masterDataPartners: changes.append(try MasterDataChange.partner(key: key, value: record.value))
                    default: changes.append(try MasterDataChange.location(key: key, value: record.value))
                    }
                } catch {
                    logger.error("master-data record \(record.topic)/\(record.partition)/\(record.offset) (\(key)) is not valid: \(error)")
                }
            }
            let outcome = store.apply(changes)
            if outcome.applied {
                logger.info("master data updated", metadata: ["changes": "\(changes.count)", "version": "\(store.version)"])
            } else {
                for diagnostic in outcome.diagnostics {
                    logger.error("master-data update refused: \(diagnostic.code) \(diagnostic.message)")
                }
            }
        }
        await consumer.close()
    }
}

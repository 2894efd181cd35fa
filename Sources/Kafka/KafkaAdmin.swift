internal import CRdKafka
public import Logging

/// A topic to create.
public struct KafkaTopicSpec: Sendable, Hashable {
    public var name: String
    public var partitions: Int
    public var replicationFactor: Int
    /// Topic configs, for example `["cleanup.policy": "compact"]`.
    public var configs: [String: String]

    public init(name: String, partitions: Int, replicationFactor: Int = 1, configs: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.configs = configs
    }
}

/// What happened to one topic of a create request.
public enum KafkaTopicCreation: Sendable, Hashable {
    case created
    case alreadyExisted
}

/// A topic as the cluster's metadata describes it.
public struct KafkaTopicInfo: Sendable, Hashable {
    public var name: String
    public var partitionCount: Int
}

/// Topic administration: idempotent creation, deletion and listing.
public final class KafkaAdmin: Sendable {
    private let client: RDKafkaClient

    public init(configuration: KafkaConfiguration, logger: Logger) throws(KafkaError) {
        client = try RDKafkaClient(
            kind: .producer,
            configuration: configuration.resolved(defaults: [:]),
            context: ClientContext(logger: logger, onError: nil)
        )
    }

    /// Creates the topics that do not exist yet; existing ones are left as they are (their
    /// partitions and configs are not changed). Fails on the first topic the broker refused.
    public func createTopics(_ specs: [KafkaTopicSpec], timeout: Duration = .seconds(30)) async throws(KafkaError)
        -> [String: KafkaTopicCreation]
    {
        guard !specs.isEmpty else { return [:] }
        let milliseconds = timeout.librdkafkaMilliseconds
        return try await onClientQueue { handle throws(KafkaError) in
            try Self.createTopicsBlocking(handle, specs, timeoutMilliseconds: milliseconds)
        }
    }

    /// Runs a blocking admin call on the client's own queue, never on Swift's cooperative pool.
    private func onClientQueue<T: Sendable>(_ body: @escaping @Sendable (OpaquePointer) throws(KafkaError) -> T) async throws(KafkaError) -> T {
        let client = self.client
        let result: Result<T, KafkaError> = await client.blocking {
            do throws(KafkaError) {
                return .success(try body(client.handle))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private static func createTopicsBlocking(
        _ handle: OpaquePointer, _ specs: [KafkaTopicSpec], timeoutMilliseconds: Int32
    ) throws(KafkaError) -> [String: KafkaTopicCreation] {
        var errorBuffer = [CChar](repeating: 0, count: 512)
        var newTopics: [OpaquePointer?] = []
        defer { for topic in newTopics { rd_kafka_NewTopic_destroy(topic) } }
        for spec in specs {
            guard
                let topic = rd_kafka_NewTopic_new(
                    spec.name, Int32(spec.partitions), Int32(spec.replicationFactor), &errorBuffer, errorBuffer.count)
            else {
                throw KafkaError(code: .admin, message: "topic \(spec.name): \(string(fromBuffer: errorBuffer))")
            }
            newTopics.append(topic)
            for (key, value) in spec.configs.sorted(by: { $0.key < $1.key }) {
                let err = rd_kafka_NewTopic_set_config(topic, key, value)
                if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                    throw KafkaError(err, context: "topic \(spec.name) config \(key)", fallback: .admin)
                }
            }
        }
        let event = try request("create topics", handle, RD_KAFKA_ADMIN_OP_CREATETOPICS, timeoutMilliseconds: timeoutMilliseconds) {
            rd_kafka_CreateTopics(handle, &newTopics, newTopics.count, $0, $1)
        }
        defer { rd_kafka_event_destroy(event) }
        guard let answer = rd_kafka_event_CreateTopics_result(event) else {
            throw KafkaError(code: .admin, message: "create topics: unexpected answer")
        }
        var count = 0
        guard let results = rd_kafka_CreateTopics_result_topics(answer, &count) else { return [:] }
        var outcome: [String: KafkaTopicCreation] = [:]
        for index in 0..<count {
            let result = results[index]
            let name = String(cString: rd_kafka_topic_result_name(result))
            let err = rd_kafka_topic_result_error(result)
            switch err {
            case RD_KAFKA_RESP_ERR_NO_ERROR:
                outcome[name] = .created
            case RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS:
                outcome[name] = .alreadyExisted
            default:
                throw topicError(result, "create topic")
            }
        }
        return outcome
    }

    /// Deletes topics and every record in them. A topic that does not exist is not an error. Fails
    /// on the first topic the broker refused.
    public func deleteTopics(_ names: [String], timeout: Duration = .seconds(30)) async throws(KafkaError) {
        guard !names.isEmpty else { return }
        let milliseconds = timeout.librdkafkaMilliseconds
        try await onClientQueue { handle throws(KafkaError) in
            try Self.deleteTopicsBlocking(handle, names, timeoutMilliseconds: milliseconds)
        }
    }

    private static func deleteTopicsBlocking(_ handle: OpaquePointer, _ names: [String], timeoutMilliseconds: Int32) throws(KafkaError) {
        var deletions: [OpaquePointer?] = names.map { rd_kafka_DeleteTopic_new($0) }
        defer { for deletion in deletions { rd_kafka_DeleteTopic_destroy(deletion) } }
        let event = try request("delete topics", handle, RD_KAFKA_ADMIN_OP_DELETETOPICS, timeoutMilliseconds: timeoutMilliseconds) {
            rd_kafka_DeleteTopics(handle, &deletions, deletions.count, $0, $1)
        }
        defer { rd_kafka_event_destroy(event) }
        guard let answer = rd_kafka_event_DeleteTopics_result(event) else {
            throw KafkaError(code: .admin, message: "delete topics: unexpected answer")
        }
        var count = 0
        guard let results = rd_kafka_DeleteTopics_result_topics(answer, &count) else { return }
        for index in 0..<count {
            let result = results[index]
            let err = rd_kafka_topic_result_error(result)
            guard err != RD_KAFKA_RESP_ERR_NO_ERROR, err != RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART else { continue }
            throw topicError(result, "delete topic")
        }
    }

    /// The error of one topic's result, with the broker's detail when it gave one.
    private static func topicError(_ result: OpaquePointer?, _ action: String) -> KafkaError {
        let name = String(cString: rd_kafka_topic_result_name(result))
        let detail = rd_kafka_topic_result_error_string(result).map { String(cString: $0) } ?? ""
        var error = KafkaError(rd_kafka_topic_result_error(result), context: "\(action) \(name)", fallback: .admin)
        if !detail.isEmpty { error.message += " (\(detail))" }
        return error
    }

    /// Runs one admin request (`send` gets its options and reply queue) and waits for its result
    /// event, which the caller destroys. Throws when no answer came or the request as a whole failed.
    private static func request(
        _ what: String, _ handle: OpaquePointer, _ operation: rd_kafka_admin_op_t, timeoutMilliseconds: Int32,
        send: (OpaquePointer?, OpaquePointer?) -> Void
    ) throws(KafkaError) -> OpaquePointer {
        var errorBuffer = [CChar](repeating: 0, count: 512)
        let queue = rd_kafka_queue_new(handle)
        defer { rd_kafka_queue_destroy(queue) }
        let options = rd_kafka_AdminOptions_new(handle, operation)
        defer { rd_kafka_AdminOptions_destroy(options) }
        rd_kafka_AdminOptions_set_request_timeout(options, timeoutMilliseconds, &errorBuffer, errorBuffer.count)
        rd_kafka_AdminOptions_set_operation_timeout(options, timeoutMilliseconds, &errorBuffer, errorBuffer.count)
        send(options, queue)
        guard let event = rd_kafka_queue_poll(queue, Int32(clamping: Int(timeoutMilliseconds) + 1000)) else {
            throw KafkaError(code: .timedOut, message: "\(what): no answer from the cluster", isRetriable: true)
        }
        let requestError = rd_kafka_event_error(event)
        if requestError != RD_KAFKA_RESP_ERR_NO_ERROR {
            rd_kafka_event_destroy(event)
            throw KafkaError(requestError, context: what, fallback: .admin)
        }
        return event
    }

    /// The topics the cluster knows, sorted by name (internal topics such as `__consumer_offsets`
    /// included).
    public func listTopics(timeout: Duration = .seconds(10)) async throws(KafkaError) -> [KafkaTopicInfo] {
        let client = self.client
        let milliseconds = timeout.librdkafkaMilliseconds
        let result: Result<[KafkaTopicInfo], KafkaError> = await client.blocking {
            var metadata: UnsafePointer<rd_kafka_metadata>? = nil
            let err = rd_kafka_metadata(client.handle, 1, nil, &metadata, milliseconds)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
                return .failure(KafkaError(err, context: "list topics", fallback: .admin))
            }
            defer { rd_kafka_metadata_destroy(metadata) }
            var topics: [KafkaTopicInfo] = []
            for index in 0..<Int(metadata.pointee.topic_cnt) {
                let topic = metadata.pointee.topics[index]
                guard topic.err == RD_KAFKA_RESP_ERR_NO_ERROR else { continue }
                topics.append(
                    KafkaTopicInfo(name: String(cString: topic.topic), partitionCount: Int(topic.partition_cnt)))
            }
            return .success(topics.sorted { $0.name < $1.name })
        }
        return try result.get()
    }

    /// Releases the client.
    public func close() async {
        let client = self.client
        await client.blocking { client.destroy() }
    }
}

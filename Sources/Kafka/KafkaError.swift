internal import CRdKafka

/// An error from the Kafka layer: a stable ``Code`` that callers can switch on, a human message,
/// and whether retrying can help.
///
/// Codes are values rather than enum cases so new ones can be added without breaking callers.
public struct KafkaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable error code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// A configuration property was rejected by librdkafka.
        public static let invalidConfiguration = Code("invalid_configuration")
        /// The loaded librdkafka is older than Crossdock supports.
        public static let unsupportedLibrary = Code("unsupported_librdkafka")
        /// librdkafka could not create the client handle.
        public static let clientCreation = Code("client_creation")
        /// The producer's local queue is full; wait for deliveries and retry.
        public static let queueFull = Code("queue_full")
        /// The record is larger than `message.max.bytes`.
        public static let messageTooLarge = Code("message_too_large")
        /// The topic or partition does not exist.
        public static let unknownTopicOrPartition = Code("unknown_topic_or_partition")
        /// An operation did not finish within its timeout.
        public static let timedOut = Code("timed_out")
        /// No broker can be reached.
        public static let transport = Code("transport")
        /// A record was not delivered.
        public static let delivery = Code("delivery")
        /// Creating or listing topics failed.
        public static let admin = Code("admin")
        /// Committing or storing offsets failed.
        public static let offsets = Code("offsets")
        /// A group operation (subscribe, assignment, pause) failed.
        public static let consumerGroup = Code("consumer_group")
        /// The client hit an unrecoverable error (for example an idempotence violation) and must be
        /// recreated.
        public static let fatal = Code("fatal")
        /// The client was already shut down.
        public static let closed = Code("closed")
        /// Any other broker or client error; ``KafkaError/brokerCode`` names it.
        public static let other = Code("other")
    }

    public var code: Code
    public var message: String
    /// librdkafka's own error name (for example `_MSG_TIMED_OUT`), when the error came from it.
    public var brokerCode: String?
    /// The client cannot continue; it must be closed and created again.
    public var isFatal: Bool
    /// The same operation may succeed if tried again later.
    public var isRetriable: Bool

    public init(
        code: Code, message: String, brokerCode: String? = nil, isFatal: Bool = false, isRetriable: Bool = false
    ) {
        self.code = code
        self.message = message
        self.brokerCode = brokerCode
        self.isFatal = isFatal
        self.isRetriable = isRetriable
    }

    public var description: String {
        var text = "KafkaError(\(code)): \(message)"
        if let brokerCode { text += " [\(brokerCode)]" }
        if isFatal { text += " (fatal)" } else if isRetriable { text += " (retriable)" }
        return text
    }
}

extension KafkaError {
    /// Builds an error from a librdkafka response code, choosing the stable code and retriability.
    init(_ err: rd_kafka_resp_err_t, context: String, fallback: Code = .other) {
        let name = String(cString: rd_kafka_err2name(err))
        let text = String(cString: rd_kafka_err2str(err))
        let code: Code
        var retriable = false
        switch err {
        case RD_KAFKA_RESP_ERR__QUEUE_FULL:
            code = .queueFull
            retriable = true
        case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE:
            code = .messageTooLarge
        case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART,
            RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION:
            code = .unknownTopicOrPartition
            retriable = true
        case RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
            code = .timedOut
            retriable = true
        case RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, RD_KAFKA_RESP_ERR__RESOLVE:
            code = .transport
            retriable = true
        case RD_KAFKA_RESP_ERR__FATAL:
            code = .fatal
        default:
            code = fallback
            retriable = Self.isRetriableBrokerError(err)
        }
        self.init(
            code: code,
            message: "\(context): \(text)",
            brokerCode: name,
            isFatal: err == RD_KAFKA_RESP_ERR__FATAL,
            isRetriable: retriable
        )
    }

    /// Whether the group's membership changed under a request (the member's generation ended, or
    /// it was fenced or forgotten): it rejoins, and the request means nothing for the new one.
    public var isGroupChange: Bool {
        ["ILLEGAL_GENERATION", "UNKNOWN_MEMBER_ID", "REBALANCE_IN_PROGRESS", "FENCED_INSTANCE_ID"].contains(brokerCode ?? "")
    }

    /// Builds an error from a librdkafka error object and destroys it.
    init(consuming error: OpaquePointer, context: String, fallback: Code = .other) {
        defer { rd_kafka_error_destroy(error) }
        self.init(rd_kafka_error_code(error), context: context, fallback: fallback)
        message = "\(context): \(String(cString: rd_kafka_error_string(error)))"
        isFatal = rd_kafka_error_is_fatal(error) != 0
        isRetriable = !isFatal && rd_kafka_error_is_retriable(error) != 0
        if isFatal { code = .fatal }
    }

    private static func isRetriableBrokerError(_ err: rd_kafka_resp_err_t) -> Bool {
        switch err {
        case RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE,
            RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND,
            RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_NOT_COORDINATOR,
            RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS, RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS,
            RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION, RD_KAFKA_RESP_ERR__WAIT_COORD:
            return true
        default:
            return false
        }
    }
}

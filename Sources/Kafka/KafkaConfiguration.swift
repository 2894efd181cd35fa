/// librdkafka configuration: Crossdock's defaults plus any property a user passes through
/// (`security.protocol`, `sasl.*`, `ssl.*`, ...). User properties always win over defaults.
public struct KafkaConfiguration: Sendable, Hashable {
    /// `bootstrap.servers`, for example `["127.0.0.1:19092"]`.
    public var bootstrapServers: [String]
    /// Raw librdkafka properties, applied after the defaults of each client kind.
    public var properties: [String: String]

    public init(bootstrapServers: [String], properties: [String: String] = [:]) {
        self.bootstrapServers = bootstrapServers
        self.properties = properties
    }

    /// Producer defaults: idempotent delivery with acks from all in-sync replicas, so a retry never
    /// duplicates or reorders a record within a partition.
    public static let producerDefaults: [String: String] = [
        "enable.idempotence": "true",
        "acks": "all",
        "linger.ms": "5",
        "compression.type": "lz4",
        // An output not delivered within a minute fails, so that a pipeline stuck on a broker that
        // lost its state starts again instead of retrying for librdkafka's default five minutes.
        "message.timeout.ms": "60000",
    ]

    /// Consumer defaults: offsets are stored and committed only by the application, after the work
    /// for a record is done; a group with no committed offset starts at the beginning. The
    /// pre-fetch queue is held to 4 MB (librdkafka's default, 64 MB, would be most of a hub's memory;
    /// 4 MB is still seconds of scans). When the queue is full, the next fetch waits 10 ms instead
    /// of librdkafka's 1 s (`fetch.queue.backoff.ms`): with a small queue, a one-second pause each
    /// time it fills starved the consumer (measured: 200,000 records read by kcat in 3.8-6.8 s with
    /// the 1 s backoff, 0.8 s with 10 ms).
    public static let consumerDefaults: [String: String] = [
        "queued.max.messages.kbytes": "4096",
        "fetch.queue.backoff.ms": "10",
        "enable.auto.commit": "false",
        "enable.auto.offset.store": "false",
        "auto.offset.reset": "earliest",
    ]

    /// The full property set for a client kind, defaults first.
    package func resolved(defaults: [String: String], extra: [String: String] = [:]) -> [(String, String)] {
        var merged = defaults
        merged["bootstrap.servers"] = bootstrapServers.joined(separator: ",")
        merged["client.id"] = merged["client.id"] ?? "crossdock"
        for (key, value) in extra { merged[key] = value }
        for (key, value) in properties { merged[key] = value }
        return merged.sorted { $0.key < $1.key }
    }

    /// Whether a property holds a secret that must never appear in logs or error messages.
    public static func isSecret(_ key: String) -> Bool {
        let lowered = key.lowercased()
        return ["password", "passwd", "secret", "sasl.oauthbearer.config", "ssl.key.pem", "ssl_key", "token"]
            .contains { lowered.contains($0) }
    }
}

/// A record header. Kafka allows repeated keys and null values; both are kept.
public struct KafkaHeader: Sendable, Hashable {
    public var key: String
    /// Text is kept as it was given and handed to librdkafka from its own UTF-8 storage, without
    /// an array made for every header of every record.
    private enum Storage: Sendable {
        case bytes([UInt8]?)
        case text(String)
    }

    private var storage: Storage

    public init(key: String, value: [UInt8]?) {
        self.key = key
        storage = .bytes(value)
    }

    public init(key: String, string: String) {
        self.key = key
        storage = .text(string)
    }

    public var value: [UInt8]? {
        get {
            switch storage {
            case .bytes(let bytes): bytes
            case .text(let text): Array(text.utf8)
            }
        }
        set { storage = .bytes(newValue) }
    }

    /// The value as UTF-8 text, when it is valid UTF-8.
    public var stringValue: String? {
        switch storage {
        case .bytes(let bytes): bytes.flatMap { String(validating: $0, as: UTF8.self) }
        case .text(let text): text
        }
    }

    /// Calls `body` with the value's bytes (`nil` for a null value).
    func withValueBytes<Result>(_ body: (UnsafeRawBufferPointer?) -> Result) -> Result {
        switch storage {
        case .bytes(nil): return body(nil)
        case .bytes(let bytes?): return bytes.withUnsafeBytes { body($0) }
        case .text(var text): return text.withUTF8 { body(UnsafeRawBufferPointer($0)) }
        }
    }

    public static func == (lhs: KafkaHeader, rhs: KafkaHeader) -> Bool {
        lhs.key == rhs.key && lhs.value == rhs.value
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(key)
        hasher.combine(value)
    }
}

/// A topic and partition.
public struct KafkaTopicPartition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32

    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.topic, lhs.partition) < (rhs.topic, rhs.partition)
    }

    public var description: String { "\(topic)[\(partition)]" }
}

/// A record to produce.
public struct KafkaOutgoingRecord: Sendable, Hashable {
    public var topic: String
    /// An explicit partition, or `nil` for the configured partitioner (by key).
    public var partition: Int32?
    public var key: [UInt8]?
    public var value: [UInt8]
    public var headers: [KafkaHeader]
    /// The record's timestamp in milliseconds since the epoch; nil for now.
    public var timestampMilliseconds: Int64?

    public init(
        topic: String, partition: Int32? = nil, key: [UInt8]?, value: [UInt8], headers: [KafkaHeader] = [],
        timestampMilliseconds: Int64? = nil
    ) {
        self.topic = topic
        self.partition = partition
        self.key = key
        self.value = value
        self.headers = headers
        self.timestampMilliseconds = timestampMilliseconds
    }
}

/// Where the broker stored a produced record.
public struct KafkaDeliveryReport: Sendable, Hashable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
}

/// The outcome of a record sent with a token (``KafkaProducer/send(to:key:value:headers:token:)``):
/// nil, or why it was not delivered.
public struct KafkaDelivery: Sendable {
    public var token: UInt
    public var error: KafkaError?

    public init(token: UInt, error: KafkaError?) {
        self.token = token
        self.error = error
    }
}

/// A consumed record.
public struct KafkaConsumerRecord: Sendable, Hashable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var key: [UInt8]?
    public var value: [UInt8]
    public var headers: [KafkaHeader]
    /// Milliseconds since the epoch, as the producer or broker stamped it.
    public var timestampMilliseconds: Int64?

    public init(
        topic: String, partition: Int32, offset: Int64, key: [UInt8]?, value: [UInt8],
        headers: [KafkaHeader] = [], timestampMilliseconds: Int64? = nil
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
        self.timestampMilliseconds = timestampMilliseconds
    }

    public var topicPartition: KafkaTopicPartition { KafkaTopicPartition(topic: topic, partition: partition) }

    /// The first header with this key.
    public func header(_ key: String) -> KafkaHeader? { headers.first { $0.key == key } }
}

/// Special offsets for ``KafkaConsumer/assign(_:)``.
public enum KafkaOffset {
    /// The first offset still in the partition.
    public static let beginning: Int64 = -2
    /// The next offset to be written.
    public static let end: Int64 = -1
}

/// A change of the partitions assigned to this consumer.
public enum KafkaRebalanceEvent: Sendable, Hashable {
    /// These partitions are now ours.
    case assigned([KafkaTopicPartition])
    /// These partitions are being taken away; offsets for finished work can still be committed.
    case revoked([KafkaTopicPartition])
    /// These partitions were lost (session expired); another member may already own them, so
    /// committing for them is pointless.
    case lost([KafkaTopicPartition])
}

internal import CRdKafka

/// The partition librdkafka's key-based partitioners give a key, computed by librdkafka's own
/// functions: a process that places keyed state itself (a store partition per key) finds the
/// partition its producer would write the key to.
public enum KafkaPartitioner: String, Sendable, Hashable {
    /// CRC-32 of the key: librdkafka's default (`consistent_random`) for every non-empty key.
    case consistent
    /// The Java client's default (murmur2).
    case murmur2
    /// FNV-1a, as Sarama (Go) places keys.
    case fnv1a

    /// The partitioner a producer's `partitioner` property names; the default when it names none;
    /// nil for `random`, which places no key.
    public init?(property: String?) {
        switch property {
        case nil, "consistent", "consistent_random": self = .consistent
        case "murmur2", "murmur2_random": self = .murmur2
        case "fnv1a", "fnv1a_random": self = .fnv1a
        default: return nil
        }
    }

    /// The key's partition of `count` (> 0). An empty key gets the partition its hash gives (the
    /// `_random` variants would scatter empty keys; placing state needs one place per key).
    public func partition(of key: [UInt8], count: Int32) -> Int32 {
        precondition(count > 0, "a topic has at least one partition")
        return key.withUnsafeBytes { bytes in
            switch self {
            case .consistent: rd_kafka_msg_partitioner_consistent(nil, bytes.baseAddress, bytes.count, count, nil, nil)
            case .murmur2: rd_kafka_msg_partitioner_murmur2(nil, bytes.baseAddress, bytes.count, count, nil, nil)
            case .fnv1a: rd_kafka_msg_partitioner_fnv1a(nil, bytes.baseAddress, bytes.count, count, nil, nil)
            }
        }
    }
}

import Kafka
import Model
import Normalize

/// W3C Trace Context (https://www.w3.org/TR/trace-context/) for the hub's outputs: an input's
/// `traceparent` header is carried to every output of it as a child (same trace id and flags, a
/// span id of the hub's own), `tracestate` with it; an input without a valid one starts a trace.
/// Ids are derived from the input's position, so a re-delivered input gets the same headers as
/// its first delivery, as its records are byte-identical.
struct TraceContext: Equatable {
    static let parentHeader = "traceparent"
    static let stateHeader = "tracestate"

    var traceID: String
    var spanID: String
    var flags: String
    var state: String?

    /// A longer `tracestate` is not carried, so that an output stays within the size its
    /// rejection rule counts on (``RecordRejection/recordBytes(of:valueBytes:)``).
    static let maximumStateBytes = RecordRejection.maximumTraceStateBytes

    /// The `traceparent` header value.
    var traceparent: String { "00-\(traceID)-\(spanID)-\(flags)" }

    /// The context of the hub's processing of `record`.
    static func child(of record: KafkaConsumerRecord) -> TraceContext {
        var position = Array(record.topic.utf8)
        position.append(UInt8(ascii: "/"))
        position += String(record.partition).utf8
        position.append(UInt8(ascii: "/"))
        position += String(record.offset).utf8
        if let header = record.header(parentHeader)?.stringValue, let parent = parse(header) {
            position.append(UInt8(ascii: "/"))
            position += header.utf8
            return TraceContext(
                traceID: parent.traceID, spanID: spanID(position), flags: parent.flags,
                state: record.header(stateHeader)?.stringValue.flatMap { $0.utf8.count <= maximumStateBytes ? $0 : nil })
        }
        // A new trace, sampled: the hub is where this message's story starts.
        let traceID = digest("trace/", position) + digest("trace2/", position)
        return TraceContext(traceID: traceID, spanID: spanID(position), flags: "01", state: nil)
    }

    /// A span id: 16 hex digits, never all zero.
    static func spanID(_ seed: [UInt8]) -> String {
        let id = digest("span/", seed)
        return id == "0000000000000000" ? "0000000000000001" : id
    }

    /// The digest of `prefix` followed by `seed`.
    private static func digest(_ prefix: StaticString, _ seed: [UInt8]) -> String {
        var name: [UInt8] = []
        name.reserveCapacity(prefix.utf8CodeUnitCount + seed.count)
        name += UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
        name += seed
        return EventID.digest(name)
    }

    /// `version-traceid-parentid-flags`; nil for a value the specification says to ignore
    /// (wrong lengths, upper case, all-zero ids, version ff). A later version is read by its first
    /// four fields.
    static func parse(_ value: String) -> (traceID: String, parentID: String, flags: String)? {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 4, parts[0].count == 2, isHex(parts[0]), parts[0] != "ff" else { return nil }
        guard parts[0] != "00" || parts.count == 4 else { return nil }
        let (trace, parent, flags) = (parts[1], parts[2], parts[3])
        guard trace.count == 32, isHex(trace), trace != String(repeating: "0", count: 32),
            parent.count == 16, isHex(parent), parent != String(repeating: "0", count: 16),
            flags.count == 2, isHex(flags)
        else { return nil }
        return (trace, parent, flags)
    }

    private static func isHex(_ text: String) -> Bool {
        text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}

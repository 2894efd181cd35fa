import Foundation
public import Logging
import Model

/// Structured logs: one JSON object per line on standard error, with the level, label, message,
/// module and every metadata value (topic, partition, offset, event id, ...). Values
/// are JSON-escaped, so partner text cannot forge log lines.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String

    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var writer = JSONWriter(capacity: 256)
        writer.beginObject()
        writer.field("time", Timestamp.current().description)
        writer.field("level", event.level.rawValue)
        writer.field("logger", label)
        writer.field("message", event.message.description)
        writer.field("source", event.source)
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            writer.key(text: key)
            writer.string("\(value)")
        }
        writer.endObject()
        FileHandle.standardError.write(Data(writer.bytes + [0x0A]))
    }
}

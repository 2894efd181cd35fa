public import Model

/// The dead-letter record's headers: their names (a contract: replay, the demo and users'
/// tooling read them), how they are made from a rejection, and their size rules. Values are
/// single-line (control characters from partner data escaped, so they cannot forge headers or log
/// lines) and bounded in bytes.
public enum DeadLetter {
    public static let errorCode = "crossdock.error.code"
    public static let errorStage = "crossdock.error.stage"
    public static let errorMessage = "crossdock.error.message"
    public static let diagnostics = "crossdock.diagnostics"
    public static let diagnosticsOmitted = "crossdock.diagnostics.omitted"
    public static let documents = "crossdock.documents"
    public static let documentsOmitted = "crossdock.documents.omitted"
    public static let sourceTopic = "crossdock.source.topic"
    public static let sourcePartition = "crossdock.source.partition"
    public static let sourceOffset = "crossdock.source.offset"
    public static let sourceFile = "crossdock.source.file"
    public static let partner = "crossdock.partner"
    public static let originalLength = "crossdock.original.length"
    public static let originalSha256 = "crossdock.original.sha256"
    public static let originalTruncated = "crossdock.original.truncated"
    public static let keyOmitted = "crossdock.original.key.omitted"
    public static let inputHeadersOmitted = "crossdock.input.headers.omitted"
    public static let rejectionID = "crossdock.rejection.id"
    /// Set on a replayed input: the dead-letter record it came from (`topic/partition/offset`).
    public static let replayedFrom = "crossdock-replayed-from"

    /// The reason's headers of `rejection`. The diagnostics and documents headers hold as many
    /// entries as fit in `budget` bytes each, the number left out in their `.omitted` headers.
    public static func headers(_ rejection: RejectedRecord, budget: Int = 64 << 10) -> [(key: String, value: String)] {
        var headers: [(key: String, value: String)] = [
            (errorCode, rejection.code.rawValue),
            (errorStage, rejection.stage.rawValue),
            (errorMessage, HeaderText.escape(rejection.message, maxBytes: 1024)),
        ]
        let (diagnosticsJSON, diagnosticsLeft) = boundedArray(rejection.diagnostics, budget: budget)
        headers.append((diagnostics, diagnosticsJSON))
        if diagnosticsLeft > 0 { headers.append((diagnosticsOmitted, String(diagnosticsLeft))) }
        if let listed = rejection.documents {
            let (documentsJSON, documentsLeft) = boundedArray(listed, budget: budget)
            headers.append((documents, documentsJSON))
            let notListed = documentsLeft + (rejection.documentsOmitted ?? 0)
            if notListed > 0 { headers.append((documentsOmitted, String(notListed))) }
        }
        let source = rejection.source
        if let topic = source.topic { headers.append((sourceTopic, HeaderText.escape(topic, maxBytes: 512))) }
        if let partition = source.partition { headers.append((sourcePartition, String(partition))) }
        if let offset = source.offset { headers.append((sourceOffset, String(offset))) }
        if let file = source.file { headers.append((sourceFile, HeaderText.escape(file, maxBytes: 1024))) }
        if let name = rejection.partner { headers.append((partner, HeaderText.escape(name, maxBytes: 256))) }
        headers.append((originalLength, String(rejection.originalLength)))
        headers.append((originalSha256, rejection.originalSha256))
        return headers
    }

    /// A JSON array of the first entries that fit in `budget` bytes, and how many were left out.
    static func boundedArray<Element: JSONEncodable>(_ elements: [Element], budget: Int) -> (json: String, omitted: Int) {
        var json: [UInt8] = [UInt8(ascii: "[")]
        var written = 0
        for element in elements {
            var one = JSONWriter(capacity: 128)
            element.write(to: &one)
            guard json.count + one.byteCount + 2 <= budget else { break }
            if written > 0 { json.append(UInt8(ascii: ",")) }
            json += one.bytes
            written += 1
        }
        json.append(UInt8(ascii: "]"))
        return (String(decoding: json, as: UTF8.self), elements.count - written)
    }

    /// What a header costs in a record beside its name and value (lengths, attributes).
    static let headerOverhead = 8
    /// What a record costs beside its key, value and headers (as librdkafka counts it, with room).
    static let recordOverhead = 512

    /// What a header costs in a record: its name, its value, and the lengths and attributes.
    static func cost(_ name: String, _ valueBytes: Int) -> Int { name.utf8.count + valueBytes + headerOverhead }

    /// The `crossdock.` namespace is the hub's: an input's header there is not carried over.
    public static func isReserved(_ name: String) -> Bool { name.hasPrefix("crossdock.") }

    /// The bytes each list header (diagnostics, documents) and the input's headers may take: a
    /// sixteenth of the output limit, so that the value keeps most of it.
    static func listBudget(_ limit: Int) -> Int { max(1024, limit / 16) }
}

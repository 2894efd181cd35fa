public import Model

/// Builds the `crossdock.rejected.v1` record for an input (or one document of it).
enum Rejections {
    /// One document's rejection, before it is gathered with the input's others (``RecordRejection``):
    /// it names itself in `documents`, and carries no original yet (that is added once per record).
    static func make(
        _ findings: Findings, record: InputRecord, partner: String?, site: String?, sourceURN: String?, document: String,
        position: String
    ) -> CloudEvent<RejectedRecord> {
        let stage = findings.failedStage ?? .parse
        let diagnostics = findings.all
        let first = diagnostics.first { $0.severity == .error }
        let code = first?.code ?? .jsonInvalid
        let message = first?.message ?? "rejected"
        let data = RejectedRecord(
            code: code, stage: stage, message: message, diagnostics: diagnostics, partner: partner, source: record.source,
            documents: [
                RejectedDocument(
                    document: document, position: position, code: code, stage: stage, message: message, partner: partner,
                    firstDiagnostic: 0, diagnosticCount: diagnostics.count)
            ],
            key: nil, original: [])
        let source = sourceURN ?? "urn:crossdock:unknown"
        return CloudEvent(
            id: EventID.make(source: source, document: document, position: "rejected/" + position), source: source,
            subject: subject(of: record), time: record.recordedAt, partner: partner, site: site, recordedtime: record.recordedAt,
            correlationid: nil, sourceref: record.source.reference, data: data)
    }

    /// A rejection's subject (and dead-letter key): the input's key as text, else its position.
    static func subject(of record: InputRecord) -> String {
        record.key.flatMap { String(validating: $0, as: UTF8.self) } ?? record.source.reference
    }
}

/// The one rejection an input record gets, however many of its documents were rejected: the first
/// rejected document's reason, every document's findings in order, each rejected document listed
/// (when the record held more than one document), and the original once, bounded.
public struct RecordRejection: Sendable {
    public let record: InputRecord
    private var rejections: [CloudEvent<RejectedRecord>] = []
    /// Documents of the record that became events.
    private var events = 0
    /// Rejected documents beyond ``listedDocuments``: counted, not kept.
    private var omitted = 0

    /// The rejected documents whose findings a rejection lists. An input of many tiny bad
    /// documents (a 10 MB batch of `42,`) would otherwise make findings a hundred times its size.
    public static let listedDocuments = 1_000

    /// The findings a record's rejection lists in all: past them, each further document keeps
    /// its first finding and a count of the others. A thousand documents of a thousand findings
    /// each (envelope findings that every set of an interchange carries) would otherwise make a
    /// record of a hundred megabytes.
    public static let listedFindings = 10_000

    public init(record: InputRecord) { self.record = record }

    /// Adds an outcome of the record: a rejection is kept, an event counted. Returns the event
    /// (to be emitted), nil for a rejection.
    public mutating func add(_ outcome: Outcome) -> CanonicalEvent? {
        switch outcome {
        case .event(let event):
            events += 1
            return event
        case .rejected(let rejection):
            if rejections.count < Self.listedDocuments { rejections.append(rejection) } else { omitted += 1 }
            return nil
        }
    }

    /// The longest `tracestate` the hub carries to an output (W3C Trace Context lets one hold 32
    /// members of 256 characters; a longer one is dropped, as the specification allows).
    public static let maximumTraceStateBytes = 512

    /// The bytes of the Kafka record the hub writes for `event` whose value is `valueBytes`: the
    /// value, its key (the subject) and headers (content-type, ce_*, traceparent, and tracestate
    /// up to ``maximumTraceStateBytes``).
    public static func recordBytes<Payload>(of event: CloudEvent<Payload>, valueBytes: Int) -> Int {
        valueBytes + event.subject.utf8.count + event.id.utf8.count + event.source.utf8.count + 256 + maximumTraceStateBytes
    }

    /// Whether `event` fits in `limit` as the hub writes it (see ``recordBytes(of:valueBytes:)``);
    /// one that does not is added to the rejection, as the hub adds it.
    public mutating func fits(_ event: CanonicalEvent, limit: Int) -> Bool {
        func check<Payload>(_ event: CloudEvent<Payload>) -> Bool {
            let bytes = event.jsonBytes().count
            guard Self.recordBytes(of: event, valueBytes: bytes) > limit else { return true }
            add(oversized: event, bytes: bytes, limit: limit)
            return false
        }
        switch event {
        case .inventoryEvent(let event): return check(event)
        case .shipmentNotice(let event): return check(event)
        case .carrierStatus(let event): return check(event)
        }
    }

    /// Adds a document that became an event the hub could not write (larger than its output limit).
    public mutating func add<Payload>(oversized event: CloudEvent<Payload>, bytes: Int, limit: Int) {
        guard rejections.count < Self.listedDocuments else {
            omitted += 1
            return
        }
        let diagnostic = Diagnostic.error(
            .messageTooLarge, "the \(Payload.eventType.rawValue) event \(event.id) is \(bytes) bytes, more than the output limit of \(limit)",
            at: event.correlationid ?? event.subject)
        let data = RejectedRecord(
            code: diagnostic.code, stage: .map, message: diagnostic.message, diagnostics: [diagnostic], partner: event.partner,
            source: record.source,
            documents: [
                RejectedDocument(
                    document: event.correlationid ?? event.subject, position: event.id, code: diagnostic.code, stage: .map,
                    message: diagnostic.message, partner: event.partner, firstDiagnostic: 0, diagnosticCount: 1)
            ],
            key: nil, original: [])
        rejections.append(
            CloudEvent(
                id: EventID.make(source: event.source, document: event.id, position: "rejected/too-large"), source: event.source,
                subject: Rejections.subject(of: record), time: record.recordedAt, partner: event.partner, site: event.site,
                recordedtime: record.recordedAt, correlationid: event.correlationid, sourceref: record.source.reference, data: data))
    }

    /// The record's rejection, nil when nothing was rejected. The original is carried up to
    /// `originalLimit` bytes; its length and SHA-256 always.
    public func finish(originalLimit: Int) -> CloudEvent<RejectedRecord>? {
        guard let first = rejections.first else { return nil }
        var diagnostics: [Diagnostic] = []
        var documents: [RejectedDocument] = []
        for rejection in rejections {
            var own = rejection.data.diagnostics
            var trimmed: [RejectedDocument]? = nil
            if diagnostics.count + own.count > Self.listedFindings, own.count > 2, rejection.data.documents?.count == 1 {
                let first = own.first { $0.severity == .error } ?? own[0]
                own = [
                    first,
                    Diagnostic(
                        severity: .info, code: .findingsOmitted,
                        message: "\(rejection.data.diagnostics.count - 1) more findings of this document are not listed (a rejection lists \(Self.listedFindings) in all)"),
                ]
                trimmed = rejection.data.documents!.map { document in
                    var document = document
                    document.diagnosticCount = own.count
                    return document
                }
            }
            for var document in trimmed ?? rejection.data.documents ?? [] {
                document.firstDiagnostic += diagnostics.count
                documents.append(document)
            }
            diagnostics += own
        }
        let several = rejections.count + omitted + events > 1
        var data = RejectedRecord(
            code: first.data.code, stage: first.data.stage, message: first.data.message, diagnostics: diagnostics,
            partner: first.data.partner, source: record.source, documents: several ? documents : nil, key: record.key,
            original: record.value, originalLimit: originalLimit)
        if omitted > 0 { data.documentsOmitted = omitted }
        // Reading stopped past the size limit: what was read is not the whole input.
        if record.isCut { data.originalTruncated = true }
        // One rejected document keeps the id it has alone; several get one of their own.
        let count = rejections.count + omitted
        let id = count == 1 ? first.id : EventID.make(source: first.source, document: first.id, position: "rejected/\(count)")
        return CloudEvent(
            id: id, source: first.source, subject: first.subject, time: first.time, partner: first.partner, site: first.site,
            recordedtime: first.recordedtime, correlationid: first.correlationid, sourceref: first.sourceref, data: data)
    }
}

import Model

/// Builds the `crossdock.rejected.v1` record for an input (or one document of it).
enum Rejections {
    static func make(
        _ findings: Findings, record: InputRecord, partner: String?, site: String?, sourceURN: String?, document: String,
        position: String
    ) -> CloudEvent<RejectedRecord> {
        let stage = findings.failedStage ?? .parse
        let data =
            RejectedRecord(
                stage: stage, diagnostics: findings.all, partner: partner, source: record.source, key: record.key,
                original: record.value)
            ?? RejectedRecord(
                code: .jsonInvalid, stage: stage, message: "rejected", diagnostics: findings.all, partner: partner,
                source: record.source, key: record.key, original: record.value)
        let source = sourceURN ?? "urn:crossdock:unknown"
        let subject = record.key.flatMap { String(validating: $0, as: UTF8.self) } ?? record.source.reference
        return CloudEvent(
            id: EventID.make(source: source, document: document, position: "rejected/" + position), source: source,
            subject: subject, time: record.recordedAt, partner: partner, site: site, recordedtime: record.recordedAt,
            correlationid: nil, sourceref: record.source.reference, data: data)
    }
}

import Model

/// Reads an EDIFACT IFTSTA (international multimodal status report): CNI consignment, each STS
/// with its DTM+334 (status date), LOC (place), FTX (text), RFF references and GIN (SSCCs).
public enum EdifactStatusReport {
    public static func read(_ message: EdifactMessage) -> StatusDocument {
        let reference = message.reference
        var document = StatusDocument(format: "edifact-iftsta", documentID: message.documentID, location: "UNH \(reference)")
        document.senderIdentifiers = [message.groupSender, message.interchange.sender].compactMap { $0 }.filter { !$0.isEmpty }
        document.diagnostics = message.diagnostics
        var current: StatusOccurrence? = nil
        func finish() {
            if let occurrence = current { document.events.append(occurrence) }
            current = nil
        }
        for segment in message.segments.dropFirst() {
            switch segment.tagCode {
            case EdifactSegment.tagCode("CNI"):
                finish()
                if document.trackingNumber == nil { document.trackingNumber = segment.value(2, 1) }
            case EdifactSegment.tagCode("STS"):
                finish()
                var occurrence = StatusOccurrence(position: segment.location(message: reference))
                occurrence.statusCode = segment.value(2, 1)
                occurrence.reasonCode = segment.value(3, 1)
                occurrence.description = segment.value(2, 4)
                current = occurrence
            case EdifactSegment.tagCode("DTM"):
                let stamp = EdifactDespatchAdvice.dateTime(segment[1, 2], format: segment[1, 3])
                if current != nil, ["334", "178", "132", "17"].contains(segment[1, 1]) {
                    if stamp == nil {
                        document.diagnostics.append(.error(.edifactSyntax, "DTM '\(segment[1, 2])' is not a date in format \(segment[1, 3])", at: segment.location(message: reference, element: 1)))
                    }
                    if segment[1, 1] == "132" || segment[1, 1] == "17" { current?.estimatedDeliveryAt = stamp } else { current?.occurredAt = stamp }
                }
            case EdifactSegment.tagCode("LOC"):
                if current != nil {
                    current?.location = StatusLocation(city: segment.value(2, 4) ?? segment.value(2, 1), country: segment.value(3, 1))
                }
            case EdifactSegment.tagCode("FTX"):
                if current != nil, let text = segment.value(4, 1) { current?.description = text }
            case EdifactSegment.tagCode("RFF"):
                if let value = segment.value(1, 2) {
                    document.references.append(Reference(qualifier: segment[1, 1], value: value))
                    if segment[1, 1] == "CU" || segment[1, 1] == "SRN" { document.shipmentReference = value }
                }
            case EdifactSegment.tagCode("NAD"):
                if segment[1, 1] == "CA", let id = segment.value(2, 1) { document.scac = document.scac ?? id }
            default:
                break
            }
        }
        finish()
        if document.events.isEmpty {
            document.diagnostics.append(.error(.edifactSyntax, "the IFTSTA has no STS status", at: "UNH \(reference)"))
        }
        return document
    }
}

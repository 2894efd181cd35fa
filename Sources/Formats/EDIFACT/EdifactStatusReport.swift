import Model

/// Reads an EDIFACT IFTSTA (international multimodal status report). Each CNI group is one
/// consignment with its own number (CNI C503 1004) and references; each STS in it is one status
/// of that consignment, never of another:
/// - the status code is STS C555 (4405, UN/ECE Recommendation 24; 9011 in D.96A), else C601 when
///   a carrier sends its code there; a code whose C555/C601 names a code list or agency other than
///   UN/ECE's (3055 `6`) is the carrier's own, mapped through its profile only;
/// - the reason is C556 9013; the text C555 4404 or an FTX;
/// - the time is the STS group's DTM 334 (status change), 78, 7, 178, 186, 35 or 11, the estimate
///   its DTM 17 or 132; a DTM after a LOC is that place's (a route's loading port, a ramp): it dates
///   the status only after LOC+175 (the place of the activity), and is the delivery estimate only
///   after LOC+7 or +8 (place of delivery, final destination);
/// - the place is the group's LOC+175, else its first LOC before a TDT (the LOCs of a TDT are the
///   transport's route, not where the status happened);
/// - tracking numbers: the consignment's number, else its RFF+CW (package number), RFF+CN or
///   RFF+BN; RFF+CU, SRN or ACD is the shipper's reference; every RFF is kept as a reference.
public enum EdifactStatusReport {
    /// DTM qualifiers (2005) that date a status: status change, the ones carriers use for the
    /// event itself (78), effective, arrival/departure/delivery actual, despatch.
    static let eventDates: Set<String> = ["334", "78", "7", "178", "186", "35", "11"]
    /// DTM qualifiers of an expected delivery or arrival.
    static let estimateDates: Set<String> = ["17", "132"]
    /// RFF qualifiers (1153) that carry the number a consignment is tracked by, in order of preference.
    static let trackingQualifiers = ["CW", "CN", "BN"]
    static let shipperQualifiers: Set<String> = ["CU", "SRN", "ACD"]

    public static func read(_ message: EdifactMessage) -> StatusDocument {
        var reading = StatusReading(message)
        for segment in message.segments.dropFirst() {
            reading.read(segment)
        }
        return reading.finish()
    }

    /// One IFTSTA being read segment by segment: CNI starts a consignment, STS a status of it,
    /// and the segments after an STS add to that status.
    struct StatusReading {
        /// The consignment being read: its number and references, and the statuses read so far.
        struct Consignment {
            var number: String?
            var references: [Reference] = []
            var statuses: [StatusOccurrence] = []
        }

        let reference: String
        var document: StatusDocument
        var consignment: Consignment? = nil
        /// The status being read.
        var current: StatusOccurrence? = nil
        /// The qualifier of the last LOC of the status group, which the DTMs after it are about.
        var place: String? = nil
        /// Whether the status group has reached its TDT (the transport and its route).
        var inTransport = false

        init(_ message: EdifactMessage) {
            reference = message.reference
            document = StatusDocument(format: "edifact-iftsta", documentID: message.documentID, location: "UNH \(message.reference)")
            document.senderIdentifiers = message.senderIdentifiers
            document.groupSenderIdentifiers = message.groupSenderIdentifiers
            document.diagnostics = message.diagnostics
        }

        mutating func read(_ segment: EdifactSegment) {
            switch segment.tagCode {
            case EdifactSegment.tagCode("CNI"):
                finishConsignment()
                consignment = Consignment(number: segment.value(2, 1))
            case EdifactSegment.tagCode("STS"): readSTS(segment)
            case EdifactSegment.tagCode("TDT"):
                if current != nil { inTransport = true }
            case EdifactSegment.tagCode("DTM"): readDTM(segment)
            case EdifactSegment.tagCode("LOC"): readLOC(segment)
            case EdifactSegment.tagCode("FTX"):
                if current != nil, let text = segment.value(4, 1) { current?.description = text }
            case EdifactSegment.tagCode("RFF"): readRFF(segment)
            case EdifactSegment.tagCode("GIN"):
                // A goods item's SSCCs (GID, PCI, GIN+BJ in the status group): the packages the
                // status is about, where it is about some packages of the consignment only.
                if current != nil, segment.code(1) == EdifactSegment.tagCode("BJ") {
                    for element in EdifactDespatchLine.laterElements(of: segment) {
                        if let sscc = segment.value(element, 1) { current?.handlingUnits.append(sscc) }
                    }
                }
            case EdifactSegment.tagCode("NAD"):
                if segment[1, 1] == "CA", let id = segment.value(2, 1) { document.scac = document.scac ?? id }
            default:
                break
            }
        }

        mutating func finishStatus() {
            guard let status = current.take(), document.admitStatus(waiting: consignment?.statuses.count ?? 0) else { return }
            if consignment == nil {
                document.events.append(status)
            } else {
                consignment!.statuses.append(status)
            }
        }

        /// A consignment's statuses take its tracking number, shipper's reference and references.
        mutating func finishConsignment() {
            finishStatus()
            guard let finished = consignment.take() else { return }
            let tracking = finished.number
                ?? trackingQualifiers.lazy.compactMap { q in finished.references.first { $0.qualifier == q }?.value }.first
            let shipper = finished.references.first { shipperQualifiers.contains($0.qualifier) }?.value
            for var status in finished.statuses {
                status.trackingNumber = status.trackingNumber ?? tracking
                status.shipmentReference = status.shipmentReference ?? shipper
                status.consignmentReferences = finished.references
                document.events.append(status)
            }
        }

        /// STS: a status, its code from C555 (or C601), reason and text.
        mutating func readSTS(_ segment: EdifactSegment) {
            finishStatus()
            var occurrence = StatusOccurrence(position: segment.location(message: reference))
            // C555 (element 2) is the status; a carrier that leaves it empty and codes C601.
            let element = segment.hasValue(2, 1) ? 2 : (segment.hasValue(1, 1) ? 1 : 0)
            if element > 0 {
                occurrence.statusCode = segment.value(element, 1)
                let list = segment.value(element, 2)
                let agency = segment.value(element, 3)
                // UN/ECE (agency 6) lists, or none named: the standard code. Anything else is the
                // carrier's own list.
                occurrence.statusCodeIsPartners = (agency != nil && agency != "6") || (agency == nil && list != nil && element == 1)
            }
            occurrence.reasonCode = segment.value(3, 1)
            occurrence.description = segment.value(2, 4) ?? segment.value(3, 4)
            current = occurrence
            place = nil
            inTransport = false
        }

        /// DTM in a status group: when the status happened, or the delivery estimate.
        mutating func readDTM(_ segment: EdifactSegment) {
            guard current != nil else { return }
            let qualifier = segment[1, 1]
            let isEvent = eventDates.contains(qualifier) && (place == nil || place == "175")
            let isEstimate = estimateDates.contains(qualifier) && (place == nil || place == "7" || place == "8")
            guard isEvent || isEstimate else { return }
            let stamp = EDIDateTime.edifact(segment[1, 2], format: segment[1, 3])
            if stamp == nil {
                document.diagnostics.append(EDIDateTime.edifactProblem(segment, message: reference))
            }
            if isEstimate {
                if current?.estimatedDeliveryAt == nil { current?.estimatedDeliveryAt = stamp }
            } else if qualifier == "334", let earlier = current?.statusChange, let stamp, !earlier.agrees(with: stamp) {
                document.diagnostics.append(
                    .error(.valueConflict, "the status has a second DTM+334, \(segment[1, 2])", at: segment.location(message: reference, element: 1)))
            } else if current?.occurredAt == nil || (qualifier == "334" && current?.statusChange == nil) {
                // The status change date wins over another date of the same status.
                current?.occurredAt = stamp
                if qualifier == "334" { current?.statusChange = stamp }
            }
        }

        /// LOC in a status group: the place of the activity, else the first place before a TDT.
        mutating func readLOC(_ segment: EdifactSegment) {
            guard current != nil else { return }
            let qualifier = segment[1, 1]
            place = qualifier
            if !inTransport, qualifier == "175" {
                let activityPlace = segment.value(2, 1) ?? segment.value(2, 4)
                if current?.activityPlace != nil, current?.activityPlace != activityPlace {
                    document.diagnostics.append(
                        .error(.valueConflict, "the status has a second place of activity (LOC+175)", at: segment.location(message: reference, element: 2)))
                    return
                }
                current?.activityPlace = activityPlace
            }
            if !inTransport, current?.location == nil || qualifier == "175" {
                // C517: the place's code and its name; its country only where the code is a
                // UN/LOCODE (code list 139 or agency 6), whose first two letters are the ISO
                // country. (The third element is a related place, not a country.)
                let isLocode = segment.value(2, 3) == "6" || segment.value(2, 2) == "139"
                current?.location = StatusLocation(
                    city: segment.value(2, 4), country: isLocode ? countryOfLocode(segment.value(2, 1)) : nil,
                    code: segment.value(2, 1))
            }
        }

        /// RFF: a status's, a consignment's or the message's reference.
        mutating func readRFF(_ segment: EdifactSegment) {
            guard let value = segment.value(1, 2) else { return }
            let found = Reference(qualifier: segment[1, 1], value: value)
            if current != nil {
                current?.references.append(found)
                if trackingQualifiers.contains(found.qualifier), current?.trackingNumber == nil, consignment?.number == nil {
                    current?.trackingNumber = value
                }
            } else if consignment != nil {
                consignment?.references.append(found)
            } else {
                document.references.append(found)
                if shipperQualifiers.contains(found.qualifier) { document.shipmentReference = document.shipmentReference ?? value }
            }
        }

        consuming func finish() -> StatusDocument {
            finishConsignment()
            finishStatus()
            if document.trackingNumber == nil {
                document.trackingNumber = trackingQualifiers.lazy.compactMap { q in document.references.first { $0.qualifier == q }?.value }.first
            }
            if document.events.isEmpty {
                document.diagnostics.append(.error(.edifactSyntax, "the IFTSTA has no STS status", at: "UNH \(reference)"))
            }
            return document
        }
    }

    /// The country of a UN/LOCODE (`DEHAM`: DE), when the location is one.
    static func countryOfLocode(_ code: String?) -> String? {
        guard let code, code.utf8.count == 5, code.utf8.allSatisfy({ (65...90).contains($0) || (50...57).contains($0) }),
            code.utf8.prefix(2).allSatisfy({ (65...90).contains($0) })
        else { return nil }
        return String(code.prefix(2))
    }
}

import Model

/// Reads an X12 214 (transportation carrier shipment status): B10, L11, N1 loops, and each LX
/// with its AT7 (status, reason, date, time and time code), MS1 (city/state/country or
/// longitude/latitude with direction) and MS2 (equipment).
public enum X12ShipmentStatus {
    public static func read(_ set: X12TransactionSet) -> StatusDocument {
        var document = StatusDocument(format: "x12-214", documentID: set.documentID, location: "ST \(set.controlNumber)")
        document.senderIdentifiers = set.senderIdentifiers
        document.groupSenderIdentifiers = set.groupSenderIdentifiers
        document.diagnostics = set.diagnostics
        let st = set.controlNumber
        var current: StatusOccurrence? = nil
        func finish() {
            if let occurrence = current { document.events.append(occurrence) }
            current = nil
        }
        for segment in set.segments.dropFirst() {
            switch segment.tagCode {
            case X12Segment.tagCode("B10"):
                document.trackingNumber = segment.value(1)
                document.shipmentReference = segment.value(2)
                document.scac = segment.value(3)
            case X12Segment.tagCode("L11"):
                // Inside an LX loop a reference is that status's; before it, the shipment's.
                if let value = segment.value(1) {
                    let reference = Reference(qualifier: segment.value(2) ?? "", value: value)
                    if current != nil { current?.references.append(reference) } else { document.references.append(reference) }
                }
            case X12Segment.tagCode("LX"):
                finish()
                current = StatusOccurrence(position: segment.location(set: st))
            case X12Segment.tagCode("AT7"):
                if current == nil || current?.statusCode != nil || current?.estimatedDeliveryAt != nil {
                    finish()
                    current = StatusOccurrence(position: segment.location(set: st))
                }
                current?.position = segment.location(set: st)
                current?.statusCode = segment.value(1)
                current?.reasonCode = segment.value(2)
                if current?.statusCode == nil, let appointment = segment.value(3) {
                    current?.statusCode = appointment
                    current?.reasonCode = segment.value(4)
                }
                if let date = segment.value(5) {
                    let stamp = X12Dates.read(
                        date: date, time: segment.value(6), code: segment.value(7), at: segment.place(set: st, element: 7),
                        diagnostics: &document.diagnostics)
                    if stamp == nil {
                        document.diagnostics.append(
                            .error(.x12Syntax, "AT705/AT706 '\(date) \(segment[6])' is not a date and time", at: segment.location(set: st, element: 5)))
                    }
                    current?.occurredAt = stamp
                }
            case X12Segment.tagCode("MS1"):
                var location = StatusLocation(city: segment.value(1), region: segment.value(2), country: segment.value(3))
                if let longitude = segment.value(4), let latitude = segment.value(5) {
                    location.longitude = coordinate(longitude, direction: segment.value(6), negative: "W")
                    location.latitude = coordinate(latitude, direction: segment.value(7), negative: "S")
                }
                current?.location = location
            case X12Segment.tagCode("MS2"):
                current?.equipment = [segment.value(1), segment.value(2)].compactMap { $0 }.joined(separator: " ")
            case X12Segment.tagCode("K1"):
                current?.description = segment.value(1)
            default:
                break
            }
        }
        finish()
        if document.events.isEmpty {
            document.diagnostics.append(.error(.x12Syntax, "the 214 has no AT7 status", at: "ST \(st)"))
        }
        return document
    }

    /// MS1 coordinates are degrees without a sign (DDDMMSS or decimal); W and S make them negative.
    static func coordinate(_ text: String, direction: String?, negative: String) -> ExactDecimal? {
        guard var value = ExactDecimal(text) else { return nil }
        if text.count >= 6, !text.contains("."), let seconds = Int(text.suffix(2)), let minutes = Int(text.dropLast(2).suffix(2)),
            let degrees = Int(text.dropLast(4))
        {
            // DDDMMSS: degrees, minutes and seconds.
            let total = ExactDecimal(degrees).adding(ExactDecimal(minutes).divided(by: ExactDecimal(60), scale: 9)!.value)!
                .adding(ExactDecimal(seconds).divided(by: ExactDecimal(3600), scale: 9)!.value)!
            value = total.divided(by: .one, scale: 6)!.value
        }
        return direction == negative ? value.negated : value
    }
}

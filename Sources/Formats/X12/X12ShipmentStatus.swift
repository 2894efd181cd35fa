import Model

/// Reads an X12 214 (transportation carrier shipment status): B10, L11, N1 loops, and each LX
/// with its AT7s (status, reason, date, time and time code), MS1 (city/state/country or
/// longitude/latitude with direction), MS2 (equipment), and the LX's L11 references, which belong
/// to every status of that LX.
///
/// An AT7 with AT703 instead of AT701 is an appointment: its date and time are the appointment's
/// (`appointmentAt`), not when something happened. Versions up to 003070 write AT705 as YYMMDD with
/// the century in AT706, the time in AT707 and the time code in AT708; their layout is read by the
/// group's version.
public enum X12ShipmentStatus {
    public static func read(_ set: X12TransactionSet) -> StatusDocument {
        var reading = StatusReading(set)
        for segment in set.segments.dropFirst() {
            reading.read(segment)
        }
        return reading.finish()
    }

    /// One 214 being read segment by segment: the header's B10, L11 and G62, then each LX loop's
    /// AT7 statuses with the segments after each.
    struct StatusReading {
        let st: String
        /// Whether AT705 has its century in AT706 (versions up to 003070).
        let centuryLayout: Bool
        var document: StatusDocument
        /// The statuses of the LX being read, and its references.
        var loop: [StatusOccurrence] = []
        var loopReferences: [Reference] = []
        var inLoop = false
        /// The status being read.
        var current: StatusOccurrence? = nil

        init(_ set: X12TransactionSet) {
            st = set.controlNumber
            centuryLayout = hasCenturyElement(set)
            document = StatusDocument(format: "x12-214", documentID: set.documentID, location: "ST \(set.controlNumber)")
            document.senderIdentifiers = set.senderIdentifiers
            document.groupSenderIdentifiers = set.groupSenderIdentifiers
            document.diagnostics = set.diagnostics
        }

        mutating func read(_ segment: X12Segment) {
            switch segment.tagCode {
            case X12Segment.tagCode("B10"):
                guard document.trackingNumber == nil, document.shipmentReference == nil else {
                    document.diagnostics.append(.error(.x12Syntax, "the 214 has a second B10", at: segment.location(set: st)))
                    return
                }
                document.trackingNumber = segment.value(1)
                document.shipmentReference = segment.value(2)
                document.scac = segment.value(3)
            case X12Segment.tagCode("L11"):
                // Inside an LX loop a reference is that loop's statuses'; before it, the shipment's.
                if let value = segment.value(1) {
                    let reference = Reference(qualifier: segment.value(2) ?? "", value: value)
                    if inLoop { loopReferences.append(reference) } else { document.references.append(reference) }
                }
            case X12Segment.tagCode("G62"): readG62(segment)
            case X12Segment.tagCode("LX"):
                finishLoop()
                inLoop = true
            case X12Segment.tagCode("AT7"): readAT7(segment)
            case X12Segment.tagCode("MS1"): readMS1(segment)
            case X12Segment.tagCode("MS2"):
                let equipment = [segment.value(1), segment.value(2)].compactMap { $0 }.joined(separator: " ")
                if let earlier = current?.equipment, earlier != equipment {
                    document.diagnostics.append(
                        .error(.valueConflict, "a second MS2 names equipment \(equipment), the first \(earlier)", at: segment.location(set: st, element: 1)))
                    return
                }
                current?.equipment = equipment
            case X12Segment.tagCode("K1"):
                current?.description = segment.value(1)
            default:
                break
            }
        }

        mutating func finishStatus() {
            if let occurrence = current.take(), document.admitStatus(waiting: loop.count) { loop.append(occurrence) }
        }

        /// An LX's statuses take its references.
        mutating func finishLoop() {
            finishStatus()
            for var occurrence in loop {
                occurrence.consignmentReferences = loopReferences
                document.events.append(occurrence)
            }
            loop = []
            loopReferences = []
        }

        /// G62 before the loops: G6201 17, the estimated delivery date, with G6204 time and G6205
        /// time code.
        mutating func readG62(_ segment: X12Segment) {
            guard !inLoop, segment[1] == "17", let date = segment.value(2) else { return }
            document.estimatedDeliveryAt = X12Dates.read(
                date: date, time: segment.value(4), code: segment.value(5), at: segment.place(set: st, element: 5),
                diagnostics: &document.diagnostics)
            if document.estimatedDeliveryAt == nil {
                document.diagnostics.append(
                    .error(.x12Syntax, "G62 estimated delivery '\(date)' is not a date and time", at: segment.location(set: st, element: 2)))
            }
        }

        /// AT7: a status (AT701/AT702) or an appointment (AT703/AT704), with its date and time.
        mutating func readAT7(_ segment: X12Segment) {
            finishStatus()
            var occurrence = StatusOccurrence(position: segment.location(set: st))
            occurrence.statusCode = segment.value(1)
            occurrence.reasonCode = segment.value(2)
            let isAppointment = occurrence.statusCode == nil && segment.value(3) != nil
            if isAppointment {
                occurrence.statusCode = segment.value(3)
                occurrence.reasonCode = segment.value(4)
                occurrence.isAppointment = true
            }
            // The version's layout, unless AT705 itself says otherwise (an 8-digit date has its
            // century, so no element follows for it).
            let oldLayout = centuryLayout && segment.trimmed(5).utf8.count != 8
            let (timeElement, codeElement) = oldLayout ? (7, 8) : (6, 7)
            if let date = segment.value(5) {
                let stamp = X12Dates.read(
                    date: date, time: segment.value(timeElement), code: segment.value(codeElement),
                    century: oldLayout ? segment.value(6) : nil, at: segment.place(set: st, element: codeElement),
                    diagnostics: &document.diagnostics)
                if stamp == nil {
                    document.diagnostics.append(
                        .error(
                            .x12Syntax, "AT705 '\(date)' with time '\(segment[timeElement])' is not a date and time",
                            at: segment.location(set: st, element: 5)))
                }
                if isAppointment { occurrence.appointmentAt = stamp } else { occurrence.occurredAt = stamp }
            }
            current = occurrence
        }

        /// MS1: the status's place, by city, region and country, or by coordinates.
        mutating func readMS1(_ segment: X12Segment) {
            if let earlier = current?.location, earlier.city != segment.value(1) || earlier.region != segment.value(2) {
                document.diagnostics.append(
                    .error(
                        .valueConflict, "a second MS1 places the status in \(segment[1]), the first in \(earlier.city ?? "another place")",
                        at: segment.location(set: st, element: 1)))
                return
            }
            var location = StatusLocation(city: segment.value(1), region: segment.value(2), country: segment.value(3))
            if let longitude = segment.value(4), let latitude = segment.value(5) {
                // MS106/MS107 say east or west, north or south: without them, or out of range, the
                // coordinates say nothing certain and are left out.
                let east = segment.value(6), north = segment.value(7)
                let lon = coordinate(longitude, direction: east, negative: "W")
                let lat = coordinate(latitude, direction: north, negative: "S")
                if ["E", "W"].contains(east ?? ""), ["N", "S"].contains(north ?? ""), let lon, let lat,
                    lon >= ExactDecimal(-180), lon <= ExactDecimal(180), lat >= ExactDecimal(-90), lat <= ExactDecimal(90)
                {
                    location.longitude = lon
                    location.latitude = lat
                } else {
                    document.diagnostics.append(
                        .warning(
                            .fieldNotUsed,
                            "MS1 coordinates \(longitude) \(east ?? "-") / \(latitude) \(north ?? "-") are not used: they need MS106 E or W and MS107 N or S, within 180 and 90 degrees",
                            at: segment.location(set: st, element: 4)))
                }
            }
            current?.location = location
        }

        consuming func finish() -> StatusDocument {
            finishLoop()
            if document.events.isEmpty {
                document.diagnostics.append(.error(.x12Syntax, "the 214 has no AT7 status", at: "ST \(st)"))
            }
            return document
        }
    }

    /// Whether the set's version writes AT7 with a century element (up to 003070): by GS08, else
    /// the ISA12.
    static func hasCenturyElement(_ set: X12TransactionSet) -> Bool {
        if let version = set.group?.version, version.utf8.count >= 6 { return version < "004010" }
        return set.interchange.version < "00401"
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

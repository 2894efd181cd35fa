import Formats
import MasterData
import Model

/// Turns a carrier status message into one `crossdock.carrier.status.v1` event per status
/// occurrence, in order, or rejects the message as a whole (a carrier's history is one story).
enum CarrierStatusAdapter {
    /// The most references a message's statuses may carry in all.
    static let maxCarriedReferences = 100_000
    /// The most bytes of the message's and its consignments' values its statuses may repeat in
    /// all: far above any carrier's message (10,000 statuses of 1 KB of references each).
    static let maxCarriedBytes = 10 << 20

    static func textBytes(_ text: String?) -> Int { text?.utf8.count ?? 0 }
    static func textBytes(_ references: [Reference]) -> Int {
        references.reduce(0) { $0 + $1.qualifier.utf8.count + $1.value.utf8.count }
    }

    static func normalize(
        _ document: StatusDocument, record: InputRecord, snapshot: MasterDataSnapshot
    ) -> [Outcome] {
        var findings = Findings()
        findings.add(document.diagnostics, .parse)
        let format = DocumentSyntax.family(document.format)
        var partner: PartnerProfile? = nil
        switch PartnerResolution.resolve(
            identifiers: document.senderIdentifiers, groupIdentifiers: document.groupSenderIdentifiers, format: format,
            document: document.format, kind: .carrierStatus, record: record, snapshot: snapshot, location: document.location)
        {
        case .success(let profile): partner = profile
        case .failure(let diagnostic): findings.add(diagnostic, .map)
        }
        let sourceURN = partner.map { EventSource.partner($0.partner) }
        let scac = partner?.scac ?? document.scac
        let documentID = document.documentID.isEmpty ? EventID.digest(record.value) : document.documentID

        let mapped = partner.map { mapCodes(document, partner: $0, findings: &findings) } ?? []
        if document.events.isEmpty, document.trackingNumber == nil && document.shipmentReference == nil {
            findings.add(.error(.codeUnmapped, "the message names neither a tracking number nor a shipment", at: document.location), .parse)
        }
        // The limits are the hub's, not a partner's to lower: added after its severity overrides.
        var limits: [Diagnostic] = []
        if document.statusesOmitted > 0 {
            limits.append(
                .error(
                    .messageTooLarge,
                    "the message has \(document.events.count + document.statusesOmitted) statuses, more than the limit of \(StatusDocument.maxStatuses): send them as several messages",
                    at: document.location))
        }
        // Every status carries its message's, its consignment's and its own references: a
        // message of thousands of references and thousands of statuses would make gigabytes.
        let carried = document.events.reduce(0) { $0 + document.references.count + $1.consignmentReferences.count + $1.references.count }
        if carried > Self.maxCarriedReferences {
            limits.append(
                .error(
                    .messageTooLarge,
                    "the message's \(document.events.count) statuses would carry \(carried) references in all (each its message's, its consignment's and its own), more than the limit of \(Self.maxCarriedReferences)",
                    at: document.location))
        } else {
            // And their text: a status repeats its message's and its consignment's tracking number,
            // shipment reference and references, so a 60,000-character number under 9,000
            // statuses (0.4 MB sent) would make 1.6 GB of events. Counted only within the count
            // limit above, which bounds the work of counting.
            let carriedBytes = document.events.reduce(0) { total, status in
                total + Self.textBytes(status.trackingNumber ?? document.trackingNumber)
                    + Self.textBytes(status.shipmentReference ?? document.shipmentReference)
                    + Self.textBytes(document.references) + Self.textBytes(status.consignmentReferences)
            }
            if carriedBytes > Self.maxCarriedBytes {
                limits.append(
                    .error(
                        .messageTooLarge,
                        "the message's \(document.events.count) statuses would repeat \(carriedBytes) bytes of its tracking numbers, shipment references and references in all, more than the limit of \(Self.maxCarriedBytes)",
                        at: document.location))
            }
        }
        let resolved = mapped.map { resolveTimes($0.0, of: document, record: record, partner: partner, findings: &findings) }
        if let partner { findings.applySeverity(partner.severity) }
        findings.add(limits, .parse)
        guard let partner, !findings.hasErrors, let sourceURN else {
            return [
                .rejected(
                    Rejections.make(
                        findings, record: record, partner: partner?.partner, site: nil, sourceURN: sourceURN,
                        document: documentID, position: "0"))
            ]
        }
        let documentWarnings = findings.warnings
        return mapped.enumerated().map { index, entry in
            let (occurrence, status) = entry
            let times = resolved[index]
            // Each status belongs to its own consignment where the message carries several.
            let trackingNumber = occurrence.trackingNumber ?? document.trackingNumber
            let shipmentReference = occurrence.shipmentReference ?? document.shipmentReference
            let references = document.references + occurrence.consignmentReferences + occurrence.references
            // A pure function of the message and master data: the key is the carrier's own number
            // for the consignment, so every status of it, from any member of the group, after any
            // restart, has the same key. Linking to ship notices is the reconciliation stage's.
            let subject = Subject.tracking(scac: scac ?? partner.partner, trackingNumber: trackingNumber ?? shipmentReference!)
            let estimate = times.estimate  // a delivery appointment's date included (`ownEstimate`)
            let data = CarrierStatus(
                trackingNumber: trackingNumber, carrier: CarrierInfo(scac: scac, name: nil),
                status: status, statusCode: occurrence.statusCode ?? "", reasonCode: occurrence.reasonCode,
                description: occurrence.description, location: occurrence.location, estimatedDeliveryAt: estimate.instant,
                equipment: occurrence.equipment, references: references, shipmentReference: shipmentReference,
                occurredAtLocal: times.occurred.local, estimatedDeliveryAtLocal: estimate.local,
                warnings: documentWarnings + times.warnings, appointmentAt: times.appointment.instant,
                appointmentAtLocal: times.appointment.local, handlingUnits: occurrence.handlingUnits)
            return .event(
                .carrierStatus(
                    CloudEvent(
                        id: EventID.make(source: sourceURN, document: documentID, position: String(index)), source: sourceURN,
                        subject: subject, time: times.occurred.instant ?? record.recordedAt, partner: partner.partner,
                        recordedtime: record.recordedAt, correlationid: trackingNumber,
                        sourceref: record.source.reference, data: data)))
        }
    }

    /// Each status occurrence's code through the partner's code list, else the standard's table;
    /// an occurrence without a code, a date or anything that names its shipment is refused.
    static func mapCodes(
        _ document: StatusDocument, partner: PartnerProfile, findings: inout Findings
    ) -> [(StatusOccurrence, CarrierStatusCode)] {
        let format = DocumentSyntax.family(document.format)
        let syntax = DocumentSyntax.errorCode(document.format)
        let table = format == "x12" ? CarrierStatusTable.x12 : format == "edifact" ? CarrierStatusTable.edifact : [:]
        var mapped: [(StatusOccurrence, CarrierStatusCode)] = []
        for occurrence in document.events {
            guard let code = occurrence.statusCode else {
                findings.add(.error(.codeUnmapped, "the status occurrence has no status code", at: occurrence.position), .map)
                continue
            }
            // A carrier's own code list is the carrier's to map; the standard table reads only the
            // standard's codes.
            let standard = occurrence.statusCodeIsPartners
                ? nil : occurrence.isAppointment ? CarrierStatusTable.x12Appointments[code] : table[code]
            if let target = partner.codes(.status)[code].flatMap(CarrierStatusCode.init(rawValue:)) ?? standard {
                mapped.append((occurrence, target))
            } else {
                let list = occurrence.statusCodeIsPartners ? "the carrier's own code list" : "code list status (standard or partner \(partner.partner))"
                findings.add(
                    .error(.codeUnmapped, "status code '\(code)' has no mapping in \(list)", at: occurrence.position), .map)
            }
            if occurrence.occurredAt == nil, !occurrence.isAppointment {
                findings.add(.error(syntax, "the status occurrence has no date", at: occurrence.position), .parse)
            }
            if occurrence.trackingNumber == nil, occurrence.shipmentReference == nil, document.trackingNumber == nil,
                document.shipmentReference == nil
            {
                findings.add(
                    .error(.codeUnmapped, "the status names neither a tracking number nor a shipment", at: occurrence.position), .parse)
            }
        }
        return mapped
    }

    /// A status's times, and the warnings about them.
    struct ResolvedTimes {
        var occurred: TimeResolution.Resolved
        var estimate: TimeResolution.Resolved
        var appointment: TimeResolution.Resolved
        var warnings: [Diagnostic]
    }

    /// When the status happened, the delivery it expects and its appointment. Times without an
    /// offset are the carrier's local time: its profile's zone when it works in one. Errors go to
    /// the message's findings, warnings stay with the status.
    static func resolveTimes(
        _ occurrence: StatusOccurrence, of document: StatusDocument, record: InputRecord, partner: PartnerProfile?, findings: inout Findings
    ) -> ResolvedTimes {
        let times = TimeResolution(record: record, zone: partner?.timeZone, owner: partner.map { "partner \($0.partner)" } ?? "the sender")
        var own = Findings()
        // An X12 estimate status (AG, X2) dates the expected delivery, not something that
        // happened: its date is the estimate, and the event's time the processing time.
        let announcesEstimate = DocumentSyntax.family(document.format) == "x12" && !occurrence.isAppointment
            && CarrierStatusTable.estimateCodes.contains(occurrence.statusCode ?? "")
        let occurred = announcesEstimate
            ? TimeResolution.Resolved() : times.resolve(occurrence.occurredAt, field: "occurredAt", at: occurrence.position, findings: &own)
        // The status's own estimate, else the one its code dates, else the message's (G62*17).
        let deliveryAppointment = occurrence.isAppointment && CarrierStatusTable.deliveryAppointments.contains(occurrence.statusCode ?? "")
        let ownEstimate = occurrence.estimatedDeliveryAt ?? (announcesEstimate ? occurrence.occurredAt : nil)
            ?? (deliveryAppointment ? occurrence.appointmentAt : nil)
        let estimate = times.resolve(
            ownEstimate ?? document.estimatedDeliveryAt, field: "estimatedDeliveryAt", at: occurrence.position, findings: &own)
        let appointment = times.resolve(occurrence.appointmentAt, field: "appointmentAt", at: occurrence.position, findings: &own)
        if let partner { own.applySeverity(partner.severity) }
        findings.add(own.all.filter { $0.severity == .error }, .parse)
        return ResolvedTimes(occurred: occurred, estimate: estimate, appointment: appointment, warnings: own.warnings)
    }
}

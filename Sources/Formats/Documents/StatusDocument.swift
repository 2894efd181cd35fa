public import Model

/// Carrier status messages as read from any format (X12 214, EDIFACT IFTSTA, tracking JSON),
/// codes as sent.
public struct StatusDocument: Sendable {
    /// `x12-214`, `edifact-iftsta` or `json-tracking`.
    public var format: String
    public var senderIdentifiers: [String]
    /// The functional group's sender (X12 GS02, EDIFACT UNG sender): a partner only where the
    /// interchange's sender names none.
    public var groupSenderIdentifiers: [String] = []
    public var documentID: String
    public var location: String
    /// The carrier's reference (X12 B1001 PRO, EDIFACT CNI consignment, JSON trackingNumber).
    public var trackingNumber: String?
    /// The shipper's shipment id (X12 B1002, JSON shipmentReference).
    public var shipmentReference: String?
    public var scac: String?
    public var references: [Reference]
    /// An estimated delivery the message gives for the whole shipment (X12 G62*17 before the
    /// first LX), for each status that gives none of its own.
    public var estimatedDeliveryAt: SentTime?
    public var events: [StatusOccurrence]
    public var diagnostics: [Diagnostic]

    /// The most statuses one message may carry: each becomes an event, and a status takes about
    /// a kilobyte while it is read, so 10 MB of `AT7*AF~` would hold gigabytes. A carrier's
    /// larger batch goes as several messages of one interchange.
    public static let maxStatuses = 10_000
    /// Statuses read past ``maxStatuses``: counted, not kept (the message is rejected).
    public private(set) var statusesOmitted = 0

    /// Counts a status just read; whether it is kept (``maxStatuses`` at most, with those
    /// `waiting` in their loop or consignment).
    mutating func admitStatus(waiting: Int) -> Bool {
        guard events.count + waiting < Self.maxStatuses else {
            statusesOmitted += 1
            return false
        }
        return true
    }

    public init(format: String, documentID: String, location: String) {
        self.format = format
        self.documentID = documentID
        self.location = location
        senderIdentifiers = []
        references = []
        events = []
        diagnostics = []
    }
}

/// One status occurrence (one AT7, one STS, one JSON event).
public struct StatusOccurrence: Sendable {
    public var statusCode: String?
    public var reasonCode: String?
    public var description: String?
    /// As sent: the century of a six-digit year and a zone the sender did not state are the
    /// normaliser's to resolve.
    public var occurredAt: SentTime?
    public var estimatedDeliveryAt: SentTime?
    public var location: StatusLocation?
    public var equipment: String?
    /// The EDIFACT status change date (DTM+334) and place of activity (LOC+175), once read.
    var statusChange: SentTime?
    var activityPlace: String?
    /// An X12 appointment (AT703/AT704 instead of AT701): its date and time are the appointment's.
    public var isAppointment = false
    public var appointmentAt: SentTime?
    /// Whether `statusCode` is from the carrier's own code list (an EDIFACT status naming another
    /// agency than UN/ECE), so only the carrier's profile can map it.
    public var statusCodeIsPartners = false
    /// The consignment this status belongs to, where the message carries several (an IFTSTA CNI
    /// group, a 214 LX loop's own references); nil for the document's.
    public var trackingNumber: String?
    public var shipmentReference: String?
    /// The references of the consignment this status belongs to (an IFTSTA CNI group's, a 214
    /// LX loop's): one list shared by all its statuses, not a copy in each.
    public var consignmentReferences: [Reference] = []
    /// This status's own references.
    public var references: [Reference] = []
    /// The SSCCs of the packages the status is about, when it is about some packages only.
    public var handlingUnits: [String] = []
    /// Where it is in the input.
    public var position: String

    public init(position: String) { self.position = position }
}

extension X12InterchangeHeader {
    /// The interchange sender, most specific first: `ISA05:ISA06` (`ZZ:ACMEIND`), then ISA06 alone.
    public var senderIdentifiers: [String] {
        guard !senderID.isEmpty else { return [] }
        return senderQualifier.isEmpty ? [senderID] : [senderQualifier + ":" + senderID, senderID]
    }
}

extension X12TransactionSet {
    /// The interchange sender, most specific first: `ISA05:ISA06` (`ZZ:ACMEIND`), then ISA06 alone.
    public var senderIdentifiers: [String] { interchange.senderIdentifiers }

    /// GS02.
    public var groupSenderIdentifiers: [String] { group.map { $0.senderCode.isEmpty ? [] : [$0.senderCode] } ?? [] }
}

extension EdifactInterchangeHeader {
    /// The UNB sender as written there, with its qualifier (`4012345000009:14`), then alone.
    public var senderIdentifiers: [String] {
        guard !sender.isEmpty else { return [] }
        return senderQualifier.isEmpty ? [sender] : [sender + ":" + senderQualifier, sender]
    }
}

extension EdifactMessage {
    /// The UNB sender as written there, with its qualifier (`4012345000009:14`), then alone.
    public var senderIdentifiers: [String] { interchange.senderIdentifiers }

    /// The UNG sender with its qualifier, then alone.
    public var groupSenderIdentifiers: [String] {
        guard let id = groupSender, !id.isEmpty else { return [] }
        return groupSenderQualifier.map { [id + ":" + $0, id] } ?? [id]
    }
}

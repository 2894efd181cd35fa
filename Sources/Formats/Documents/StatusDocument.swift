public import Model

/// Carrier status messages as read from any format (X12 214, EDIFACT IFTSTA, tracking JSON),
/// codes as sent.
public struct StatusDocument: Sendable {
    /// `x12-214`, `edifact-iftsta` or `json-tracking`.
    public var format: String
    public var senderIdentifiers: [String]
    public var documentID: String
    public var location: String
    /// The carrier's reference (X12 B1001 PRO, EDIFACT CNI consignment, JSON trackingNumber).
    public var trackingNumber: String?
    /// The shipper's shipment id (X12 B1002, JSON shipmentReference).
    public var shipmentReference: String?
    public var scac: String?
    public var references: [Reference]
    public var events: [StatusOccurrence]
    public var diagnostics: [Diagnostic]

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
    /// Whether `statusCode` is from the carrier's own code list (an EDIFACT status naming another
    /// agency than UN/ECE), so only the carrier's profile can map it.
    public var statusCodeIsPartners = false
    /// The consignment this status belongs to, where the message carries several (an IFTSTA CNI
    /// group, a 214 LX loop's own references); nil for the document's.
    public var trackingNumber: String?
    public var shipmentReference: String?
    /// References of this status (and of its consignment).
    public var references: [Reference] = []
    /// Where it is in the input.
    public var position: String

    public init(position: String) { self.position = position }
}

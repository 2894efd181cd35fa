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
    public var occurredAt: Timestamp?
    public var estimatedDeliveryAt: Timestamp?
    public var location: StatusLocation?
    public var equipment: String?
    /// Where it is in the input.
    public var position: String

    public init(position: String) { self.position = position }
}

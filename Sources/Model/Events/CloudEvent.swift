/// The canonical event types, with their schema and default topic.
public enum EventType: String, Sendable, Hashable, CaseIterable {
    case shipmentNotice = "crossdock.shipment.notice.v1"
    case inventoryEvent = "crossdock.inventory.event.v1"
    case carrierStatus = "crossdock.carrier.status.v1"
    case rejected = "crossdock.rejected.v1"
    case receiptReconciliation = "crossdock.receipt.reconciliation.v1"
    case supplierScorecard = "crossdock.supplier.scorecard.v1"

    /// Where the schemas live; each schema's `$id` is this plus its file name.
    public static let schemaBase = "https://crossdock.dev/schemas/v1/"

    /// The `$id` of the schema of `data`, carried in `dataschema`: ``schemaBase`` and the schema's
    /// file name, written out whole so that no event builds it again.
    public var dataschema: String {
        switch self {
        case .shipmentNotice: "https://crossdock.dev/schemas/v1/shipment-notice.json"
        case .inventoryEvent: "https://crossdock.dev/schemas/v1/inventory-event.json"
        case .carrierStatus: "https://crossdock.dev/schemas/v1/carrier-status.json"
        case .rejected: "https://crossdock.dev/schemas/v1/rejected.json"
        case .receiptReconciliation: "https://crossdock.dev/schemas/v1/receipt-reconciliation.json"
        case .supplierScorecard: "https://crossdock.dev/schemas/v1/supplier-scorecard.json"
        }
    }

    /// The default topic (configurable in the hub).
    public var defaultTopic: String {
        switch self {
        case .shipmentNotice: "canonical.shipment-notices.v1"
        case .inventoryEvent: "canonical.inventory-events.v1"
        case .carrierStatus: "canonical.carrier-status.v1"
        case .rejected: "crossdock.rejected.v1"
        case .receiptReconciliation: "canonical.receipt-reconciliations.v1"
        case .supplierScorecard: "canonical.supplier-scorecards.v1"
        }
    }
}

/// The payload of one canonical event type.
public protocol EventPayload: Sendable, Hashable, JSONEncodable {
    static var eventType: EventType { get }
}

// Stored optionals are spelled `Optional<T>` so that initialisers move their arguments into place
// (see `Item`).
/// A canonical record: one CloudEvent 1.0 in structured JSON mode
/// (`content-type: application/cloudevents+json`), with Crossdock's extension attributes.
///
/// Encoding is deterministic: attributes in a fixed order, absent optionals omitted, decimals as
/// exact JSON numbers. Decoding then encoding gives the same bytes.
public struct CloudEvent<Payload: EventPayload>: Sendable, Hashable, JSONEncodable {
    public static var contentType: String { "application/cloudevents+json" }

    /// Deterministic (``EventID``): the same input always yields the same id.
    public var id: String
    /// Who the event is from: `urn:crossdock:partner:ACME`, `urn:crossdock:gateway:dc-east-rf-01`.
    public var source: String
    /// The aggregate key, also the Kafka key: shipment id, SSCC or GTIN+lot@site, tracking id.
    public var subject: String
    /// When it happened, in the sender's UTC offset.
    public var time: Timestamp
    /// Extension: the enterprise partner id.
    public var partner: Optional<String>
    /// Extension: the site the event belongs to.
    public var site: Optional<String>
    /// Extension: when the hub processed the input.
    public var recordedtime: Timestamp
    /// Extension: the source document id (ASN number, interchange control number, ...).
    public var correlationid: Optional<String>
    /// Extension: `topic/partition/offset` of the input record, or the file name.
    public var sourceref: Optional<String>
    public var data: Payload

    public init(
        id: String, source: String, subject: String, time: Timestamp, partner: String? = nil, site: String? = nil,
        recordedtime: Timestamp, correlationid: String? = nil, sourceref: String? = nil, data: Payload
    ) {
        self.id = id
        self.source = source
        self.subject = subject
        self.time = time
        self.partner = partner
        self.site = site
        self.recordedtime = recordedtime
        self.correlationid = correlationid
        self.sourceref = sourceref
        self.data = data
    }

    public var type: EventType { Payload.eventType }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("specversion", "1.0")
        w.field("id", id)
        w.field("source", source)
        w.field("type", Payload.eventType.rawValue)
        w.field("subject", subject)
        w.field("time", time)
        w.field("datacontenttype", "application/json")
        w.field("dataschema", Payload.eventType.dataschema)
        w.field("partner", partner)
        w.field("site", site)
        w.field("recordedtime", recordedtime)
        w.field("correlationid", correlationid)
        w.field("sourceref", sourceref)
        w.field("data", data)
        w.endObject()
    }
}

/// Canonical events are read back (by the demo, as a downstream module reads them); a payload
/// that only Crossdock writes need not be.
extension CloudEvent: JSONDecodable where Payload: JSONDecodable {
    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        guard try r.string("specversion") == "1.0" else {
            throw JSONShapeError("specversion must be \"1.0\"", at: pointer.appending("specversion"))
        }
        let type = try r.string("type")
        guard type == Payload.eventType.rawValue else {
            throw JSONShapeError("type is \(type), expected \(Payload.eventType.rawValue)", at: pointer.appending("type"))
        }
        guard try r.string("datacontenttype") == "application/json" else {
            throw JSONShapeError("datacontenttype must be application/json", at: pointer.appending("datacontenttype"))
        }
        guard try r.string("dataschema") == Payload.eventType.dataschema else {
            throw JSONShapeError(
                "dataschema must be \(Payload.eventType.dataschema)", at: pointer.appending("dataschema"))
        }
        self.init(
            id: try r.string("id"), source: try r.string("source"), subject: try r.string("subject"),
            time: try r.decode("time"), partner: try r.optionalString("partner"), site: try r.optionalString("site"),
            recordedtime: try r.decode("recordedtime"), correlationid: try r.optionalString("correlationid"),
            sourceref: try r.optionalString("sourceref"), data: try r.decode("data"))
    }
}

/// Any canonical event, as the pipeline hands it to the transport.
public enum CanonicalEvent: Sendable, Hashable, JSONEncodable {
    case shipmentNotice(CloudEvent<ShipmentNotice>)
    case inventoryEvent(CloudEvent<InventoryEvent>)
    case carrierStatus(CloudEvent<CarrierStatus>)

    public var type: EventType {
        switch self {
        case .shipmentNotice: .shipmentNotice
        case .inventoryEvent: .inventoryEvent
        case .carrierStatus: .carrierStatus
        }
    }

    public var id: String {
        switch self {
        case .shipmentNotice(let e): e.id
        case .inventoryEvent(let e): e.id
        case .carrierStatus(let e): e.id
        }
    }

    /// The Kafka key.
    public var subject: String {
        switch self {
        case .shipmentNotice(let e): e.subject
        case .inventoryEvent(let e): e.subject
        case .carrierStatus(let e): e.subject
        }
    }

    public var source: String {
        switch self {
        case .shipmentNotice(let e): e.source
        case .inventoryEvent(let e): e.source
        case .carrierStatus(let e): e.source
        }
    }

    /// Where the input came from (`topic/partition/offset` on the hub).
    public var sourceref: String? {
        switch self {
        case .shipmentNotice(let e): e.sourceref
        case .inventoryEvent(let e): e.sourceref
        case .carrierStatus(let e): e.sourceref
        }
    }

    public func write(to writer: inout JSONWriter) {
        switch self {
        case .shipmentNotice(let e): e.write(to: &writer)
        case .inventoryEvent(let e): e.write(to: &writer)
        case .carrierStatus(let e): e.write(to: &writer)
        }
    }

    /// Decodes any canonical event by its `type`.
    public init(jsonBytes: [UInt8]) throws {
        let value = try JSONParser.parse(jsonBytes)
        let type = try JSONObjectReader(value, at: .root).string("type")
        switch EventType(rawValue: type) {
        case .shipmentNotice: self = .shipmentNotice(try CloudEvent(json: value, at: .root))
        case .inventoryEvent: self = .inventoryEvent(try CloudEvent(json: value, at: .root))
        case .carrierStatus: self = .carrierStatus(try CloudEvent(json: value, at: .root))
        case .rejected, .receiptReconciliation, .supplierScorecard, nil:
            throw JSONShapeError("\(type) is not a canonical event type", at: JSONPointer(["type"]))
        }
    }
}

/// Source naming for the CloudEvents `source` attribute.
public enum EventSource {
    public static func partner(_ id: String) -> String { "urn:crossdock:partner:" + escape(id) }
    public static func gateway(_ id: String) -> String { "urn:crossdock:gateway:" + escape(id) }
    /// A sender no profile names, by its identifier in a format (`x12`, `edifact`, `json`).
    public static func sender(format: String, _ identifier: String) -> String {
        "urn:crossdock:sender:\(escape(format)):\(escape(identifier))"
    }

    /// An identifier as a URN may carry it (RFC 8141): every byte other than letters, digits and
    /// `-._~:@!$&'()*+,;=/` percent-encoded, so that a sender's id, whatever its characters, makes
    /// a valid `source`. Ids made of those characters (all the usual ones) stay as they are.
    public static func escape(_ id: String) -> String {
        guard !id.utf8.allSatisfy(isAllowed) else { return id }
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        for byte in id.utf8 {
            if isAllowed(byte) {
                bytes.append(byte)
            } else {
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        default: "-._~:@!$&'()*+,;=/".utf8.contains(byte)
        }
    }
}

/// Subject (Kafka key) rules: events of one aggregate share a key and so stay in order.
public enum Subject {
    /// A shipment notice: the shipment id.
    public static func shipment(_ shipmentId: String) -> String { shipmentId }

    /// An inventory event: the SSCC when the scan names a handling unit, else GTIN (or sku) with
    /// lot at the site: `00614141000012/L123@DC-ATL`, `00614141000012@DC-ATL`.
    public static func inventory(sscc: String?, gtin: String?, sku: String?, lot: String?, site: String) -> String {
        if let sscc { return sscc }
        // Built in one string of the right size (each `+` of a long string allocates).
        var subject = gtin ?? sku ?? "unknown-item"
        subject.reserveCapacity(subject.utf8.count + (lot.map { $0.utf8.count + 1 } ?? 0) + 1 + site.utf8.count)
        if let lot {
            subject += "/"
            subject += lot
        }
        subject += "@"
        subject += site
        return subject
    }

    /// A carrier status: the carrier's tracking (or PRO) number, prefixed by its SCAC so two
    /// carriers' numbers cannot collide.
    public static func tracking(scac: String, trackingNumber: String) -> String { "\(scac):\(trackingNumber)" }
}

/// Why the ASN was sent (X12 BSN01, EDIFACT BGM 1225, JSON `purpose`).
public enum ShipmentPurpose: String, Sendable, Hashable, CaseIterable {
    case original, replace, cancel
}

// Stored optionals are spelled `Optional<T>` so that initialisers move their arguments into place
// (see `Item`).
/// The carrier of a shipment.
public struct CarrierInfo: Sendable, Hashable, JSONEncodable, JSONDecodable {
    public var scac: Optional<String>
    public var name: Optional<String>
    /// Transport mode as sent (X12 TD504, e.g. `M` motor, `A` air).
    public var mode: Optional<String>
    /// Service level as sent.
    public var service: Optional<String>

    public init(scac: String? = nil, name: String? = nil, mode: String? = nil, service: String? = nil) {
        self.scac = scac
        self.name = name
        self.mode = mode
        self.service = service
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("scac", scac)
        w.field("name", name)
        w.field("mode", mode)
        w.field("service", service)
        w.endObject()
    }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        self.init(
            scac: try r.optionalString("scac"), name: try r.optionalString("name"), mode: try r.optionalString("mode"),
            service: try r.optionalString("service"))
    }
}

/// A reference as sent, with its qualifier (X12 128, EDIFACT 1153).
public struct Reference: Sendable, Hashable, JSONEncodable, JSONDecodable {
    public var qualifier: String
    public var value: String

    public init(qualifier: String, value: String) {
        self.qualifier = qualifier
        self.value = value
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("qualifier", qualifier)
        w.field("value", value)
        w.endObject()
    }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        self.init(qualifier: try r.string("qualifier"), value: try r.string("value"))
    }
}

/// Transport references that let receiving and transportation join documents.
public struct ShipmentReferences: Sendable, Hashable, JSONEncodable, JSONDecodable {
    public var billOfLading: Optional<String>
    /// The carrier's PRO number.
    public var proNumber: Optional<String>
    public var trackingNumbers: [String]
    /// Every other reference, as sent.
    public var other: [Reference]

    public init(
        billOfLading: String? = nil, proNumber: String? = nil, trackingNumbers: [String] = [], other: [Reference] = []
    ) {
        self.billOfLading = billOfLading
        self.proNumber = proNumber
        self.trackingNumbers = trackingNumbers
        self.other = other
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("billOfLading", billOfLading)
        w.field("proNumber", proNumber)
        w.field("trackingNumbers", strings: trackingNumbers)
        w.field("other", other)
        w.endObject()
    }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        self.init(
            billOfLading: try r.optionalString("billOfLading"), proNumber: try r.optionalString("proNumber"),
            trackingNumbers: try r.strings("trackingNumbers"), other: try r.array("other"))
    }
}

/// Shipment-level totals as the sender stated them.
public struct ShipmentTotals: Sendable, Hashable, JSONEncodable, JSONDecodable {
    public var handlingUnits: Optional<Int>
    public var grossWeight: Optional<Quantity>
    public var lines: Optional<Int>
    public var netWeight: Optional<Quantity>

    public init(handlingUnits: Int? = nil, grossWeight: Quantity? = nil, lines: Int? = nil, netWeight: Quantity? = nil) {
        self.handlingUnits = handlingUnits
        self.grossWeight = grossWeight
        self.lines = lines
        self.netWeight = netWeight
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("handlingUnits", handlingUnits)
        w.field("grossWeight", grossWeight)
        w.field("netWeight", netWeight)
        w.field("lines", lines)
        w.endObject()
    }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        self.init(
            handlingUnits: try r.optionalInt("handlingUnits"), grossWeight: try r.optional("grossWeight"),
            lines: try r.optionalInt("lines"), netWeight: try r.optional("netWeight"))
    }
}

/// One item line of an ASN.
public struct ShipmentLine: Sendable, Hashable, JSONEncodable, JSONDecodable {
    /// The line's id in the document (X12 LIN01 or its HL id, EDIFACT LIN 1082, JSON position).
    public var lineId: String
    public var item: Item
    /// As sent, in the sender's unit mapped to the enterprise code.
    public var quantity: Quantity
    /// In the item's base unit, when the item is known.
    public var baseQuantity: Optional<Quantity>
    public var poNumber: Optional<String>
    public var poLine: Optional<String>
    /// The SSCC of the handling unit the line is packed in.
    public var handlingUnit: Optional<String>
    /// Serial numbers of the units on this line.
    public var serials: [String]
    /// Weights the sender stated for the line (X12 MEA at the item level, EDIFACT MEA in the LIN group).
    public var grossWeight: Quantity? {
        get { weights?.value.gross }
        set { setWeights(gross: newValue, net: netWeight) }
    }
    public var netWeight: Quantity? {
        get { weights?.value.net }
        set { setWeights(gross: grossWeight, net: newValue) }
    }

    /// Few lines state weights, and every line is copied into its event: the weights live in one
    /// box, a reference on a line, rather than two optional quantities inline.
    @usableFromInline
    struct Weights: Hashable, Sendable {
        @usableFromInline var gross: Quantity?
        @usableFromInline var net: Quantity?

        @usableFromInline
        init(gross: Quantity?, net: Quantity?) {
            self.gross = gross
            self.net = net
        }
    }
    @usableFromInline var weights: Optional<CopyOnWrite<Weights>>

    @usableFromInline
    mutating func setWeights(gross: Quantity?, net: Quantity?) {
        weights = gross == nil && net == nil ? nil : CopyOnWrite(Weights(gross: gross, net: net))
    }

    @inlinable
    public init(
        lineId: String, item: Item, quantity: Quantity, baseQuantity: Quantity? = nil, poNumber: String? = nil,
        poLine: String? = nil, handlingUnit: String? = nil, serials: [String] = [], grossWeight: Quantity? = nil,
        netWeight: Quantity? = nil
    ) {
        self.weights = grossWeight == nil && netWeight == nil ? nil : CopyOnWrite(Weights(gross: grossWeight, net: netWeight))
        self.lineId = lineId
        self.item = item
        self.quantity = quantity
        self.baseQuantity = baseQuantity
        self.poNumber = poNumber
        self.poLine = poLine
        self.handlingUnit = handlingUnit
        self.serials = serials
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("lineId", lineId)
        w.field("item", item)
        w.field("quantity", quantity)
        w.field("baseQuantity", baseQuantity)
        w.field("poNumber", poNumber)
        w.field("poLine", poLine)
        w.field("handlingUnit", handlingUnit)
        w.field("serials", strings: serials)
        w.field("grossWeight", grossWeight)
        w.field("netWeight", netWeight)
        w.endObject()
    }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        self.init(
            lineId: try r.string("lineId"), item: try r.decode("item"), quantity: try r.decode("quantity"),
            baseQuantity: try r.optional("baseQuantity"), poNumber: try r.optionalString("poNumber"),
            poLine: try r.optionalString("poLine"), handlingUnit: try r.optionalString("handlingUnit"),
            serials: try r.strings("serials"), grossWeight: try r.optional("grossWeight"), netWeight: try r.optional("netWeight"))
    }
}

/// `crossdock.shipment.notice.v1`: a supplier's advance ship notice, one per X12 856 transaction
/// set, EDIFACT DESADV message or JSON ASN.
public struct ShipmentNotice: EventPayload, JSONDecodable {
    public static var eventType: EventType { .shipmentNotice }

    /// Enterprise-wide id of the shipment: `<partner>:<asnNumber>`.
    public var shipmentId: String
    public var asnNumber: String
    public var purpose: ShipmentPurpose
    public var supplier: Party
    public var shipFrom: Optional<Party>
    /// The receiving site.
    public var shipTo: Location
    public var carrier: Optional<CarrierInfo>
    public var references: Optional<ShipmentReferences>
    public var shippedAt: Optional<Timestamp>
    public var expectedArrivalAt: Optional<Timestamp>
    /// The sender's local date or date-time (ISO 8601 without an offset) when it sent a date
    /// alone, or a time whose zone cannot be known (then with a `TIME_ZONE_UNKNOWN` warning);
    /// `shippedAt` is then absent.
    public var shippedAtLocal: Optional<String>
    public var expectedArrivalAtLocal: Optional<String>
    public var totals: Optional<ShipmentTotals>
    /// Purchase order numbers the shipment fulfils.
    public var orders: [String]
    /// Every handling unit, parents before children (pallet > carton).
    public var handlingUnits: [HandlingUnit]
    public var lines: [ShipmentLine]
    /// Findings that did not reject the ASN (a hash total that does not match, ...).
    public var warnings: [Diagnostic]

    public init(
        shipmentId: String, asnNumber: String, purpose: ShipmentPurpose, supplier: Party, shipFrom: Party? = nil,
        shipTo: Location, carrier: CarrierInfo? = nil, references: ShipmentReferences? = nil,
        shippedAt: Timestamp? = nil, expectedArrivalAt: Timestamp? = nil, totals: ShipmentTotals? = nil,
        orders: [String] = [], handlingUnits: [HandlingUnit] = [], lines: [ShipmentLine], warnings: [Diagnostic] = [],
        shippedAtLocal: String? = nil, expectedArrivalAtLocal: String? = nil
    ) {
        self.shippedAtLocal = shippedAtLocal
        self.expectedArrivalAtLocal = expectedArrivalAtLocal
        self.shipmentId = shipmentId
        self.asnNumber = asnNumber
        self.purpose = purpose
        self.supplier = supplier
        self.shipFrom = shipFrom
        self.shipTo = shipTo
        self.carrier = carrier
        self.references = references
        self.shippedAt = shippedAt
        self.expectedArrivalAt = expectedArrivalAt
        self.totals = totals
        self.orders = orders
        self.handlingUnits = handlingUnits
        self.lines = lines
        self.warnings = warnings
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("shipmentId", shipmentId)
        w.field("asnNumber", asnNumber)
        w.field("purpose", purpose.rawValue)
        w.field("supplier", supplier)
        w.field("shipFrom", shipFrom)
        w.field("shipTo", shipTo)
        w.field("carrier", carrier)
        w.field("references", references)
        w.field("shippedAt", shippedAt)
        w.field("expectedArrivalAt", expectedArrivalAt)
        w.field("shippedAtLocal", shippedAtLocal)
        w.field("expectedArrivalAtLocal", expectedArrivalAtLocal)
        w.field("totals", totals)
        w.field("orders", strings: orders, always: true)
        w.field("handlingUnits", handlingUnits, always: true)
        w.field("lines", lines, always: true)
        w.field("warnings", warnings, always: true)
        w.endObject()
    }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        self.init(
            shipmentId: try r.string("shipmentId"), asnNumber: try r.string("asnNumber"),
            purpose: try r.code("purpose"), supplier: try r.decode("supplier"), shipFrom: try r.optional("shipFrom"),
            shipTo: try r.decode("shipTo"), carrier: try r.optional("carrier"),
            references: try r.optional("references"), shippedAt: try r.optional("shippedAt"),
            expectedArrivalAt: try r.optional("expectedArrivalAt"), totals: try r.optional("totals"),
            orders: try r.strings("orders"), handlingUnits: try r.array("handlingUnits"), lines: try r.array("lines"),
            warnings: try r.array("warnings"), shippedAtLocal: try r.optionalString("shippedAtLocal"),
            expectedArrivalAtLocal: try r.optionalString("expectedArrivalAtLocal"))
    }
}

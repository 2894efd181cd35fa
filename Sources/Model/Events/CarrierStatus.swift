/// The canonical shipment statuses every carrier code maps to.
public enum CarrierStatusCode: String, Sendable, Hashable, CaseIterable {
    case tendered
    case pickedUp = "picked_up"
    case departed
    case inTransit = "in_transit"
    case arrived
    case outForDelivery = "out_for_delivery"
    case delivered, delayed, exception
    case etaUpdated = "eta_updated"
}

// Stored optionals are spelled `Optional<T>` so that initialisers move their arguments into place
// (see `Item`).
/// Where a status happened, as precise as the carrier sent it.
public struct StatusLocation: Sendable, Hashable, JSONEncodable, JSONDecodable {
    public var city: Optional<String>
    /// State or province code.
    public var region: Optional<String>
    /// ISO 3166-1 alpha-2 where the carrier sent one.
    public var country: Optional<String>
    public var postalCode: Optional<String>
    /// Decimal degrees, north positive.
    public var latitude: Optional<ExactDecimal>
    /// Decimal degrees, east positive.
    public var longitude: Optional<ExactDecimal>
    /// An enterprise location, when the status happened at one of ours.
    public var locationId: Optional<String>
    /// The place's code as the carrier sent it: a UN/LOCODE (`DEHAM`), a terminal code.
    public var code: Optional<String>

    public init(
        city: String? = nil, region: String? = nil, country: String? = nil, postalCode: String? = nil,
        latitude: ExactDecimal? = nil, longitude: ExactDecimal? = nil, locationId: String? = nil, code: String? = nil
    ) {
        self.code = code
        self.city = city
        self.region = region
        self.country = country
        self.postalCode = postalCode
        self.latitude = latitude
        self.longitude = longitude
        self.locationId = locationId
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("city", city)
        w.field("region", region)
        w.field("country", country)
        w.field("postalCode", postalCode)
        w.field("latitude", latitude)
        w.field("longitude", longitude)
        w.field("locationId", locationId)
        w.field("code", code)
        w.endObject()
    }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        self.init(
            city: try r.optionalString("city"), region: try r.optionalString("region"),
            country: try r.optionalString("country"), postalCode: try r.optionalString("postalCode"),
            latitude: try r.optionalDecimal("latitude"), longitude: try r.optionalDecimal("longitude"),
            locationId: try r.optionalString("locationId"), code: try r.optionalString("code"))
    }
}

/// `crossdock.carrier.status.v1`: one status occurrence reported by a carrier (one X12 214
/// AT7, one EDIFACT STS, one tracking JSON event).
public struct CarrierStatus: EventPayload, JSONDecodable {
    public static var eventType: EventType { .carrierStatus }

    /// The shipment id of a ship notice, when the message itself names one. The hub never sets
    /// it: a status is a function of its message alone; `canonical.receipt-reconciliations.v1`
    /// links statuses to ship notices through their references.
    public var shipmentId: Optional<String>
    public var trackingNumber: Optional<String>
    public var carrier: CarrierInfo
    public var status: CarrierStatusCode
    /// The carrier's status code as sent (e.g. X12 AT7 `X1`).
    public var statusCode: String
    /// The carrier's reason code as sent (e.g. `NS` normal status).
    public var reasonCode: Optional<String>
    public var description: Optional<String>
    public var location: Optional<StatusLocation>
    public var estimatedDeliveryAt: Optional<Timestamp>
    /// Equipment (trailer, container) as sent (X12 MS2).
    public var equipment: Optional<String>
    /// References the carrier sent (bill of lading, PO, shipper references).
    public var references: [Reference]
    /// The shipper's own shipment number as the carrier repeats it (X12 B1002, JSON
    /// `shipmentReference`).
    public var shipmentReference: Optional<String>
    /// When the status happened, as the sender's local date or date-time (ISO 8601 without an
    /// offset), when it sent a date alone or a time whose zone cannot be known (with a
    /// `TIME_ZONE_UNKNOWN` warning); the event's `time` is then the processing time.
    public var occurredAtLocal: Optional<String>
    public var estimatedDeliveryAtLocal: Optional<String>
    /// Findings that did not reject the status.
    public var warnings: [Diagnostic]
    /// For an appointment (X12 AT703: a pick-up or delivery appointment set), the appointment's
    /// date and time; the event's `time` is then the processing time.
    public var appointmentAt: Optional<Timestamp>
    public var appointmentAtLocal: Optional<String>
    /// The SSCCs of the packages the status is about, when it concerns some packages of the
    /// shipment only (EDIFACT GIN+BJ in the status group); empty for the whole shipment.
    public var handlingUnits: [String]

    public init(
        shipmentId: String? = nil, trackingNumber: String? = nil, carrier: CarrierInfo, status: CarrierStatusCode,
        statusCode: String, reasonCode: String? = nil, description: String? = nil, location: StatusLocation? = nil,
        estimatedDeliveryAt: Timestamp? = nil, equipment: String? = nil, references: [Reference] = [],
        shipmentReference: String? = nil, occurredAtLocal: String? = nil, estimatedDeliveryAtLocal: String? = nil,
        warnings: [Diagnostic] = [], appointmentAt: Timestamp? = nil, appointmentAtLocal: String? = nil,
        handlingUnits: [String] = []
    ) {
        self.handlingUnits = handlingUnits
        self.appointmentAt = appointmentAt
        self.appointmentAtLocal = appointmentAtLocal
        self.shipmentReference = shipmentReference
        self.occurredAtLocal = occurredAtLocal
        self.estimatedDeliveryAtLocal = estimatedDeliveryAtLocal
        self.warnings = warnings
        self.shipmentId = shipmentId
        self.trackingNumber = trackingNumber
        self.carrier = carrier
        self.status = status
        self.statusCode = statusCode
        self.reasonCode = reasonCode
        self.description = description
        self.location = location
        self.estimatedDeliveryAt = estimatedDeliveryAt
        self.equipment = equipment
        self.references = references
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("shipmentId", shipmentId)
        w.field("trackingNumber", trackingNumber)
        w.field("carrier", carrier)
        w.field("status", status.rawValue)
        w.field("statusCode", statusCode)
        w.field("reasonCode", reasonCode)
        w.field("description", description)
        w.field("location", location)
        w.field("estimatedDeliveryAt", estimatedDeliveryAt)
        w.field("equipment", equipment)
        w.field("references", references)
        w.field("shipmentReference", shipmentReference)
        w.field("occurredAtLocal", occurredAtLocal)
        w.field("estimatedDeliveryAtLocal", estimatedDeliveryAtLocal)
        w.field("appointmentAt", appointmentAt)
        w.field("appointmentAtLocal", appointmentAtLocal)
        w.field("handlingUnits", strings: handlingUnits)
        w.field("warnings", warnings)
        w.endObject()
    }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        self.init(
            shipmentId: try r.optionalString("shipmentId"), trackingNumber: try r.optionalString("trackingNumber"),
            carrier: try r.decode("carrier"), status: try r.code("status"), statusCode: try r.string("statusCode"),
            reasonCode: try r.optionalString("reasonCode"), description: try r.optionalString("description"),
            location: try r.optional("location"), estimatedDeliveryAt: try r.optional("estimatedDeliveryAt"),
            equipment: try r.optionalString("equipment"), references: try r.array("references"),
            shipmentReference: try r.optionalString("shipmentReference"), occurredAtLocal: try r.optionalString("occurredAtLocal"),
            estimatedDeliveryAtLocal: try r.optionalString("estimatedDeliveryAtLocal"), warnings: try r.array("warnings"),
            appointmentAt: try r.optional("appointmentAt"), appointmentAtLocal: try r.optionalString("appointmentAtLocal"),
            handlingUnits: try r.strings("handlingUnits"))
    }
}

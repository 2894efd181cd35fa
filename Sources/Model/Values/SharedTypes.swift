/// An amount with its unit: `{ "value": 12.5, "uom": "CS" }`. `uom` is a UN/ECE Recommendation 20
/// code (or one of the package codes master data defines); `value` is exact.
public struct Quantity: Sendable, Hashable, JSONEncodable, JSONDecodable, CustomStringConvertible {
    public var value: ExactDecimal
    public var uom: String

    @inlinable
    public init(_ value: ExactDecimal, _ uom: String) {
        self.value = value
        self.uom = uom
    }

    public var description: String { "\(value) \(uom)" }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("value", value)
        w.field("uom", uom)
        w.endObject()
    }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        self.init(try r.decimal("value"), try r.string("uom"))
    }
}

/// What a line, scan or event is about. `gtin` is 14 digits with a verified check digit; `sku`
/// is the enterprise item id from master data.
public struct Item: Sendable, Hashable, JSONEncodable, JSONDecodable {
    // Stored optionals of the values built for every record are spelled `Optional<T>` here and in
    // the events: a `var` written `T?` starts as nil by itself, so an initialiser that sets it
    // assigns over that nil, and the compiler then builds the whole value twice and copies it
    // (retaining and releasing each string once more). Spelled out, the initialiser moves its
    // arguments into place.
    public var gtin: Optional<String>
    public var sku: Optional<String>
    public var supplierItem: Optional<String>
    public var buyerItem: Optional<String>
    public var description: Optional<String>
    public var lot: Optional<String>
    public var serial: Optional<String>
    public var expiry: Optional<CalendarDate>

    @inlinable
    public init(
        gtin: String? = nil, sku: String? = nil, supplierItem: String? = nil, buyerItem: String? = nil,
        description: String? = nil, lot: String? = nil, serial: String? = nil, expiry: CalendarDate? = nil
    ) {
        self.gtin = gtin
        self.sku = sku
        self.supplierItem = supplierItem
        self.buyerItem = buyerItem
        self.description = description
        self.lot = lot
        self.serial = serial
        self.expiry = expiry
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("gtin", gtin)
        w.field("sku", sku)
        w.field("supplierItem", supplierItem)
        w.field("buyerItem", buyerItem)
        w.field("description", description)
        w.field("lot", lot)
        w.field("serial", serial)
        w.field("expiry", expiry)
        w.endObject()
    }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        self.init(
            gtin: try r.optionalString("gtin"), sku: try r.optionalString("sku"),
            supplierItem: try r.optionalString("supplierItem"), buyerItem: try r.optionalString("buyerItem"),
            description: try r.optionalString("description"), lot: try r.optionalString("lot"),
            serial: try r.optionalString("serial"), expiry: try r.optional("expiry"))
    }
}

/// Location types, outermost first; a child is always of a later type than its parent, and a
/// dock sits in a zone.
public enum LocationType: String, Sendable, Hashable, CaseIterable {
    case site, zone, aisle, bay, bin, dock
}

/// What a location is used for; inherited from the parent unless set.
public enum LocationRole: String, Sendable, Hashable, CaseIterable {
    case receiving, storage, quarantine, damage, shipping, staging
}

/// An enterprise location resolved from master data, never a partner's or site's alias.
public struct Location: Sendable, Hashable, JSONEncodable, JSONDecodable, CustomReflectable {
    struct Fields: Sendable, Hashable {
        var id: String
        var site: String
        var path: [String]
        var type: LocationType
        var role: Optional<LocationRole>
        var gln: Optional<String>
        var name: Optional<String>
    }

    /// The fields and their JSON, encoded once when the location is made or changed: an event
    /// writes up to three locations (about 200 bytes each, most of it the path).
    struct Encoded: Sendable, Hashable {
        var fields: Fields {
            didSet { json = Self.encode(fields) }
        }
        private(set) var json: [UInt8]

        init(_ fields: Fields) {
            self.fields = fields
            json = Self.encode(fields)
        }

        static func encode(_ fields: Fields) -> [UInt8] {
            var w = JSONWriter(capacity: 256)
            w.beginObject()
            w.field("id", fields.id)
            w.field("site", fields.site)
            w.field("path", strings: fields.path, always: true)
            w.field("type", fields.type.rawValue)
            w.field("role", fields.role?.rawValue)
            w.field("gln", fields.gln)
            w.field("name", fields.name)
            w.endObject()
            return w.bytes
        }

        // The JSON follows from the fields.
        static func == (left: Self, right: Self) -> Bool { left.fields == right.fields }
        func hash(into hasher: inout Hasher) { hasher.combine(fields) }
    }

    // Built once per location in the master-data snapshot: an event holds up to three locations
    // and is moved several times on its way out, and each copy of the seven fields retained and
    // released every string and the path.
    private var box: CopyOnWrite<Encoded>

    /// Enterprise id, e.g. `DC-EAST/RCV/DOCK-03`.
    public var id: String {
        get { box.value.fields.id }
        set { box.value.fields.id = newValue }
    }
    public var site: String {
        get { box.value.fields.site }
        set { box.value.fields.site = newValue }
    }
    /// Ancestor ids from the site down to this location (inclusive).
    public var path: [String] {
        get { box.value.fields.path }
        set { box.value.fields.path = newValue }
    }
    public var type: LocationType {
        get { box.value.fields.type }
        set { box.value.fields.type = newValue }
    }
    /// The effective role (own or inherited).
    public var role: LocationRole? {
        get { box.value.fields.role }
        set { box.value.fields.role = newValue }
    }
    public var gln: String? {
        get { box.value.fields.gln }
        set { box.value.fields.gln = newValue }
    }
    public var name: String? {
        get { box.value.fields.name }
        set { box.value.fields.name = newValue }
    }

    public init(
        id: String, site: String, path: [String], type: LocationType, role: LocationRole? = nil, gln: String? = nil,
        name: String? = nil
    ) {
        box = CopyOnWrite(Encoded(Fields(id: id, site: site, path: path, type: type, role: role, gln: gln, name: name)))
    }

    /// Printed as its fields, as before they moved into the box.
    public var customMirror: Mirror {
        Mirror(self, children: Mirror(reflecting: box.value.fields).children, displayStyle: .struct)
    }

    public func write(to w: inout JSONWriter) {
        box.value.json.withUnsafeBufferPointer { w.encodedValue($0) }
    }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        self.init(
            id: try r.string("id"), site: try r.string("site"), path: try r.strings("path"), type: try r.code("type"),
            role: try r.optionalCode("role"), gln: try r.optionalString("gln"), name: try r.optionalString("name"))
    }
}

/// A trading partner or organisation: supplier, buyer, ship-from.
public struct Party: Sendable, Hashable, JSONEncodable, JSONDecodable {
    /// The enterprise partner id when known, else the sender's own identifier.
    public var id: Optional<String>
    public var gln: Optional<String>
    public var name: Optional<String>

    public init(id: String? = nil, gln: String? = nil, name: String? = nil) {
        self.id = id
        self.gln = gln
        self.name = name
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("id", id)
        w.field("gln", gln)
        w.field("name", name)
        w.endObject()
    }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        self.init(id: try r.optionalString("id"), gln: try r.optionalString("gln"), name: try r.optionalString("name"))
    }
}

/// A pallet, carton or other logistic unit identified by its SSCC (18 digits).
public struct HandlingUnit: Sendable, Hashable, JSONEncodable, JSONDecodable {
    public var sscc: String
    /// Packaging code as sent (e.g. `PLT`, `CTN`, UN/ECE Rec 21).
    public var packaging: Optional<String>
    /// The SSCC of the unit this one is packed in (carton on a pallet).
    public var parent: Optional<String>
    /// The unit's gross weight as the sender stated it (X12 MEA at its level, EDIFACT MEA after its PAC).
    public var grossWeight: Optional<Quantity>

    public init(sscc: String, packaging: String? = nil, parent: String? = nil, grossWeight: Quantity? = nil) {
        self.sscc = sscc
        self.packaging = packaging
        self.parent = parent
        self.grossWeight = grossWeight
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("sscc", sscc)
        w.field("packaging", packaging)
        w.field("parent", parent)
        w.field("grossWeight", grossWeight)
        w.endObject()
    }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        self.init(
            sscc: try r.string("sscc"), packaging: try r.optionalString("packaging"),
            parent: try r.optionalString("parent"), grossWeight: try r.optional("grossWeight"))
    }
}

extension Diagnostic: JSONEncodable, JSONDecodable {
    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("severity", severity.rawValue)
        w.field("code", code.rawValue)
        w.field("message", message)
        w.field("location", location)
        w.endObject()
    }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        self.init(
            severity: try r.code("severity"), code: DiagnosticCode(try r.string("code")),
            message: try r.string("message"), location: try r.optionalString("location"))
    }
}

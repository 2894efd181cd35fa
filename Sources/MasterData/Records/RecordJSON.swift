public import Model

// The JSON form of master-data records on the compacted topics `masterdata.locations.v1` and
// `masterdata.items.v1` (key = location id, `alias/<site>/<code>`, or sku; empty value = delete).
// Field names are those of the YAML files.

extension LocationRecord: JSONEncodable, JSONDecodable {
    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("id", id)
        w.field("type", type.rawValue)
        w.field("parent", parent)
        w.field("role", role?.rawValue)
        w.field("gln", gln)
        w.field("name", name)
        w.field("region", region)
        w.field("operator", `operator`)
        w.field("timeZone", timeZone)
        w.endObject()
    }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        self.init(
            id: try r.string("id"), type: try r.code("type"), parent: try r.optionalString("parent"),
            role: try r.optionalCode("role"), gln: try r.optionalString("gln"), name: try r.optionalString("name"),
            region: try r.optionalString("region"), operator: try r.optionalString("operator"),
            timeZone: try r.optionalString("timeZone"))
    }
}

extension AliasRecord: JSONEncodable, JSONDecodable {
    /// The topic key of an alias record.
    public var key: String { "alias/\(site)/\(code)" }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("site", site)
        w.field("code", code)
        w.field("location", location)
        w.endObject()
    }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        self.init(site: try r.string("site"), code: try r.string("code"), location: try r.string("location"))
    }
}

extension ItemRecord: JSONEncodable, JSONDecodable {
    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("sku", sku)
        w.field("gtin", gtin)
        w.field("description", description)
        w.field("baseUnit", baseUnit)
        w.key("units")
        w.beginObject()
        for (unit, amount) in units.sorted(by: { $0.key < $1.key }) {
            w.key(text: unit)
            w.number(amount)
        }
        w.endObject()
        if lotControlled { w.key("lotControlled"); w.bool(true) }
        if expiryControlled { w.key("expiryControlled"); w.bool(true) }
        if serialized { w.key("serialized"); w.bool(true) }
        if weighed { w.key("weighed"); w.bool(true) }
        w.field("hazmat", hazmat)
        w.endObject()
    }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        var units: [String: ExactDecimal] = [:]
        if let value = r.object["units"], !value.isNull {
            let unitsReader = try JSONObjectReader(value, at: pointer.appending("units"))
            for member in unitsReader.object { units[member.key] = try unitsReader.decimal(member.key) }
        }
        func flag(_ key: String) throws(JSONShapeError) -> Bool {
            guard let value = r.object[key], !value.isNull else { return false }
            guard let bool = value.boolValue else {
                throw JSONShapeError("expected true or false", at: pointer.appending(key))
            }
            return bool
        }
        self.init(
            sku: try r.string("sku"), gtin: try r.optionalString("gtin"), description: try r.optionalString("description"),
            baseUnit: try r.string("baseUnit"), units: units, lotControlled: try flag("lotControlled"),
            expiryControlled: try flag("expiryControlled"), serialized: try flag("serialized"),
            weighed: try flag("weighed"), hazmat: try r.optionalString("hazmat"))
    }
}

extension MasterDataChange {
    /// Decodes one record of `masterdata.locations.v1` (a location, or an alias when the key starts
    /// with `alias/`); an empty value deletes.
    public static func location(key: String, value: [UInt8]) throws -> MasterDataChange {
        if key.hasPrefix("alias/") {
            let parts = key.split(separator: "/", maxSplits: 2).map(String.init)
            guard parts.count == 3 else { throw JSONShapeError("alias key must be alias/<site>/<code>", at: .root) }
            if value.isEmpty { return .deleteAlias(site: parts[1], code: parts[2]) }
            return .upsertAlias(try AliasRecord(json: JSONParser.parse(value), at: .root))
        }
        if value.isEmpty { return .deleteLocation(id: key) }
        return .upsertLocation(try LocationRecord(json: JSONParser.parse(value), at: .root))
    }

    /// Why a record of `masterdata.partners.v1` is not a partner profile.
    public struct PartnerRecordError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Decodes one record of `masterdata.partners.v1`: the key is the partner id, the value the
    /// text of its `partners/*.yaml` file; an empty value deletes.
    public static func partner(key: String, value: [UInt8]) throws(PartnerRecordError) -> MasterDataChange {
        if value.isEmpty { return .deletePartner(id: key) }
        guard let text = String(validating: value, as: UTF8.self) else { throw PartnerRecordError(description: "the profile is not UTF-8 text") }
        let (profile, diagnostics) = MasterDataLoader.partner(yaml: text, name: "partner \(key)")
        let errors = diagnostics.filter { $0.severity == .error }
        guard let profile, errors.isEmpty else {
            throw PartnerRecordError(description: errors.map { "\($0.code) \($0.location ?? "-"): \($0.message)" }.joined(separator: "; "))
        }
        guard profile.partner == key else {
            throw PartnerRecordError(description: "the record's key '\(key)' is not the profile's partner '\(profile.partner)'")
        }
        return .upsertPartner(profile)
    }

    /// Decodes one record of `masterdata.items.v1`; an empty value deletes.
    public static func item(key: String, value: [UInt8]) throws -> MasterDataChange {
        if value.isEmpty { return .deleteItem(sku: key) }
        return .upsertItem(try ItemRecord(json: JSONParser.parse(value), at: .root))
    }
}

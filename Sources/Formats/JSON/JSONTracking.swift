public import Model

/// Reads the carrier tracking webhook (`application/vnd.crossdock.tracking+json`,
/// Schemas/tracking-input.json).
public enum JSONTracking {
    public static func read(_ value: JSONValue) -> StatusDocument {
        var reader = JSONInputReader()
        var document = StatusDocument(format: "json-tracking", documentID: "", location: "/")
        let root = JSONPointer.root
        guard
            let object = reader.object(
                value, root, allowed: ["carrier", "trackingNumber", "shipmentReference", "events"],
                required: ["events"])
        else {
            document.diagnostics = reader.diagnostics
            return document
        }
        if let carrier = reader.string(object, "carrier", root) {
            document.scac = carrier
            document.senderIdentifiers = [carrier]
        }
        document.trackingNumber = reader.identifier(object, "trackingNumber", root)
        document.shipmentReference = reader.identifier(object, "shipmentReference", root)
        if object["trackingNumber"] == nil, object["shipmentReference"] == nil {
            reader.invalid("the update names neither a trackingNumber nor a shipmentReference", root)
        }
        let events = reader.array(object, "events", root)
        if object["events"] != nil, events.isEmpty { reader.invalid("events must list at least one event", root.appending("events")) }
        for (index, value) in events.enumerated() {
            let pointer = root.appending("events").appending(index)
            guard
                let event = reader.object(
                    value, pointer, allowed: ["status", "description", "occurredAt", "location", "estimatedDeliveryAt"],
                    required: ["status", "occurredAt"])
            else { continue }
            var occurrence = StatusOccurrence(position: pointer.description)
            occurrence.statusCode = reader.string(event, "status", pointer)
            occurrence.description = reader.string(event, "description", pointer)
            occurrence.occurredAt = reader.sentTime(event, "occurredAt", pointer)
            occurrence.estimatedDeliveryAt = reader.sentTime(event, "estimatedDeliveryAt", pointer)
            let locationPointer = pointer.appending("location")
            if let location = reader.object(
                event["location"], locationPointer, allowed: ["city", "region", "country", "latitude", "longitude", "postalCode"])
            {
                /// A coordinate within ±`limit` degrees, kept exactly; anything else is said, not dropped.
                func degrees(_ key: String, limit: Int) -> ExactDecimal? {
                    guard let text = reader.number(location, key, locationPointer) else { return nil }
                    guard let value = ExactDecimal(text) else {
                        reader.invalid("\(key) \(text) has more digits than can be kept exactly (18)", locationPointer.appending(key))
                        return nil
                    }
                    guard value >= ExactDecimal(-limit), value <= ExactDecimal(limit) else {
                        reader.invalid("\(key) \(text) is not between -\(limit) and \(limit) degrees", locationPointer.appending(key))
                        return nil
                    }
                    return value
                }
                let country = reader.string(location, "country", locationPointer)
                if let country, !(country.utf8.count == 2 && country.utf8.allSatisfy { (65...90).contains($0) }) {
                    reader.invalid("country '\(country)' is not an ISO 3166-1 alpha-2 code (two capital letters)", locationPointer.appending("country"))
                }
                occurrence.location = StatusLocation(
                    city: reader.string(location, "city", locationPointer), region: reader.string(location, "region", locationPointer),
                    country: country, postalCode: reader.string(location, "postalCode", locationPointer),
                    latitude: degrees("latitude", limit: 90), longitude: degrees("longitude", limit: 180))
            }
            if document.admitStatus(waiting: 0) { document.events.append(occurrence) }
        }
        document.diagnostics = reader.diagnostics
        return document
    }
}

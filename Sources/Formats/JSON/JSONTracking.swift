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
                required: ["trackingNumber", "events"])
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
            occurrence.occurredAt = reader.timestamp(event, "occurredAt", pointer).map(SentTime.init)
            occurrence.estimatedDeliveryAt = reader.timestamp(event, "estimatedDeliveryAt", pointer).map(SentTime.init)
            let locationPointer = pointer.appending("location")
            if let location = reader.object(
                event["location"], locationPointer, allowed: ["city", "region", "country", "latitude", "longitude", "postalCode"])
            {
                occurrence.location = StatusLocation(
                    city: reader.string(location, "city", locationPointer), region: reader.string(location, "region", locationPointer),
                    country: reader.string(location, "country", locationPointer),
                    postalCode: reader.string(location, "postalCode", locationPointer),
                    latitude: reader.number(location, "latitude", locationPointer).flatMap(ExactDecimal.init),
                    longitude: reader.number(location, "longitude", locationPointer).flatMap(ExactDecimal.init))
            }
            document.events.append(occurrence)
        }
        document.diagnostics = reader.diagnostics
        return document
    }
}

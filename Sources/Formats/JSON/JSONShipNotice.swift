public import Model

/// Reads the JSON ship notice (`application/vnd.crossdock.asn+json`, Schemas/asn-input.json).
public enum JSONShipNotice {
    public static func read(_ value: JSONValue) -> ASNDocument {
        var reader = JSONInputReader()
        var document = ASNDocument(format: "json-asn", unitCodeList: "enterprise", documentID: "", location: "/")
        let root = JSONPointer.root
        guard
            let object = reader.object(
                value, root,
                allowed: ["asnNumber", "purpose", "supplier", "shipTo", "shippedAt", "expectedArrivalAt", "carrier", "handlingUnits"],
                required: ["asnNumber", "shipTo", "handlingUnits"])
        else {
            document.diagnostics = reader.diagnostics
            return document
        }
        document.asnNumber = reader.identifier(object, "asnNumber", root)
        document.documentID = document.asnNumber ?? ""
        if let supplier = reader.string(object, "supplier", root) { document.senderIdentifiers = [supplier] }
        if let purpose = reader.string(object, "purpose", root) {
            document.purposeCode = purpose
            document.purpose = ShipmentPurpose(rawValue: purpose)
            if document.purpose == nil {
                reader.invalid("purpose must be original, replace or cancel", root.appending("purpose"))
            }
        }
        if let shipTo = reader.string(object, "shipTo", root) {
            let isGLN = shipTo.utf8.count == 13 && shipTo.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
            document.setParty(
                ASNParty(role: "ST", qualifier: isGLN ? "GLN" : "site", identifier: shipTo, location: "/shipTo"))
        }
        document.shippedAt = reader.sentTime(object, "shippedAt", root)
        document.expectedArrivalAt = reader.sentTime(object, "expectedArrivalAt", root)
        let carrierPointer = root.appending("carrier")
        if let carrier = reader.object(object["carrier"], carrierPointer, allowed: ["scac", "trackingNumbers"]) {
            document.carrier = CarrierInfo(scac: reader.string(carrier, "scac", carrierPointer))
            document.trackingNumbers = reader.strings(carrier, "trackingNumbers", carrierPointer)
        }
        let units = reader.array(object, "handlingUnits", root)
        if object["handlingUnits"] != nil, units.isEmpty {
            reader.invalid("handlingUnits must list at least one unit", root.appending("handlingUnits"))
        }
        var lineNumber = 0
        // Each unit's first listing, by SSCC as sent: a unit listed again exactly as before is the
        // same fact stated twice, not more of its lines (listed again with other lines, as a mixed
        // pallet is under each of its orders, its lines add up).
        var listed: [String: JSONObject] = [:]
        for (unitIndex, unitValue) in units.enumerated() {
            let unitPointer = root.appending("handlingUnits").appending(unitIndex)
            guard
                let unit = reader.object(
                    unitValue, unitPointer, allowed: ["sscc", "packaging", "parent", "lines"], required: ["sscc"])
            else { continue }
            let sscc = reader.identifier(unit, "sscc", unitPointer)
            if let sscc {
                guard listed[sscc] != unit else { continue }
                if listed[sscc] == nil { listed[sscc] = unit }
                document.handlingUnits.append(
                    ASNHandlingUnit(
                        sscc: sscc, packaging: reader.string(unit, "packaging", unitPointer),
                        parent: reader.identifier(unit, "parent", unitPointer), location: InputLocation(unitPointer.appending("sscc").description)))
            }
            for (lineIndex, lineValue) in reader.array(unit, "lines", unitPointer).enumerated() {
                let pointer = unitPointer.appending("lines").appending(lineIndex)
                guard
                    let line = reader.object(
                        lineValue, pointer,
                        allowed: ["item", "quantity", "uom", "lot", "expiry", "serials", "poNumber", "poLine"],
                        required: ["item", "quantity", "uom"])
                else { continue }
                lineNumber += 1
                let asnLine = readLine(line, at: pointer, number: lineNumber, handlingUnit: sscc, reader: &reader)
                if let po = asnLine.poNumber { document.addOrder(po) }
                document.lines.append(asnLine)
            }
        }
        document.diagnostics = reader.diagnostics
        return document
    }

    /// One line of a handling unit: its item ids, quantity and unit, lot, expiry, serials and order.
    static func readLine(
        _ line: JSONObject, at pointer: JSONPointer, number: Int, handlingUnit sscc: String?, reader: inout JSONInputReader
    ) -> ASNLine {
        var asnLine = ASNLine(lineId: String(number), location: InputLocation(pointer.description))
        let itemPointer = pointer.appending("item")
        if let item = reader.object(line["item"], itemPointer, allowed: ["gtin", "supplierItem", "buyerItem"]) {
            for key in ["gtin", "supplierItem", "buyerItem"] {
                if let id = reader.identifier(item, key, itemPointer) {
                    asnLine.productIDs.append(ASNProductID(qualifier: key, value: id, location: InputLocation(itemPointer.appending(key).description)))
                }
            }
            if asnLine.productIDs.isEmpty { reader.invalid("item needs a gtin or a supplierItem", itemPointer) }
        }
        asnLine.quantity = reader.number(line, "quantity", pointer)
        asnLine.quantityLocation = InputLocation(pointer.appending("quantity").description)
        asnLine.unit = reader.string(line, "uom", pointer)
        asnLine.unitLocation = InputLocation(pointer.appending("uom").description)
        asnLine.lot = reader.identifier(line, "lot", pointer)
        asnLine.expiry = reader.date(line, "expiry", pointer).map(SentTime.init)
        asnLine.serials = reader.strings(line, "serials", pointer)
        asnLine.poNumber = reader.identifier(line, "poNumber", pointer)
        asnLine.poLine = reader.identifier(line, "poLine", pointer)
        asnLine.handlingUnit = sscc
        return asnLine
    }
}

import Formats
import Foundation
import Model
import TestSupport
import Testing

/// Real partner files published by others (Tests/Fixtures/partners: sources, commits and licences in
/// the README beside each folder), each checked against the facts written in its `facts.json` by
/// reading the file, not by running Crossdock: ship notice numbers, SSCCs, items and quantities,
/// orders, carrier statuses with their consignments, codes, dates and places.
@Suite("Partner files: what the readers find is what the files say")
struct PartnerCorpusTests {
    /// One file's facts, as JSON.
    struct Facts: Sendable, CustomTestStringConvertible {
        let standard: String
        let file: String
        let json: [String: any Sendable]
        var testDescription: String { "\(standard)/\(file)" }
    }

    static func facts(_ standard: String) -> [Facts] {
        let url = TestSupport.path("Tests/Fixtures/partners/\(standard)/facts.json")
        let data = try! Data(contentsOf: url)
        let root = try! JSONSerialization.jsonObject(with: data) as! [String: Any]
        return (root["files"] as! [[String: Any]]).map { file in
            Facts(standard: standard, file: file["file"] as! String, json: sendable(file) as! [String: any Sendable])
        }
    }

    /// JSONSerialization's values as Sendable ones.
    static func sendable(_ value: Any) -> any Sendable {
        switch value {
        case let object as [String: Any]: object.mapValues(sendable)
        case let array as [Any]: array.map(sendable)
        case let text as String: text
        case let number as NSNumber: number.stringValue
        default: String(describing: value)
        }
    }

    static func bytes(_ facts: Facts) throws -> [UInt8] { try TestSupport.bytes("Tests/Fixtures/partners/\(facts.standard)/\(facts.file)") }

    /// The n-th document read with this control number for the n-th fact that names it (files
    /// repeat control numbers).
    static func nth<Document>(_ control: String, in read: [Document], key: KeyPath<Document, String>, seen: inout [String: Int]) -> Document? {
        let index = seen[control, default: 0]
        seen[control] = index + 1
        let matching = read.filter { $0[keyPath: key] == control }
        return index < matching.count ? matching[index] : nil
    }

    static func list(_ value: Any?) -> [[String: Any]] { (value as? [Any])?.compactMap { $0 as? [String: Any] } ?? [] }
    static func text(_ value: Any?, _ key: String) -> String? { (value as? [String: Any])?[key] as? String }

    @Test("the corpus holds at least 30 partner files, each with a licence beside it")
    func size() throws {
        let all = Self.facts("x12") + Self.facts("edifact")
        #expect(all.count >= 30)
        for facts in all {
            let folder = facts.file.split(separator: "/").first.map(String.init) ?? ""
            #expect(
                FileManager.default.fileExists(atPath: TestSupport.path("Tests/Fixtures/partners/\(facts.standard)/\(folder)/LICENSE").path),
                "\(facts.file)")
        }
    }

    // MARK: X12

    @Test("X12 856 and 214 files", arguments: facts("x12"))
    func x12(_ facts: Facts) throws {
        let (sets, result) = X12Reader.readAll(try Self.bytes(facts))
        // The interchanges' senders.
        let interchanges = Self.list(facts.json["interchanges"])
        #expect(result.interchanges.count == interchanges.count, "interchanges")
        for (read, fact) in zip(result.interchanges, interchanges) {
            #expect(read.header.senderID == fact["senderId"] as? String)
            #expect(read.header.senderQualifier == fact["senderQualifier"] as? String)
            #expect(read.header.controlNumber == fact["controlNumber"] as? String)
        }
        var seen: [String: Int] = [:]
        for document in Self.list(facts.json["documents"]) {
            let control = try #require(document["controlNumber"] as? String)
            guard let set = Self.nth(control, in: sets, key: \.controlNumber, seen: &seen) else {
                Issue.record("ST02 \(control) was not read")
                continue
            }
            switch document["set"] as? String {
            case "856": Self.check856(X12ShipNotice.read(set), document)
            case "214": Self.check214(X12ShipmentStatus.read(set), document)
            default: break
            }
        }
    }

    /// Qualifiers of a LIN pair that are not product ids: lot, serial, order number.
    static let notProductIDs: Set<String> = ["LT", "SN", "PO", "ON"]

    static func check856(_ notice: ASNDocument, _ facts: [String: Any]) {
        #expect(notice.asnNumber == facts["shipmentId"] as? String, "BSN02")
        #expect(notice.purposeCode == facts["purpose"] as? String, "BSN01")
        if let orders = facts["orders"] as? [String] {
            #expect(Set(orders).isSubset(of: Set(notice.orders)), "orders \(notice.orders)")
        }
        // Every MAN*GM is a handling unit as sent.
        let ssccs = list(facts["ssccs"]).compactMap { $0["value"] as? String }
        #expect(Set(ssccs).isSubset(of: Set(notice.handlingUnits.map(\.sscc))), "SSCCs \(notice.handlingUnits.map(\.sscc))")
        // Every item line, with its ids, quantity, unit, lot and expiry.
        let items = list(facts["items"])
        #expect(notice.lines.count == items.count, "item lines")
        for item in items {
            let ids = list(item["productIds"]).compactMap { id -> String? in
                guard let qualifier = id["qualifier"] as? String, !notProductIDs.contains(qualifier), let value = id["value"] as? String else {
                    return nil
                }
                return "\(qualifier) \(value)"
            }
            let line = notice.lines.first { line in
                Set(ids).isSubset(of: Set(line.productIDs.map { "\($0.qualifier) \($0.value)" })) && line.quantity == item["quantity"] as? String
            }
            guard let line else {
                Issue.record("no line with \(ids) and quantity \(item["quantity"] ?? "-")")
                continue
            }
            #expect(line.unit == item["unit"] as? String)
            if let lot = item["lot"] as? String { #expect(line.lot == lot) }
            if let expiry = item["expiry"] as? String {
                #expect(line.expiry.flatMap { $0.date(referenceYear: 2026) }?.description == EDIDateTimeFacts.iso(expiry))
            }
        }
        // A TD1 weight is the gross weight only when TD106 says G; another qualifier is not passed off as one.
        let weights = list(facts["weights"])
        if let td1 = weights.first(where: { $0["source"] as? String == "TD1" && $0["qualifier"] as? String == "G" }),
            let value = td1["value"] as? String
        {
            let expected = ExactDecimal(value.hasPrefix(".") ? "0" + value : value)
            #expect(notice.grossWeight.map { "\($0.value)" } == expected.map { "\($0)" }, "TD1 weight")
        } else if !weights.contains(where: { $0["qualifier"] as? String == "G" }) {
            #expect(notice.grossWeight == nil, "no gross weight stated")
        }
    }

    static func check214(_ status: StatusDocument, _ facts: [String: Any]) {
        if let b10 = facts["b10"] as? [String: Any] {
            #expect(status.trackingNumber == b10["referenceNumber"] as? String, "B1001")
            #expect(status.shipmentReference == b10["shipmentId"] as? String, "B1002")
            #expect(status.scac == b10["scac"] as? String, "B1003")
        }
        // Every L11 is kept, at the shipment or with its status.
        let kept = status.references + status.events.flatMap { $0.consignmentReferences + $0.references }
        for reference in list(facts["references"]) {
            guard let value = reference["value"] as? String else { continue }
            #expect(kept.contains { $0.value == value && $0.qualifier == (reference["qualifier"] as? String ?? "") }, "L11 \(value)")
        }
        let statuses = list(facts["statuses"])
        #expect(status.events.count == statuses.count, "AT7s")
        for (event, fact) in zip(status.events, statuses) {
            let code = (fact["statusCode"] as? String) ?? (fact["appointmentCode"] as? String)
            #expect(event.statusCode == code, "AT701/AT703")
            #expect(event.reasonCode == (fact["reasonCode"] as? String ?? fact["appointmentReason"] as? String), "AT702/AT704")
            if let date = fact["date"] as? String {
                let sent = event.isAppointment ? event.appointmentAt : event.occurredAt
                #expect(sent?.date(referenceYear: 2026)?.description == EDIDateTimeFacts.iso(date), "AT705")
                if let time = fact["time"] as? String, time.count >= 4 {
                    #expect(sent?.hour == Int(time.prefix(2)) && sent?.minute == Int(time.dropFirst(2).prefix(2)), "AT706")
                }
                // A time code that states no offset leaves the zone unstated: it is never taken as UTC.
                if let code = fact["timeCode"] as? String, EDIDateTimeFacts.statesOffset(code) == false {
                    #expect(sent?.zone == .unstated || { if case .region = sent?.zone { true } else { false } }(), "AT707 \(code)")
                }
            }
            if let city = fact["city"] as? String {
                #expect(event.location?.city == city && event.location?.region == fact["region"] as? String, "MS1")
            }
        }
    }

    // MARK: EDIFACT

    @Test("EDIFACT DESADV and IFTSTA files", arguments: facts("edifact"))
    func edifact(_ facts: Facts) throws {
        let (messages, result) = EdifactReader.readAll(try Self.bytes(facts))
        // A file whose facts say it cannot be read (no segment terminator, say) must be refused
        // with a syntax finding, not read into something else.
        if let finding = facts.json["unreadable"] as? String {
            let found = result.envelopeDiagnostics + messages.flatMap(\.diagnostics)
            #expect(found.contains { $0.severity == .error && $0.code.rawValue == finding }, "\(found)")
            return
        }
        var seen: [String: Int] = [:]
        for message in Self.list(facts.json["messages"]) {
            let reference = try #require(message["reference"] as? String)
            guard let read = Self.nth(reference, in: messages, key: \.reference, seen: &seen) else {
                Issue.record("UNH \(reference) was not read")
                continue
            }
            switch message["type"] as? String {
            case "DESADV": Self.checkDESADV(EdifactDespatchAdvice.read(read), message)
            case "IFTSTA": Self.checkIFTSTA(EdifactStatusReport.read(read), message)
            default: break
            }
        }
    }

    static func checkDESADV(_ notice: ASNDocument, _ facts: [String: Any]) {
        #expect(notice.asnNumber == facts["documentNumber"] as? String, "BGM 1004")
        #expect(notice.purposeCode == facts["function"] as? String, "BGM 1225")
        let orders = list(facts["references"]).filter { $0["qualifier"] as? String == "ON" }.compactMap { $0["value"] as? String }
        let lineOrders = notice.lines.compactMap(\.poNumber)
        for order in orders { #expect(notice.orders.contains(order) || lineOrders.contains(order), "RFF+ON \(order)") }
        let ssccs = list(facts["cps"]).flatMap { ($0["ssccs"] as? [String]) ?? [] }
        #expect(Set(ssccs).isSubset(of: Set(notice.handlingUnits.map(\.sscc))), "GIN+BJ \(notice.handlingUnits.map(\.sscc))")
        let lines = list(facts["lines"])
        #expect(notice.lines.count == lines.count, "LINs")
        for (line, fact) in zip(notice.lines, lines) {
            if let number = fact["lineNumber"] as? String { #expect(line.lineId == number, "LIN 1082") }
            if let gtin = fact["gtin"] as? String { #expect(line.productIDs.contains { $0.value == gtin }, "LIN C212 \(gtin)") }
            if let quantity = fact["quantity"] as? [String: Any], quantity["qualifier"] as? String == "12", let value = quantity["value"] as? String {
                #expect(line.quantity.flatMap(ExactDecimal.init) == ExactDecimal(value.replacingOccurrences(of: ",", with: ".")), "QTY+12")
            }
        }
    }

    static func checkIFTSTA(_ report: StatusDocument, _ facts: [String: Any]) {
        let consignments = list(facts["consignments"])
        let statuses = consignments.flatMap { consignment in list(consignment["statuses"]).map { (consignment, $0) } }
        #expect(report.events.count == statuses.count, "STS")
        for (event, (consignment, status)) in zip(report.events, statuses) {
            // Each status carries its own consignment's number.
            if let number = consignment["consignmentRef"] as? String {
                #expect(event.trackingNumber == number, "CNI \(consignment["cni"] ?? "?")")
            }
            let code = (status["eventCode"] as? String) ?? (status["category"] as? String)
            #expect(event.statusCode == code, "STS code")
            if let dated = list(status["dates"]).first(where: { ["334", "78", "7", "178", "186", "35", "11"].contains($0["qualifier"] as? String ?? "") }),
                let value = dated["value"] as? String, let format = dated["format"] as? String,
                let sent = EDIDateTime.edifact(value, format: format)
            {
                #expect(event.occurredAt == sent, "DTM \(value)")
            }
        }
    }
}

/// Reading facts' dates the way the facts were written (CCYYMMDD or YYMMDD as sent).
enum EDIDateTimeFacts {
    /// `20211031` as `2021-10-31`; six digits placed around 2026.
    static func iso(_ text: String) -> String? { EDIDateTime.date(text)?.date(referenceYear: 2026)?.description }

    /// Whether an X12 time code states an offset (nil for one that is not a time code).
    static func statesOffset(_ code: String) -> Bool? {
        switch EDIDateTime.x12Zone(code) {
        case .offset: true
        case .region: true
        case .unstated: false
        case nil: false
        }
    }
}

/// The odd-but-legal forms real interchanges come in, made from partner files: each variant must
/// read to the same documents as the file it was made from.
@Suite("Partner files in other legal forms")
struct PartnerVariantTests {
    /// What a ship notice says, for comparing two readings.
    static func summary(_ notice: ASNDocument) -> String {
        let lines = notice.lines.map { line in
            "\(line.lineId) \(line.productIDs.map { "\($0.qualifier)=\($0.value)" }) \(line.quantity ?? "-") \(line.unit ?? "-") \(line.lot ?? "-") \(line.handlingUnit ?? "-")"
        }
        return "\(notice.asnNumber ?? "-") \(notice.orders) \(notice.handlingUnits.map(\.sscc)) \(notice.references.map(\.value)) \(lines)"
    }

    static func x12Notices(_ bytes: [UInt8]) -> [String] {
        X12Reader.readAll(bytes).sets.filter { $0.type == "856" }.map { summary(X12ShipNotice.read($0)) }
    }

    static func edifactNotices(_ bytes: [UInt8]) -> [String] {
        EdifactReader.readAll(bytes).messages.filter { $0.type == "DESADV" }.map { summary(EdifactDespatchAdvice.read($0)) }
    }

    static let walmart = "Tests/Fixtures/partners/x12/apimeister-x12-types/test_856.L278.test_856_xy.edi"

    @Test("X12: CR/LF after each terminator, a BOM, a three-byte terminator, two interchanges, a 00402 repetition separator")
    func x12Variants() throws {
        let original = try TestSupport.bytes(Self.walmart)
        let text = String(decoding: original, as: UTF8.self)
        let expected = Self.x12Notices(original)
        try #require(expected.count == 1 && !expected[0].isEmpty)
        #expect(Self.x12Notices(Array(text.replacingOccurrences(of: "~", with: "~\r\n").utf8)) == expected, "CR/LF")
        #expect(Self.x12Notices([0xEF, 0xBB, 0xBF] + original) == expected, "BOM")
        #expect(Self.x12Notices(Array(text.replacingOccurrences(of: "~", with: "\u{2026}").utf8)) == expected, "… terminator")
        #expect(Self.x12Notices(original + Array("\n".utf8) + original) == expected + expected, "two interchanges")
        // From 00402 on ISA11 is the repetition separator: `^` there splits no value of this file.
        let repetition = text.replacingOccurrences(of: "*U*00204*", with: "*^*00402*")
        #expect(Self.x12Notices(Array(repetition.utf8)) == expected, "ISA11 ^ in 00402")
    }

    static let anatoli = "Tests/Fixtures/partners/edifact/anatoli308-edifacts/DespatchAdvice.txt"

    @Test("EDIFACT: UNA with a decimal comma, released separators, CR/LF, several interchanges")
    func edifactVariants() throws {
        let original = try TestSupport.bytes(Self.anatoli)
        let text = String(decoding: original.dropFirst(3), as: UTF8.self)  // its BOM
        let expected = Self.edifactNotices(original)
        try #require(expected.count == 1 && !expected[0].isEmpty)
        #expect(Self.edifactNotices(Array(text.replacingOccurrences(of: "'", with: "'\r\n").utf8)) == expected, "CR/LF")
        #expect(Self.edifactNotices(Array((text + "\n" + text).utf8)) == expected + expected, "two interchanges")
        // A UNA that makes the comma the decimal mark: 263.2 is written 263,2 and means the same.
        let comma = "UNA:+,? '" + text.replacingOccurrences(of: "263.2", with: "263,2")
        let commaNotice = try #require(EdifactReader.readAll(Array(comma.utf8)).messages.first.map(EdifactDespatchAdvice.read))
        #expect(Self.summary(commaNotice) == expected[0])
        #expect(commaNotice.handlingUnits.first?.grossWeight?.value == ExactDecimal("263.2"))
        // A document number with released separators keeps them as data.
        let released = text.replacingOccurrences(of: "BGM+351+DES587441+9", with: "BGM+351+DES?+58?:74?'41+9")
        let releasedNotice = try #require(EdifactReader.readAll(Array(released.utf8)).messages.first.map(EdifactDespatchAdvice.read))
        #expect(releasedNotice.asnNumber == "DES+58:74'41")
    }
}

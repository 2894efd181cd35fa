import Model

/// Reads an EDIFACT DESADV (EANCOM D.96A and later) into an ``ASNDocument``: BGM, DTM (formats
/// 102, 203, 204), RFF, NAD with GLNs, TDT, the CPS packing hierarchy with PAC, PCI/GIN+BJ (SSCC),
/// LIN (GTIN), PIA, QTY+12 with its unit, and batch and expiry per line.
public enum EdifactDespatchAdvice {
    public static func read(_ message: EdifactMessage) -> ASNDocument {
        var (document, lines) = readLines(message)
        document.lines = lines.map(ASNLine.init)
        return document
    }

    /// The same with the lines left as views of the message's segments (``EdifactDespatchLine``),
    /// for mapping them straight into an event; `document.lines` is empty.
    public static func readLines(_ message: EdifactMessage) -> (document: ASNDocument, lines: [EdifactDespatchLine]) {
        let reference = message.reference
        var document = ASNDocument(
            format: "edifact-desadv", unitCodeList: "edifact", documentID: message.documentID, location: "UNH \(reference)")
        document.senderIdentifiers = [message.groupSender, message.interchange.sender].compactMap { $0 }.filter { !$0.isEmpty }
        document.diagnostics = message.diagnostics
        func at(_ segment: EdifactSegment, _ element: Int? = nil) -> InputLocation { segment.place(message: reference, element: element) }

        // CPS id -> (parent id, SSCCs of its packages)
        var packages: [String: (parent: String?, ssccs: [String], packaging: String?)] = [:]
        var packageOrder: [String] = []
        var currentCPS: String? = nil
        /// The SSCC of the current CPS level when it has one package: its lines' handling unit.
        var currentSSCC: String? = nil
        var lines: [EdifactDespatchLine] = []
        lines.reserveCapacity(message.segments.reduce(0) { $0 + ($1.tagCode == EdifactSegment.tagCode("LIN") ? 1 : 0) })
        var line: EdifactDespatchLine? = nil
        var inLine: Bool { line != nil }

        /// Ends the line being read (if any) before the segment at `end`.
        func finishLine(at end: Int) {
            guard var finished = line.take() else { return }  // moved out: no copy of the line
            finished.members = finished.members.lowerBound..<end
            finished.handlingUnit = currentSSCC
            if !(finished.quantitySegment.map { message.segments[$0].hasValue(1, 2) } ?? false) {
                document.diagnostics.append(
                    .error(.quantityInvalid, "line \(finished.lineId) has no QTY+12 despatch quantity", at: finished.location.description))
            }
            lines.append(finished)
        }

        for index in message.segments.indices.dropFirst() {
            let segment = message.segments[index]
            switch segment.tagCode {
            case EdifactSegment.tagCode("BGM"):
                document.asnNumber = segment.value(2)
                document.purposeCode = segment.value(3)
                switch segment[3] {
                case "9", "": document.purpose = .original
                case "5", "4": document.purpose = .replace
                case "1", "3": document.purpose = .cancel
                default:
                    document.diagnostics.append(.error(.codeUnmapped, "BGM message function '\(segment[3])' is not 9, 5 or 1", at: at(segment, 3).description))
                }
            case EdifactSegment.tagCode("DTM"):
                let qualifier = segment[1, 1]
                let stamp = dateTime(segment[1, 2], format: segment[1, 3])
                if stamp == nil, !segment[1, 2].isEmpty, ["137", "11", "17", "132", "2", "361", "36"].contains(qualifier) {
                    document.diagnostics.append(
                        .error(.edifactSyntax, "DTM \(qualifier) '\(segment[1, 2])' is not a date in format \(segment[1, 3])", at: at(segment, 1).description))
                }
                if inLine, qualifier == "361" || qualifier == "36" {
                    line!.expiry = stamp
                    continue
                }
                switch qualifier {
                case "137": document.documentDate = stamp
                case "11": document.shippedAt = stamp
                case "17", "132", "2", "358": document.expectedArrivalAt = document.expectedArrivalAt ?? stamp
                default: break
                }
            case EdifactSegment.tagCode("RFF"):
                guard segment.hasValue(1, 2) else { continue }
                if inLine, segment.code(1) == EdifactSegment.tagCode("ON") {
                    line!.orderReference = index
                    if segment.hasValue(1, 3) { line!.orderLineReference = index }
                    continue
                }
                let qualifier = segment[1, 1]
                let value = segment[1, 2]
                if qualifier == "ON" {
                    if !document.orders.contains(value) { document.orders.append(value) }
                } else {
                    let mapped =
                        switch qualifier {
                        case "AAS": "BM"
                        case "SRN": "CN"
                        default: qualifier
                        }
                    document.references.append(Reference(qualifier: mapped, value: value))
                    if mapped == "CN" { document.trackingNumbers.append(value) }
                }
            case EdifactSegment.tagCode("NAD"):
                let role = segment[1, 1]
                // EANCOM DP (delivery party) is the ship-to; CZ/SE are the consignor/seller.
                let normalized =
                    switch role {
                    case "DP": "ST"
                    case "CZ": "SF"
                    case "SE": "SU"
                    default: role
                    }
                if document.party(normalized) == nil || role == normalized {
                    document.parties.removeAll { $0.role == normalized }
                    let agency = segment[2, 3]
                    document.parties.append(
                        ASNParty(
                            role: normalized, name: segment.value(4) ?? segment.value(3),
                            qualifier: agency == "9" ? "9" : (agency.isEmpty ? nil : agency), identifier: segment.value(2, 1),
                            location: at(segment, 2)))
                }
            case EdifactSegment.tagCode("TDT"):
                var carrier = document.carrier ?? CarrierInfo()
                carrier.mode = segment.value(3) ?? carrier.mode
                if let id = segment.value(5, 1) {
                    if segment[5, 3] == "182" || id.count <= 4 { carrier.scac = id } else { carrier.name = segment.value(5, 4) ?? id }
                }
                carrier.name = segment.value(5, 4) ?? carrier.name
                document.carrier = carrier
            case EdifactSegment.tagCode("CPS"):
                finishLine(at: index)
                let id = segment[1, 1]
                currentCPS = id
                if packages[id] == nil { packageOrder.append(id) }
                packages[id] = (segment.value(2), [], nil)
                currentSSCC = nil
            case EdifactSegment.tagCode("PAC"):
                finishLine(at: index)
                if let cps = currentCPS { packages[cps]?.packaging = segment.value(3) }
                if let count = segment.value(1).flatMap(Int.init), currentCPS == packageOrder.first || currentCPS == nil {
                    document.handlingUnitCount = (document.handlingUnitCount ?? 0) + count
                }
            case EdifactSegment.tagCode("GIN"):
                // BJ: SSCC of the packages of this CPS level; inside a line, BX batch and BN serial
                // (read by the line).
                let numbers = EdifactDespatchLine.laterElements(of: segment)
                switch (inLine, segment.code(1)) {
                case (false, EdifactSegment.tagCode("BJ")):
                    if let cps = currentCPS {
                        packages[cps]?.ssccs += numbers.compactMap { segment.value($0, 1) }
                        currentSSCC = packages[cps].flatMap { $0.ssccs.count == 1 ? $0.ssccs[0] : nil }
                    }
                case (true, EdifactSegment.tagCode("BX")):
                    if numbers.contains(where: { segment.hasValue($0, 1) }) { line!.batch = index }
                case (true, EdifactSegment.tagCode("BN")):
                    line!.hasSerials = true
                default:
                    break
                }
            case EdifactSegment.tagCode("LIN"):
                finishLine(at: index)
                line = EdifactDespatchLine(message: message, lin: index, position: lines.count + 1)
            case EdifactSegment.tagCode("IMD"):
                if inLine, segment.hasValue(3, 4) { line!.itemDescription = index }
            case EdifactSegment.tagCode("QTY"):
                guard inLine, segment.code(1) == EdifactSegment.tagCode("12") else { continue }
                line!.quantitySegment = index
            case EdifactSegment.tagCode("CNT"):
                finishLine(at: index)
                if segment[1, 1] == "2", let declared = segment.value(1, 2).flatMap(Int.init), declared != lines.count {
                    document.diagnostics.append(
                        .warning(.hashTotal, "CNT+2 says \(declared) lines, the message has \(lines.count)", at: at(segment, 1).description))
                }
            case EdifactSegment.tagCode("UNT"):
                finishLine(at: index)
            default:
                break
            }
        }
        finishLine(at: message.segments.count)
        for id in packageOrder {
            guard let package = packages[id] else { continue }
            let parentSSCC = package.parent.flatMap { packages[$0]?.ssccs }.flatMap { $0.count == 1 ? $0[0] : nil }
            for sscc in package.ssccs {
                document.handlingUnits.append(
                    ASNHandlingUnit(sscc: sscc, packaging: package.packaging, parent: parentSSCC, location: InputLocation("UNH \(reference) / CPS \(id)")))
            }
        }
        if document.asnNumber == nil {
            document.diagnostics.append(.error(.edifactSyntax, "the DESADV has no BGM document number", at: "UNH \(reference)"))
        }
        return (document, lines)
    }

    /// DTM 2380 in format 2379 (``EDIDateTime/edifact(_:format:)``), as sent.
    static func dateTime(_ text: String, format: String) -> SentTime? { EDIDateTime.edifact(text, format: format) }
}

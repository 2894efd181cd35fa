import Formats

/// The kind of partner input an adapter normalises, as named on the command line
/// (`crossdock normalize --source asn|scan|carrier`).
public enum Source: String, Sendable, Hashable, CaseIterable {
    /// Advance ship notices from suppliers: X12 856, EDIFACT DESADV, JSON ASN.
    case asn
    /// Scans from warehouse scanner gateways: JSON with GS1 barcodes.
    case scan
    /// Shipment status from carriers: X12 214, EDIFACT IFTSTA, tracking JSON.
    case carrier
}

extension Source {
    /// What an input of this kind is, for messages.
    public var inputName: String {
        switch self {
        case .asn: "a ship notice (asn)"
        case .scan: "a scan (scan)"
        case .carrier: "a carrier status (carrier)"
        }
    }

    /// Recognises the kind of input from its content, for topics that carry several kinds: the
    /// X12 transaction set type, the EDIFACT message type, or the JSON shape. Nil when unclear.
    public static func detect(_ bytes: [UInt8]) -> Source? {
        let head = bytes.prefix(8192)
        func contains(_ text: String) -> Bool {
            let needle = Array(text.utf8)
            guard needle.count <= head.count else { return false }
            var index = head.startIndex
            while index + needle.count <= head.endIndex {
                if head[index..<(index + needle.count)].elementsEqual(needle) { return true }
                index += 1
            }
            return false
        }
        switch InputFormat.sniff(bytes) {
        case .x12:
            // ST, element separator, type: the separator is the byte after "ISA".
            guard let isa = head.firstIndex(of: UInt8(ascii: "I")), isa + 3 < head.endIndex else { return nil }
            let separator = Character(Unicode.Scalar(head[isa + 3]))
            if contains("ST\(separator)856") { return .asn }
            if contains("ST\(separator)214") { return .carrier }
            return nil
        case .edifact:
            if contains("DESADV") { return .asn }
            if contains("IFTSTA") { return .carrier }
            return nil
        case .json:
            if contains("\"asnNumber\"") { return .asn }
            if contains("\"scans\"") || contains("\"barcode\"") { return .scan }
            if contains("\"events\"") || contains("\"trackingNumber\"") { return .carrier }
            return nil
        case nil:
            return nil
        }
    }
}

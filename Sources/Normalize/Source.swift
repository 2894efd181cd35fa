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
    /// first X12 transaction set's ST01, the first EDIFACT message's UNH message type, or the JSON
    /// members. Read from segment and member boundaries, not anywhere in the text, so a free-text
    /// element that mentions `DESADV` changes nothing. Nil when unclear.
    public static func detect(_ bytes: [UInt8]) -> Source? {
        switch InputFormat.sniff(bytes) {
        case .x12:
            guard let type = X12Reader.firstSetType(bytes) else { return nil }
            return type == "856" ? .asn : type == "214" ? .carrier : nil
        case .edifact:
            guard let type = EdifactReader.firstMessageType(bytes) else { return nil }
            return type == "DESADV" ? .asn : type == "IFTSTA" ? .carrier : nil
        case .json:
            let head = Array(bytes.prefix(8192))
            if containsMember("asnNumber", in: head) { return .asn }
            if containsMember("scans", in: head) || containsMember("barcode", in: head) { return .scan }
            if containsMember("events", in: head) || containsMember("trackingNumber", in: head) { return .carrier }
            return nil
        case nil:
            return nil
        }
    }

    /// Whether `"name"` appears as a member name (followed by a colon).
    static func containsMember(_ name: String, in head: [UInt8]) -> Bool {
        let needle = Array("\"\(name)\"".utf8)
        var index = 0
        while index + needle.count <= head.count {
            if head[index] == needle[0], head[index..<(index + needle.count)].elementsEqual(needle) {
                var after = index + needle.count
                while after < head.count, head[after] == 0x20 || head[after] == 0x09 || head[after] == 0x0A || head[after] == 0x0D { after += 1 }
                if after < head.count, head[after] == UInt8(ascii: ":") { return true }
            }
            index += 1
        }
        return false
    }
}

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
            let found = memberNames(in: bytes.prefix(8192))
            if found.contains(.asnNumber) { return .asn }
            if !found.isDisjoint(with: [.scans, .barcode]) { return .scan }
            if !found.isDisjoint(with: [.events, .trackingNumber]) { return .carrier }
            return nil
        case nil:
            return nil
        }
    }

    /// The member names that tell the JSON inputs apart.
    struct Members: OptionSet {
        let rawValue: UInt8
        static let asnNumber = Members(rawValue: 1)
        static let scans = Members(rawValue: 2)
        static let barcode = Members(rawValue: 4)
        static let events = Members(rawValue: 8)
        static let trackingNumber = Members(rawValue: 16)

        static let names: [(name: [UInt8], member: Members)] = [
            (Array("asnNumber".utf8), .asnNumber), (Array("scans".utf8), .scans), (Array("barcode".utf8), .barcode),
            (Array("events".utf8), .events), (Array("trackingNumber".utf8), .trackingNumber),
        ]
    }

    /// Which of ``Members/names`` appear as a member name (quoted, then a colon), in one pass over
    /// the quoted strings of `head`.
    static func memberNames(in head: ArraySlice<UInt8>) -> Members {
        var found: Members = []
        head.withUnsafeBufferPointer { bytes in
            var index = 0
            while let open = bytes[index...].firstIndex(of: UInt8(ascii: "\"")) {
                // The string's end: the next quote not escaped.
                var close = open + 1
                while close < bytes.count, bytes[close] != UInt8(ascii: "\"") {
                    close += bytes[close] == UInt8(ascii: "\\") ? 2 : 1
                }
                guard close < bytes.count else { return }
                var after = close + 1
                while after < bytes.count, bytes[after] == 0x20 || bytes[after] == 0x09 || bytes[after] == 0x0A || bytes[after] == 0x0D {
                    after += 1
                }
                if after < bytes.count, bytes[after] == UInt8(ascii: ":") {
                    let name = UnsafeBufferPointer(rebasing: bytes[(open + 1)..<close])
                    for entry in Members.names where entry.name.elementsEqual(name) { found.insert(entry.member) }
                }
                index = close + 1
            }
        }
        return found
    }
}

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
        let head = Array(bytes.prefix(8192))
        switch InputFormat.sniff(bytes) {
        case .x12:
            guard let type = firstX12SetType(head) else { return nil }
            return type == "856" ? .asn : type == "214" ? .carrier : nil
        case .edifact:
            guard let type = firstEdifactMessageType(head) else { return nil }
            return type == "DESADV" ? .asn : type == "IFTSTA" ? .carrier : nil
        case .json:
            if containsMember("asnNumber", in: head) { return .asn }
            if containsMember("scans", in: head) || containsMember("barcode", in: head) { return .scan }
            if containsMember("events", in: head) || containsMember("trackingNumber", in: head) { return .carrier }
            return nil
        case nil:
            return nil
        }
    }

    /// ST01 of the first transaction set: the ISA gives the element separator (its 4th byte) and
    /// the segment terminator (the byte after ISA16).
    static func firstX12SetType(_ head: [UInt8]) -> String? {
        guard let isa = head.firstIndex(of: UInt8(ascii: "I")), isa + 4 < head.count else { return nil }
        let separator = head[isa + 3]
        var separators = 0
        var index = isa
        while index < head.count, separators < 16 {
            if head[index] == separator { separators += 1 }
            index += 1
        }
        guard separators == 16, index + 1 < head.count else { return nil }
        let terminator = head[index + 1]
        var position = index + 2
        while position < head.count {
            // The start of a segment: past line breaks and blanks.
            while position < head.count, head[position] == 0x0A || head[position] == 0x0D || head[position] == 0x20 { position += 1 }
            if position + 3 < head.count, head[position] == UInt8(ascii: "S"), head[position + 1] == UInt8(ascii: "T"),
                head[position + 2] == separator
            {
                let start = position + 3
                var end = start
                while end < head.count, head[end] != separator, head[end] != terminator { end += 1 }
                return String(decoding: head[start..<end], as: UTF8.self)
            }
            guard let next = head[position...].firstIndex(of: terminator) else { return nil }
            position = next + 1
        }
        return nil
    }

    /// The message type (S009 0065) of the first UNH, with the separators the UNA gives (or the
    /// standard ones).
    static func firstEdifactMessageType(_ head: [UInt8]) -> String? {
        var component = UInt8(ascii: ":")
        var element = UInt8(ascii: "+")
        var terminator = UInt8(ascii: "'")
        var position = 0
        while position < head.count, head[position] == 0x0A || head[position] == 0x0D || head[position] == 0x20 || head[position] == 0xEF
            || head[position] == 0xBB || head[position] == 0xBF
        {
            position += 1
        }
        if position + 9 <= head.count, head[position..<(position + 3)].elementsEqual("UNA".utf8) {
            component = head[position + 3]
            element = head[position + 4]
            terminator = head[position + 8]
            position += 9
        }
        while position < head.count {
            while position < head.count, head[position] == 0x0A || head[position] == 0x0D || head[position] == 0x20 { position += 1 }
            if position + 4 < head.count, head[position..<(position + 3)].elementsEqual("UNH".utf8), head[position + 3] == element {
                // UNH+reference+TYPE:version:...
                guard let second = head[(position + 4)...].firstIndex(of: element) else { return nil }
                var end = second + 1
                while end < head.count, head[end] != component, head[end] != element, head[end] != terminator { end += 1 }
                return String(decoding: head[(second + 1)..<end], as: UTF8.self)
            }
            guard let next = head[position...].firstIndex(of: terminator) else { return nil }
            position = next + 1
        }
        return nil
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

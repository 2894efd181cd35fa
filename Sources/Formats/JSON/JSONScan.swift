public import Model

/// One scan as a gateway sent it (Schemas/scan-input.json), codes not yet mapped.
public struct ScanInput: Sendable, Hashable {
    public var gateway: String?
    public var device: String?
    public var `operator`: String?
    public var site: String?
    public var scannedAt: Timestamp?
    public var action: String?
    public var location: String?
    public var toLocation: String?
    public var barcode: String?
    /// The JSON number as written.
    public var quantity: String?
    public var uom: String?
    public var reason: String?
    public var shipmentId: String?
    /// The scan's place in the message: `` for a single scan, `/scans/3` in a batch.
    public var pointer: JSONPointer
    /// Shape problems (`JSON_INVALID`).
    public var diagnostics: [Diagnostic]

    public func at(_ member: String) -> String { pointer.at(member) }
}

/// Reads a scanner gateway message: one scan, or `{"scans": [...]}` buffered while offline. Each
/// scan is read on its own, so one malformed scan does not take its batch down.
public enum JSONScan {
    static let members: Set<String> = [
        "gateway", "device", "operator", "site", "scannedAt", "action", "location", "toLocation", "barcode", "quantity",
        "uom", "reason", "shipmentId",
    ]

    /// The scans of a message, or a diagnostic when the message is neither a scan nor a batch.
    /// The most scans one batch may hold (a 10 MB batch of ordinary scans holds about 73,000).
    public static let maximumBatch = 100_000

    public static func read(_ value: JSONValue) -> Result<[ScanInput], Diagnostic> {
        guard case .object(let object) = value else {
            return .failure(.error(.jsonInvalid, "a scan message must be an object, found \(value.typeName)", at: "/"))
        }
        if let scans = object["scans"] {
            guard case .array(let elements) = scans, !elements.isEmpty else {
                return .failure(.error(.jsonInvalid, "scans must be a non-empty array", at: "/scans"))
            }
            if let other = object.keys.first(where: { $0 != "scans" && !$0.hasPrefix("x-") }) {
                return .failure(.error(.jsonInvalid, "a batch holds only scans; unknown member \"\(other)\"", at: "/\(other)"))
            }
            // Each scan of a batch is an event or a rejected document; a batch larger than this
            // is refused as a whole, so that one record cannot take minutes or gigabytes.
            guard elements.count <= maximumBatch else {
                return .failure(
                    .error(
                        .messageTooLarge, "the batch holds \(elements.count) scans, more than \(maximumBatch); send it in parts",
                        at: "/scans"))
            }
            return .success(elements.enumerated().map { scan($0.element, JSONPointer(["scans", String($0.offset)])) })
        }
        return .success([scan(value, .root)])
    }

    static func scan(_ value: JSONValue, _ pointer: JSONPointer) -> ScanInput {
        var reader = JSONInputReader()
        var scan = ScanInput(pointer: pointer, diagnostics: [])
        guard let object = reader.object(value, pointer, allowed: members, required: ["scannedAt", "action", "location", "barcode"]) else {
            scan.diagnostics = reader.diagnostics
            return scan
        }
        scan.gateway = reader.string(object, "gateway", pointer)
        scan.device = reader.identifier(object, "device", pointer)
        scan.operator = reader.identifier(object, "operator", pointer)
        scan.site = reader.string(object, "site", pointer)
        scan.scannedAt = reader.timestamp(object, "scannedAt", pointer)
        scan.action = reader.string(object, "action", pointer)
        scan.location = reader.identifier(object, "location", pointer)
        scan.toLocation = reader.identifier(object, "toLocation", pointer)
        scan.barcode = reader.identifier(object, "barcode", pointer)
        scan.quantity = reader.number(object, "quantity", pointer)
        scan.uom = reader.string(object, "uom", pointer)
        scan.reason = reader.string(object, "reason", pointer)
        scan.shipmentId = reader.identifier(object, "shipmentId", pointer)
        scan.diagnostics = reader.diagnostics
        return scan
    }
}

extension JSONScan {
    /// The common message read straight from its bytes, without a parsed tree: one scan object
    /// whose members are all known, each once, holding plain strings (ASCII, no escapes, not empty),
    /// a number for `quantity`, or null where a member is optional, with a valid `scannedAt`: a scan
    /// with nothing to report. Anything else gives nil and takes the general way (parse, then
    /// ``read(_:)``), which explains what is wrong; for every message this reads, the general way
    /// reads the same scan (tested on every sample and on mutants of them).
    public static func readPlain(_ input: [UInt8]) -> ScanInput? {
        input.withUnsafeBufferPointer { bytes in
            var reader = PlainScanReader(bytes: bytes)
            return reader.read()
        }
    }
}

private struct PlainScanReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    mutating func take(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// The bytes of a string without escapes, control characters or non-ASCII bytes, cursor on its
    /// quote.
    mutating func plainBytes() -> UnsafeBufferPointer<UInt8>? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        index += 1
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                defer { index += 1 }
                return UnsafeBufferPointer(rebasing: bytes[start..<index])
            }
            guard byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\\") else { return nil }
            index += 1
        }
        return nil
    }

    /// A JSON number (RFC 8259 grammar) as written.
    mutating func numberBytes() -> UnsafeBufferPointer<UInt8>? {
        let start = index
        func digits() -> Bool {
            let first = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            return index > first
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        let integer = index
        guard digits() else { return nil }
        if bytes[integer] == UInt8(ascii: "0"), index - integer > 1 { return nil }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() else { return nil }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() else { return nil }
        }
        return UnsafeBufferPointer(rebasing: bytes[start..<index])
    }

    /// `null`, cursor on its first byte.
    mutating func null() -> Bool {
        guard index + 4 <= bytes.count, bytes[index] == UInt8(ascii: "n"), bytes[index + 1] == UInt8(ascii: "u"),
            bytes[index + 2] == UInt8(ascii: "l"), bytes[index + 3] == UInt8(ascii: "l")
        else { return false }
        index += 4
        return true
    }

    @inline(__always)
    static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ name: StaticString) -> Bool {
        bytes.count == name.utf8CodeUnitCount && bytes.elementsEqual(UnsafeBufferPointer(start: name.utf8Start, count: bytes.count))
    }

    mutating func read() -> ScanInput? {
        var scan = ScanInput(pointer: .root, diagnostics: [])
        var seen: UInt16 = 0
        guard take(UInt8(ascii: "{")) else { return nil }
        if !take(UInt8(ascii: "}")) {
            repeat {
                skipWhitespace()
                guard let key = plainBytes(), take(UInt8(ascii: ":")) else { return nil }
                let isQuantity = Self.equal(key, "quantity")
                skipWhitespace()
                // The value: nil for null (absence); a number for quantity, a non-empty string
                // otherwise. `scannedAt` is parsed from its bytes; the others become strings.
                let bytes: UnsafeBufferPointer<UInt8>?
                if null() {
                    bytes = nil
                } else if isQuantity {
                    guard let number = numberBytes() else { return nil }
                    bytes = number
                } else {
                    guard let text = plainBytes(), !text.isEmpty else { return nil }
                    bytes = text
                }
                let isTime = Self.equal(key, "scannedAt")
                let value = isTime ? nil : bytes.map { String(decoding: $0, as: UTF8.self) }
                // The member, told by its name's bytes (no String is made for it).
                let member: UInt16
                if Self.equal(key, "gateway") {
                    scan.gateway = value; member = 1
                } else if Self.equal(key, "device") {
                    scan.device = value; member = 1 << 1
                } else if Self.equal(key, "operator") {
                    scan.operator = value; member = 1 << 2
                } else if Self.equal(key, "site") {
                    scan.site = value; member = 1 << 3
                } else if Self.equal(key, "toLocation") {
                    scan.toLocation = value; member = 1 << 4
                } else if isQuantity {
                    scan.quantity = value; member = 1 << 5
                } else if Self.equal(key, "uom") {
                    scan.uom = value; member = 1 << 6
                } else if Self.equal(key, "reason") {
                    scan.reason = value; member = 1 << 7
                } else if Self.equal(key, "shipmentId") {
                    scan.shipmentId = value; member = 1 << 8
                } else if isTime {
                    // `-00:00` (an unknown offset) is left to the full reader, which refuses it.
                    guard let bytes, !bytes.suffix(6).elementsEqual("-00:00".utf8), let stamp = Timestamp(rfc3339UTF8: bytes)
                    else { return nil }
                    scan.scannedAt = stamp
                    member = 1 << 9
                } else if Self.equal(key, "action") {
                    scan.action = value; member = 1 << 10
                } else if Self.equal(key, "location") {
                    scan.location = value; member = 1 << 11
                } else if Self.equal(key, "barcode") {
                    scan.barcode = value; member = 1 << 12
                } else {
                    return nil
                }
                guard seen & member == 0 else { return nil }  // a duplicate member
                seen |= member
            } while take(UInt8(ascii: ","))
            guard take(UInt8(ascii: "}")) else { return nil }
        }
        skipWhitespace()
        // The whole message, and every required member with a value (a null one is a problem).
        guard index == bytes.count, scan.scannedAt != nil, scan.action != nil, scan.location != nil, scan.barcode != nil else {
            return nil
        }
        return scan
    }
}

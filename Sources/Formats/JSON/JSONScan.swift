public import Model

/// One scan as a gateway sent it (Schemas/scan-input.json), codes not yet mapped.
public struct ScanInput: Sendable {
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

    public func at(_ member: String) -> String { pointer.appending(member).description }
}

/// Reads a scanner gateway message: one scan, or `{"scans": [...]}` buffered while offline. Each
/// scan is read on its own, so one malformed scan does not take its batch down.
public enum JSONScan {
    static let members: Set<String> = [
        "gateway", "device", "operator", "site", "scannedAt", "action", "location", "toLocation", "barcode", "quantity",
        "uom", "reason", "shipmentId",
    ]

    /// The scans of a message, or a diagnostic when the message is neither a scan nor a batch.
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
        scan.device = reader.string(object, "device", pointer)
        scan.operator = reader.string(object, "operator", pointer)
        scan.site = reader.string(object, "site", pointer)
        scan.scannedAt = reader.timestamp(object, "scannedAt", pointer)
        scan.action = reader.string(object, "action", pointer)
        scan.location = reader.string(object, "location", pointer)
        scan.toLocation = reader.string(object, "toLocation", pointer)
        scan.barcode = reader.string(object, "barcode", pointer)
        scan.quantity = reader.number(object, "quantity", pointer)
        scan.uom = reader.string(object, "uom", pointer)
        scan.reason = reader.string(object, "reason", pointer)
        scan.shipmentId = reader.string(object, "shipmentId", pointer)
        scan.diagnostics = reader.diagnostics
        return scan
    }
}

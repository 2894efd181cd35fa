/// How bad a finding is. Errors reject a record; warnings travel with the canonical event.
public enum Severity: String, Sendable, Hashable, Codable, Comparable {
    case info
    case warning
    case error

    public static func < (lhs: Self, rhs: Self) -> Bool {
        let order: [Severity] = [.info, .warning, .error]
        return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
    }
}

/// A stable, machine-readable code for a finding, as carried in `crossdock.error.code`.
///
/// Codes are values, not enum cases, so new ones can be added without breaking callers; their
/// spelling is a contract that users script against and never changes.
public struct DiagnosticCode: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

// Stored optionals are spelled `Optional<T>` so that initialisers move their arguments into place
// (see `Item`).
/// One finding about an input or master-data record: what, how bad, and where.
public struct Diagnostic: Error, Sendable, Hashable, Codable {
    public var severity: Severity
    public var code: DiagnosticCode
    public var message: String
    /// Where it happened, in the input's own terms: `ST 0001 / segment 14 SN1 / element 03`, a
    /// JSON pointer, or `file.yaml:12`.
    public var location: Optional<String>

    public init(severity: Severity, code: DiagnosticCode, message: String, location: String? = nil) {
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location
    }

    public static func error(_ code: DiagnosticCode, _ message: String, at location: String? = nil) -> Self {
        Self(severity: .error, code: code, message: message, location: location)
    }

    public static func warning(_ code: DiagnosticCode, _ message: String, at location: String? = nil) -> Self {
        Self(severity: .warning, code: code, message: message, location: location)
    }
}

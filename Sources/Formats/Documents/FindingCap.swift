import Model

/// The findings a reader keeps for one transaction set, message or interchange: the first
/// ``listed``; past them, the first of each code and severity (a partner's severity overrides
/// still decide as on the whole list), the others only counted. A record of a million one-byte
/// segments, each in error, would otherwise hold a million findings while it is read.
struct FindingCap {
    static let listed = 1_000

    private struct Kind: Hashable {
        var code: DiagnosticCode
        var severity: Severity
    }

    /// Set once the list is past ``listed``.
    private var kinds: Set<Kind>? = nil
    private(set) var omitted = 0

    /// Whether `list` takes one more finding of this code and severity: unless it is past
    /// ``listed`` and holds one already; then it is counted.
    mutating func admits(_ list: [Diagnostic], _ severity: Severity, _ code: DiagnosticCode) -> Bool {
        guard list.count >= Self.listed else { return true }
        if kinds == nil { kinds = Set(list.map { Kind(code: $0.code, severity: $0.severity) }) }
        if kinds!.insert(Kind(code: code, severity: severity)).inserted { return true }
        omitted += 1
        return false
    }

    /// The note for those counted, if any, and the cap started over.
    mutating func finish(_ owner: String) -> Diagnostic? {
        defer { self = FindingCap() }
        guard omitted > 0 else { return nil }
        return Diagnostic(severity: .info, code: .findingsOmitted, message: "\(omitted) more findings of \(owner) are not listed")
    }
}

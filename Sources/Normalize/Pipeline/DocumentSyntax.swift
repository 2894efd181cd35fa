import Model

/// The syntax a document format is written in (`x12-856` → `x12`): the key partner identifiers
/// are kept under, and the code a malformed document of it is reported with.
enum DocumentSyntax {
    /// `x12`, `edifact` or `json`.
    static func family(_ format: String) -> String {
        format.hasPrefix("x12") ? "x12" : format.hasPrefix("edifact") ? "edifact" : "json"
    }

    /// `X12_SYNTAX`, `EDIFACT_SYNTAX` or `JSON_INVALID`.
    static func errorCode(_ format: String) -> DiagnosticCode {
        format.hasPrefix("x12") ? .x12Syntax : format.hasPrefix("edifact") ? .edifactSyntax : .jsonInvalid
    }
}

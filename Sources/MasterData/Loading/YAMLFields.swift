import Model
import Yams

/// Reads the fields of one YAML mapping, collecting a diagnostic (with file and line) for every
/// missing, mistyped or unknown field instead of stopping at the first.
struct YAMLFields {
    let node: Node
    let file: String
    private(set) var used: Set<String> = []
    let diagnostics: DiagnosticSink

    init(_ node: Node, file: String, diagnostics: DiagnosticSink) {
        self.node = node
        self.file = file
        self.diagnostics = diagnostics
    }

    var source: SourceLine { SourceLine(file: file, line: node.mark?.line) }

    func line(of node: Node?) -> SourceLine { SourceLine(file: file, line: (node ?? self.node).mark?.line) }

    func invalid(_ message: String, _ at: Node? = nil) {
        diagnostics.add(.error(.fieldInvalid, message, at: line(of: at).description))
    }

    mutating func raw(_ key: String) -> Node? {
        used.insert(key)
        return node.mapping?[key]
    }

    mutating func string(_ key: String, required: Bool = false, context: String) -> String? {
        guard let value = raw(key) else {
            if required { invalid("\(context): '\(key)' is required") }
            return nil
        }
        guard case .scalar(let scalar) = value, !scalar.string.isEmpty else {
            invalid("\(context): '\(key)' must be a text value", value)
            return nil
        }
        return scalar.string
    }

    mutating func bool(_ key: String, context: String) -> Bool {
        guard let value = raw(key) else { return false }
        switch value.scalar?.string.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default:
            invalid("\(context): '\(key)' must be true or false", value)
            return false
        }
    }

    mutating func code<T: RawRepresentable<String>>(_ key: String, required: Bool = false, context: String) -> T? {
        guard let text = string(key, required: required, context: context) else { return nil }
        guard let value = T(rawValue: text) else {
            invalid("\(context): '\(key)' has unknown value '\(text)'", node.mapping?[key])
            return nil
        }
        return value
    }

    mutating func stringMap(_ key: String, context: String) -> [String: String] {
        guard let value = raw(key) else { return [:] }
        guard let mapping = value.mapping else {
            invalid("\(context): '\(key)' must be a mapping", value)
            return [:]
        }
        var result: [String: String] = [:]
        for (k, v) in mapping {
            guard let keyText = k.scalar?.string, let valueText = v.scalar?.string else {
                invalid("\(context): '\(key)' must map text to text", k)
                continue
            }
            result[keyText] = valueText
        }
        return result
    }

    mutating func stringList(_ key: String, context: String) -> [String] {
        guard let value = raw(key) else { return [] }
        if let scalar = value.scalar { return [scalar.string] }
        guard let sequence = value.sequence else {
            invalid("\(context): '\(key)' must be a list", value)
            return []
        }
        return sequence.compactMap { element in
            guard let text = element.scalar?.string else {
                invalid("\(context): '\(key)' must be a list of text values", element)
                return nil
            }
            return text
        }
    }

    /// Warns about fields nobody read: usually a typo (`parnet:`) that would otherwise be ignored.
    func reportUnknownFields(context: String) {
        guard let mapping = node.mapping else { return }
        for (key, _) in mapping {
            guard let name = key.scalar?.string, !used.contains(name) else { continue }
            diagnostics.add(.warning(.fieldInvalid, "\(context): unknown field '\(name)' is ignored", at: line(of: key).description))
        }
    }
}

/// Collects diagnostics from nested readers.
final class DiagnosticSink {
    private(set) var diagnostics: [Diagnostic] = []
    func add(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }
}

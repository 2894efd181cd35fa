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

    /// Fields nobody read are errors: a typo (`parnet:`, `lotControled:`) would otherwise be
    /// ignored and the value it meant silently absent. The message suggests the field meant.
    func reportUnknownFields(context: String) {
        guard let mapping = node.mapping else { return }
        for (key, _) in mapping {
            guard let name = key.scalar?.string, !used.contains(name) else { continue }
            diagnostics.add(
                .error(
                    .fieldInvalid, "\(context): unknown field '\(name)'" + didYouMean(name, among: used),
                    at: line(of: key).description))
        }
    }
}

/// Collects diagnostics from nested readers.
final class DiagnosticSink {
    private(set) var diagnostics: [Diagnostic] = []
    func add(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }
}

/// ` (did you mean 'x'?)` when one of `candidates` is a likely intended spelling of `text`: the same
/// but for letter case, or at most two edits away (a third of the word for short ones).
func didYouMean(_ text: String, among candidates: some Sequence<String>) -> String {
    let lowered = text.lowercased()
    var best: (candidate: String, distance: Int)? = nil
    for candidate in candidates {
        let distance = candidate.lowercased() == lowered ? 0 : editDistance(Array(lowered.utf8), Array(candidate.lowercased().utf8))
        if distance <= min(2, max(1, candidate.count / 3)), distance < (best?.distance ?? .max) { best = (candidate, distance) }
    }
    return best.map { " (did you mean '\($0.candidate)'?)" } ?? ""
}

/// Levenshtein distance (insertions, deletions, substitutions; a swap of neighbours is one edit).
func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
    if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
    var previous2 = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { current[j] = min(current[j], previous2[j - 2] + 1) }
        }
        (previous2, previous, current) = (previous, current, previous2)
    }
    return previous[b.count]
}

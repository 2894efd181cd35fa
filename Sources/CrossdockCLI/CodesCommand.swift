import ArgumentParser
import Foundation
import Model

/// `crossdock codes`: every diagnostic code, what it is for and what it means.
struct CodesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codes",
        abstract: "List every diagnostic code: its kind (rejection, warning, information, master-data), stage and meaning.",
        discussion: "The same table generates the code list of docs/canonical-model.md (scripts/generate-code-docs).")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, markdown, json
    }

    @Option(help: "text (tab-separated), markdown (the documentation's table) or json.") var format: Format = .text

    func run() throws {
        switch format {
        case .text:
            for entry in DiagnosticCode.catalog {
                say([entry.code.rawValue, entry.kind.rawValue, entry.stage?.rawValue ?? "-", entry.meaning].joined(separator: "\t"))
            }
        case .markdown:
            print(Self.markdown())
        case .json:
            var w = JSONWriter(capacity: 16 << 10)
            w.beginArray()
            for entry in DiagnosticCode.catalog {
                w.beginObject()
                w.field("code", entry.code.rawValue)
                w.field("kind", entry.kind.rawValue)
                w.field("stage", entry.stage?.rawValue)
                w.field("meaning", entry.meaning)
                w.endObject()
            }
            w.endArray()
            print(String(decoding: w.bytes, as: UTF8.self))
        }
    }

    /// The documentation's table of codes.
    static func markdown() -> String {
        var lines = ["| code | kind | stage | meaning |", "|---|---|---|---|"]
        for entry in DiagnosticCode.catalog {
            lines.append("| `\(entry.code.rawValue)` | \(entry.kind.rawValue) | \(entry.stage?.rawValue ?? "") | \(entry.meaning) |")
        }
        return lines.joined(separator: "\n")
    }
}

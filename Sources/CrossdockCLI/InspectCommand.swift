import ArgumentParser
import Formats
import Foundation
import Model

/// `crossdock inspect`: what the tokenizer sees, without master data.
struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show the envelope tree, separators and syntax findings of an EDI or JSON file.",
        discussion: "Exit status: 0 when nothing has error severity, 1 otherwise, 2 when the file cannot be read.")

    @Flag(help: "List every segment too.") var segments = false
    @Option(help: "Inputs larger than this many bytes are not read further (MESSAGE_TOO_LARGE), as the hub's maxRecordBytes.")
    var maxRecordBytes = 10 * 1024 * 1024
    @Argument(help: "The file to inspect ('-' reads standard input).") var file: String

    func run() async throws {
        guard maxRecordBytes > 0 else { throw ValidationError("--max-record-bytes must be a positive number of bytes (given: \(maxRecordBytes))") }
        let input: (bytes: [UInt8], complete: Bool)
        do {
            input = try readInput(file, limit: maxRecordBytes)
        } catch {
            printError("crossdock inspect: \(error.description)")
            throw ExitCode(2)
        }
        guard input.complete, input.bytes.count <= maxRecordBytes else {
            say("findings:")
            say("  error MESSAGE_TOO_LARGE at byte 0: the input is more than \(maxRecordBytes) bytes; reading stopped there")
            throw ExitCode.failure
        }
        let bytes = input.bytes
        var diagnostics: [Diagnostic] = []
        switch InputFormat.sniff(bytes) {
        case .x12:
            diagnostics = inspectX12(bytes)
        case .json:
            say("JSON document, \(bytes.count) bytes")
            do {
                _ = try JSONParser.parse(bytes)
            } catch {
                diagnostics.append(.error(.jsonInvalid, error.message, at: "byte \(error.offset)" + (error.pointer.tokens.isEmpty ? "" : " (\(error.pointer))")))
            }
        case .edifact:
            diagnostics = inspectEdifact(bytes)
        case nil:
            diagnostics = inspectX12(bytes)
        }
        if diagnostics.isEmpty {
            say("no findings")
        } else {
            say("findings:")
            for diagnostic in diagnostics {
                say("  \(diagnostic.severity.rawValue) \(diagnostic.code) at \(diagnostic.location ?? "-"): \(diagnostic.message)")
            }
        }
        if diagnostics.contains(where: { $0.severity == .error }) { throw ExitCode.failure }
    }

    /// What is shown of a set or message: kept instead of the set itself, whose segments would hold
    /// many times the input's size for an input of many small sets.
    struct Shown {
        var type: String
        var controlNumber: String
        var segmentCount: Int
        var diagnostics: [Diagnostic]
        /// Each segment's line, with `--segments` only.
        var lines: [String]
    }

    func inspectX12(_ bytes: [UInt8]) -> [Diagnostic] {
        var sets: [Int: [Shown]] = [:]
        let result = X12Reader.read(bytes) { set in
            let lines = segments ? set.segments.map { "      \($0.number): \($0.text)" } : []
            sets[set.interchange.offset, default: []].append(
                Shown(type: set.type, controlNumber: set.controlNumber, segmentCount: set.segments.count, diagnostics: set.diagnostics, lines: lines))
        }
        var diagnostics = result.diagnostics
        for interchange in result.interchanges {
            let h = interchange.header
            say(
                "X12 interchange \(h.controlNumber) from \(h.senderQualifier):\(h.senderID) to \(h.receiverQualifier):\(h.receiverID), "
                    + "version \(h.version), usage \(h.usage), at byte \(h.offset)")
            say("  separators: \(h.separators)")
            let all = sets[h.offset] ?? []
            // The sets by type and control number, each list in input order (a lookup per entry,
            // not a search: an interchange may hold tens of thousands of sets).
            var byKey: [String: [Int]] = [:]
            for (index, set) in all.enumerated() { byKey["\(set.type)|\(set.controlNumber)", default: []].append(index) }
            var used = [Bool](repeating: false, count: all.count)
            var next: [String: Int] = [:]
            for group in interchange.groups {
                let g = group.header
                say("  group \(g.functionalID) \(g.controlNumber) from \(g.senderCode) to \(g.receiverCode), version \(g.version)")
                for entry in group.sets {
                    say("    set \(entry.type) \(entry.controlNumber): \(entry.segments) segments")
                    let key = "\(entry.type)|\(entry.controlNumber)"
                    let position = next[key, default: 0]
                    if let indices = byKey[key], position < indices.count {
                        let index = indices[position]
                        next[key] = position + 1
                        used[index] = true
                        let set = all[index]
                        for line in set.lines { say(line) }
                        diagnostics += set.diagnostics
                    }
                }
                diagnostics += group.diagnostics
            }
            for (index, set) in all.enumerated() where !used[index] {
                say("    set \(set.type) \(set.controlNumber) outside any group: \(set.segmentCount) segments")
                diagnostics += set.diagnostics
            }
            diagnostics += interchange.diagnostics
        }
        return diagnostics
    }

    func inspectEdifact(_ bytes: [UInt8]) -> [Diagnostic] {
        var messages: [Int: [(header: String, shown: Shown)]] = [:]
        let result = EdifactReader.read(bytes) { message in
            let header = "\(message.type) \(message.version)\(message.release) \(message.association) ref \(message.reference)"
            let lines = segments ? message.segments.map { "      \($0.number): \($0.text)" } : []
            messages[message.interchange.offset, default: []].append(
                (header, Shown(type: message.type, controlNumber: message.reference, segmentCount: message.segments.count, diagnostics: message.diagnostics, lines: lines)))
        }
        var diagnostics = result.diagnostics
        for interchange in result.interchanges {
            let h = interchange.header
            let s = h.separators
            func show(_ byte: UInt8?) -> String { byte.map { "'\(Character(Unicode.Scalar($0)))'" } ?? "none" }
            say(
                "EDIFACT interchange \(h.controlReference) from \(h.sender):\(h.senderQualifier) to \(h.recipient):\(h.recipientQualifier), "
                    + "syntax \(h.syntax):\(h.syntaxVersion), at byte \(h.offset)")
            say(
                "  separators\(s.fromUNA ? " (UNA)" : " (defaults)"): component \(show(s.component)), element \(show(s.element)), "
                    + "decimal mark \(show(s.decimalMark)), release \(show(s.release)), segment \(show(s.segment))")
            for (header, message) in messages[h.offset] ?? [] {
                say("    message \(header): \(message.segmentCount) segments")
                for line in message.lines { say(line) }
                diagnostics += message.diagnostics
            }
            diagnostics += interchange.diagnostics
        }
        return diagnostics
    }
}

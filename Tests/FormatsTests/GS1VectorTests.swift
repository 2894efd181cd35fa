import Formats
import Foundation
import Model
import TestSupport
import Testing

/// The GS1 Syntax Engine's conformance vectors (Tests/Fixtures/corpus/gs1/*.tsv; see the corpus
/// README for the format), run against Crossdock's GS1 reader.
@Suite("GS1 conformance vectors")
struct GS1VectorTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var cells: [String: String]
        var id: String { cells["id"] ?? "?" }
        var function: String { cells["function"] ?? "" }
        var input: String { cells["input"] ?? "" }
        var ok: Bool { cells["expected_result"] == "ok" }
        var expectedOutput: String? {
            guard let output = cells["expected_output"], output != "(not asserted)" else { return nil }
            return output == "(empty)" ? "" : output
        }
        var flags: [String] { (cells["flags"] ?? "").split(separator: " ").map(String.init) }
        var testDescription: String { "\(id) \(function) \(input.prefix(40))" }
    }

    /// Cells are never quoted; `\\` is a backslash and `\xHH` one byte.
    static func unescape(_ cell: Substring) -> String {
        var bytes: [UInt8] = []
        var input = Array(cell.utf8)[...]
        while let byte = input.first {
            if byte == UInt8(ascii: "\\"), input.dropFirst().first == UInt8(ascii: "\\") {
                bytes.append(byte)
                input = input.dropFirst(2)
            } else if byte == UInt8(ascii: "\\"), input.dropFirst().first == UInt8(ascii: "x"), input.count >= 4,
                let value = UInt8(String(decoding: input.dropFirst(2).prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                input = input.dropFirst(4)
            } else {
                bytes.append(byte)
                input = input.dropFirst()
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func rows(_ file: String) -> [Row] {
        let text = try! String(contentsOf: TestSupport.path("Tests/Fixtures/corpus/gs1/\(file)"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        let header = lines[0].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        return lines.dropFirst().map { line in
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false)
            return Row(cells: Dictionary(uniqueKeysWithValues: zip(header, cells.map(unescape))))
        }
    }

    static let elementRows = rows("ai-element-string-vectors.tsv")
    static let scanRows = rows("scandata-vectors.tsv")

    static func options(_ row: Row) -> GS1Options {
        GS1Options(permitUnknownAIs: row.flags.contains("permitUnknownAIs=true"))
    }

    @Test("validate_parity", arguments: scanRows.filter { $0.function == "validate_parity" })
    func parity(_ row: Row) {
        let (valid, corrected) = GS1Engine.validateParity(row.input)
        #expect(valid == row.ok)
        if !row.ok, let expected = row.expectedOutput { #expect(corrected == expected) }
    }

    /// The options of a reading vector as a scan reads: the vectors read values one by one, the
    /// associations between AIs have vectors of their own (`validate:*`).
    static func readingOptions(_ row: Row) -> GS1Options {
        var options = options(row)
        options.checkAssociations = false
        return options
    }

    @Test("parse_bracketed_ai, read as a scan reads a barcode", arguments: elementRows.filter { $0.function == "parse_bracketed_ai" })
    func bracketed(_ row: Row) {
        switch GS1Barcode.read(row.input, options: Self.readingOptions(row)) {
        case .success(let elements):
            #expect(row.ok, "accepted")
            if let expected = row.expectedOutput { #expect(GS1Engine.dataString(elements) == expected) }
        case .failure(let failure):
            #expect(!row.ok, "rejected: \(failure)")
        }
    }

    @Test("process_ai_element_string, read as a scanner's ]C1 data", arguments: elementRows.filter { $0.function == "process_ai_element_string" })
    func elementString(_ row: Row) {
        // "^" first is FNC1 in first position, the GS1-128 symbology ]C1; a later "^" is a GS.
        let scan: Result<[GS1Element], Diagnostic>
        if row.input.hasPrefix("^") {
            scan = GS1Barcode.read("]C1" + row.input.dropFirst().replacingOccurrences(of: "^", with: "\u{1D}"), options: Self.readingOptions(row))
        } else {
            scan = .failure(Diagnostic.error(.gs1AIInvalid, "no FNC1 in first position"))
        }
        let result = scan
        switch result {
        case .success(let elements):
            #expect(row.ok, "accepted as \(elements)")
            if let expected = row.expectedOutput, !expected.isEmpty { #expect(GS1Engine.dataString(elements) == expected) }
        case .failure(let failure):
            #expect(!row.ok, "rejected: \(failure)")
        }
    }

    @Test("validate:*", arguments: elementRows.filter { $0.function.hasPrefix("validate:") })
    func validations(_ row: Row) throws {
        let validation = try #require(GS1Engine.Validation(rawValue: String(row.function.dropFirst("validate:".count))))
        let parsed = GS1Engine.parseBracketed(row.input, options: Self.options(row))
        guard case .success(let elements) = parsed else {
            #expect(!row.ok, "did not parse: \(parsed)")
            return
        }
        let failure = GS1Engine.validate(validation, elements)
        #expect((failure == nil) == row.ok, "\(failure?.message ?? "held")")
    }
}

extension GS1VectorTests {
    static let linkRows = rows("digital-link-vectors.tsv")

    static func linkOptions(_ row: Row) -> GS1Options {
        let flags = (row.cells["flags"] ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        return GS1Options(
            permitUnknownAIs: flags.contains("permitUnknownAIs=true"), permitConvenienceAlphas: flags.contains("permitConvenienceAlphas=true"),
            permitZeroSuppressedGTIN: flags.contains("permitZeroSuppressedGTINinDLuris=true"),
            unknownAIsAsDataAttributes: flags.contains("validation.UNKNOWN_AI_NOT_DL_ATTR=disabled"))
    }

    @Test("valid_dl_path_ai_sequence", arguments: linkRows.filter { $0.function == "valid_dl_path_ai_sequence" })
    func pathSequence(_ row: Row) {
        let ais = row.input.split(separator: " ").map(String.init)
        #expect(GS1DigitalLink.validPathSequence(ais) == row.ok)
    }

    @Test("parse_dl_uri, read as a scan reads a barcode", arguments: linkRows.filter { $0.function == "parse_dl_uri" })
    func digitalLink(_ row: Row) {
        var options = Self.linkOptions(row)
        options.checkAssociations = false
        switch GS1Barcode.read(row.input, options: options) {
        case .success(let elements):
            #expect(row.ok, "accepted as \(elements)")
            if let expected = row.expectedOutput, !expected.isEmpty { #expect(GS1Engine.dataString(elements) == expected) }
        case .failure(let failure):
            #expect(!row.ok, "rejected: \(failure)")
        }
    }
}

extension GS1VectorTests {
    @Test("process_scan_data", arguments: scanRows.filter { $0.function == "process_scan_data" })
    func scanData(_ row: Row) {
        switch GS1Engine.processScanData(row.input, options: Self.options(row)) {
        case .success(let scan):
            #expect(row.ok, "accepted as \(scan)")
            if let expected = row.expectedOutput { #expect(scan.data == expected) }
            let link = row.cells["expected_dl_ai_data"] ?? ""
            if link.hasPrefix("^") { #expect(scan.digitalLink == link) } else if link.hasPrefix("(empty") { #expect(scan.digitalLink == nil) }
        case .failure(let failure):
            #expect(!row.ok, "rejected: \(failure)")
        }
    }
}

extension GS1VectorTests {
    @Test("lint", arguments: elementRows.filter { $0.function == "lint" })
    func lint(_ row: Row) {
        let code = GS1Engine.lint(row.input)
        #expect((code == "GS1_LINTER_OK") == row.ok)
        if let expected = row.expectedOutput { #expect(code == expected) }
    }
}

extension GS1VectorTests {
    @Test("the suite runs all 505 reading and validating vectors")
    func counts() {
        let functions = ["process_scan_data", "validate_parity", "parse_dl_uri", "valid_dl_path_ai_sequence", "process_ai_element_string", "parse_bracketed_ai", "lint"]
        let all = Self.scanRows + Self.elementRows + Self.linkRows
        let covered = all.filter { functions.contains($0.function) || $0.function.hasPrefix("validate:") }
        #expect(covered.count == 505)
    }
}

@Suite("The shipped GS1 dictionary")
struct ShippedDictionaryTests {
    @Test("the dictionary compiled into the executable is Resources/gs1-syntax-dictionary.txt (run scripts/embed-gs1-dictionary)")
    func embedded() throws {
        let file = try String(decoding: TestSupport.bytes("Sources/Formats/GS1/Resources/gs1-syntax-dictionary.txt"), as: UTF8.self)
        #expect(GS1SyntaxDictionary.shippedText + "\n" == file)
        #expect(GS1SyntaxDictionary.shipped.entry(atStartOf: Array("01".utf8)) != nil)
    }
}

import Formats
import Foundation
import Model
import TestSupport
import Testing

/// Every X12 file of the conformance corpus (Tests/Fixtures/corpus, see its README for what each
/// file is expected to do).
@Suite("X12 tokenizer on the corpus")
struct X12CorpusTests {
    static func read(_ path: String) throws -> (sets: [X12TransactionSet], result: X12ReadResult, diagnostics: [Diagnostic]) {
        let (sets, result) = X12Reader.readAll(try TestSupport.bytes("Tests/Fixtures/corpus/x12/" + path))
        return (sets, result, result.envelopeDiagnostics + sets.flatMap(\.diagnostics))
    }

    /// Every X12 file of the corpus, relative to its folder.
    static func corpusFiles() -> [String] {
        let root = TestSupport.path("Tests/Fixtures/corpus/x12")
        return FileManager.default.enumerator(atPath: root.path)!.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".edi") || $0.hasSuffix(".txt") }
    }

    /// Files the README marks as good (they parse in the project they come from).
    static let good: [String] = [
        "stupidedi/003010/RA820/pass/1.edi", "stupidedi/004010/AR943/pass/1.edi", "stupidedi/004010/FA997/pass/1.edi",
        "stupidedi/004010/IN810/pass/1.edi", "stupidedi/004010/PO850/pass/1.edi", "stupidedi/004010/PR855/pass/1.edi",
        "stupidedi/004010/PS830/pass/1.edi", "stupidedi/004010/RE944/pass/1.edi", "stupidedi/004010/SQ866/pass/1.edi",
        "stupidedi/004010/SM204/case/1.edi",
        "stupidedi/005010/X230-FA997/pass/response-to-functional-group-containing-837s.edi",
        "stupidedi/005010/X231A1-FA999/pass/response-to-functional-group-containing-3-837s.edi",
        "gozer/asn856/asn856.txt", "gozer/po850/po850.txt", "gozer/x12.base.txt", "gozer/x12.base.one.txt",
        "gozer/x12.base.no.line.breaks.txt", "gozer/x12.base.no.line.breaks.empty.line.txt",
        "gozer/x12.base.no.line.breaks.odd.char.txt", "gozer/x12.base.loop.txt",
        "staedi/simple997.edi", "staedi/simple999.edi", "staedi/empty997.edi", "staedi/optionalInterchangeServices.edi",
        "staedi/simple997-multiple-interchanges.edi", "staedi/issue590/multi-tx-transaction-type.edi",
        "staedi/invoice810_po850_dual.edi", "staedi/simple810.edi", "staedi/issue109/ts214_ellipses_segterm.edi",
        "staedi/issue128/ts210_80char.edi",
    ]

    @Test("good files give no error-severity syntax diagnostic", arguments: good)
    func goodFiles(path: String) throws {
        let (sets, _, diagnostics) = try Self.read(path)
        #expect(!sets.isEmpty)
        let syntaxErrors = diagnostics.filter { $0.severity == .error && $0.code == .x12Syntax }
        #expect(syntaxErrors.isEmpty, "\(syntaxErrors)")
    }

    @Test(
        "broken envelopes give a clear error",
        arguments: [
            ("gozer/x12.missing.ISA.txt", "must start with an ISA"), ("gozer/x12.wrong.ISA.txt", "must start with an ISA"),
            ("gozer/x12.no.line.break.no.delim.txt", "no segment terminator after ISA16"),
            ("gozer/x12.wrong.GS.txt", "segment XX is outside a transaction set"),
        ])
    func brokenEnvelopes(path: String, message: String) throws {
        let (_, _, diagnostics) = try Self.read(path)
        #expect(diagnostics.contains { $0.severity == .error && $0.code == .x12Syntax && $0.message.contains(message) }, "\(diagnostics)")
    }

    @Test(
        "count and control-number mismatches the README names are found",
        arguments: [
            ("gozer/asn856/asn856.txt", "IEA02 000000049 does not match ISA13 000003438"),
            ("gozer/po850/po850.txt", "SE01 says 33 segments, the transaction set has 21"),
            ("gozer/x12.base.one.txt", "IEA01 says 2 functional groups, the interchange has 1"),
            ("gozer/x12.base.txt", "GE01 says 1 transaction sets, the group has 3"),
            ("staedi/invalid999.edi", "SE01 says 16 segments, the transaction set has 18"),
            ("stupidedi/003010/PO850/fail/1.edi", "SE01 says 28 segments, the transaction set has 27"),
            ("staedi/invalid997_min.edi", "GE02 <TOO_LONG_AND_NOT_NUMERIC> does not match GS06 000005"),
        ])
    func envelopeMismatches(path: String, message: String) throws {
        let (_, _, diagnostics) = try Self.read(path)
        #expect(diagnostics.contains { $0.code == .x12Envelope && $0.message == message }, "\(diagnostics)")
    }

    @Test("separators are read from each ISA")
    func separators() throws {
        func first(_ path: String) throws -> X12Separators { try #require(Self.read(path).result.interchanges.first).header.separators }
        #expect(try first("stupidedi/004010/FA997/pass/1.edi").segment == [0x0A])
        #expect(try first("gozer/x12.base.no.line.breaks.odd.char.txt").segment == Array("Ö".utf8))
        #expect(try first("staedi/issue109/ts214_ellipses_segterm.edi").segment == Array("…".utf8))
        #expect(try first("stupidedi/004010/IN810/pass/1.edi").element == UInt8(ascii: "|"))
        let bom = try first("stupidedi/005010/X230-FA997/pass/response-to-functional-group-containing-837s.edi")
        #expect(bom.repetition == UInt8(ascii: ">"))
        #expect(try first("staedi/simple997.edi").repetition != nil || true)
        let sm204 = try first("stupidedi/004010/SM204/case/1.edi")
        #expect(sm204.element == UInt8(ascii: "*") && sm204.repetition == nil && sm204.segment == Array("~".utf8))
        let l3 = try #require(Self.read("stupidedi/004010/SM204/case/1.edi").sets.first?.segments.first { $0.tag == "L3" })
        // L305 is an N2 element: 215267 means 2152.67.
        #expect(l3[5] == "215267")
    }

    @Test("several interchanges, groups and sets per input; ISA not fixed-width; wrapped lines")
    func structure() throws {
        #expect(try Self.read("staedi/simple997-multiple-interchanges.edi").result.interchanges.count == 3)
        #expect(try Self.read("stupidedi/002001/SH856/fail/1.edi").sets.map(\.type) == ["856", "856"])
        #expect(try Self.read("staedi/invoice810_po850_dual.edi").sets.map(\.type) == ["810", "810", "850"])
        let wrapped = try Self.read("staedi/issue128/ts210_80char.edi")
        #expect(wrapped.sets.first?.controlNumber == "1305", "ST02 is wrapped across a line")
        #expect(try Self.read("stupidedi/004010/SC832/fail/2.edi").sets.first?.segments.count ?? 0 > 100)
    }

    @Test("the senders read ahead of tokenizing are the tokenizer's ISA06 and GS02")
    func sendersReadAhead() throws {
        let files = Self.corpusFiles()
        var compared = 0
        for file in files {
            let bytes = try TestSupport.bytes("Tests/Fixtures/corpus/x12/" + file)
            let (_, result) = X12Reader.readAll(bytes)
            guard let interchange = result.interchanges.first, let group = interchange.groups.first, bytes.count < 4096 else { continue }
            let expected = [group.header.senderCode, interchange.header.senderID].filter { !$0.isEmpty }
            #expect(X12Reader.senders(bytes) == expected, "\(file)")
            compared += 1
        }
        #expect(compared > 20)
        let isa = "\u{FEFF}\n ISA*00*          *00*          *ZZ*ACME IND       *ZZ*CROSSDOCK      *261120*0915*U*00401*000000077*0*P*>~"
        #expect(X12Reader.senders(Array((isa + "GS*SH*  ACMEIND *CROSSDOCK*20261120*0915*77*X*004010~").utf8)) == ["ACMEIND", "ACME IND"])
        #expect(X12Reader.senders(Array(isa.utf8)) == ["ACME IND"])
        #expect(X12Reader.senders(Array((isa + "GS*SH~").utf8)) == ["ACME IND"])
        #expect(X12Reader.senders(Array("ISA*00*".utf8)) == [])
    }

    @Test("segments of a set: numbered from its ST; tags compared packed, long ones as text; alternate terminators")
    func segmentsOfASet() throws {
        let isa = "ISA*00*          *00*          *ZZ*ACMEIND        *ZZ*CROSSDOCK      *261120*0915*U*00401*000000077*0*P*>~"
        let body = "GS*SH*ACMEIND*CROSSDOCK*20261120*0915*77*X*004010~ST*856*0001~BSN*00*A*20261120*0915~ZZZZ*1~HLX*2~SE*5*0001~GE*1*77~IEA*1*000000077~"
        let (sets, _) = X12Reader.readAll(Array((isa + body).utf8))
        let set = try #require(sets.first)
        #expect(set.segments.map(\.number) == [1, 2, 3, 4, 5])
        #expect(set.diagnostics.map(\.location) == ["ST 0001 / segment 3 ZZZZ"], "the number within the set, as everywhere else")
        let zzzz = set.segments[2]
        #expect(zzzz.hasTag("ZZZZ") && !zzzz.hasTag("ABCD") && !zzzz.hasTag("ZZZ"))
        #expect(set.segments[3].hasTag("HLX") && !set.segments[3].hasTag("HL"))
        // A partner's other terminator ends a segment only before a line break.
        let mixed = isa.replacingOccurrences(of: "P*>~", with: "P*>$") + body.replacingOccurrences(of: "~", with: "$")
            .replacingOccurrences(of: "BSN*00*A*20261120*0915$", with: "BSN*00*A*20261120*0915~\n")
            .replacingOccurrences(of: "ZZZZ*1$", with: "ZZZZ*1~X$")
        let (alternate, _) = X12Reader.readAll(Array(mixed.utf8), options: .init(alternateTerminators: [UInt8(ascii: "~")]))
        #expect(alternate.first?.segments.map(\.text) == ["ST*856*0001", "BSN*00*A*20261120*0915", "ZZZZ*1~X", "HLX*2", "SE*5*0001"])
    }

    @Test("a set cut short by the next ST, GE or IEA keeps its own segments; envelope segments are not kept with a set")
    func setsCutShort() throws {
        let isa = "ISA*00*          *00*          *ZZ*ACMEIND        *ZZ*CROSSDOCK      *261120*0915*U*00401*000000077*0*P*>~"
        let gs = "GS*SH*ACMEIND*CROSSDOCK*20261120*0915*77*X*004010~"
        func texts(_ input: String) -> (sets: [[String]], findings: [String]) {
            let (sets, result) = X12Reader.readAll(Array(input.utf8))
            return (
                sets.map { $0.segments.map(\.text) },
                (sets.flatMap(\.diagnostics) + result.envelopeDiagnostics).map { "\($0.location ?? ""): \($0.message)" }
            )
        }
        // No SE: the next ST starts a set of its own.
        let next = texts(isa + gs + "ST*856*0001~BSN*00*A~HL*1**S~ST*856*0002~BSN*00*B~SE*3*0002~GE*2*77~IEA*1*000000077~")
        #expect(next.sets == [["ST*856*0001", "BSN*00*A", "HL*1**S"], ["ST*856*0002", "BSN*00*B", "SE*3*0002"]])
        #expect(next.findings == ["ST 0001 / segment 3: transaction set 0001 has no SE: it is cut short"])
        // No SE before GE, then segments outside any set; no SE before IEA.
        let trailer = texts(isa + gs + "ST*856*0001~BSN*00*A~GE*1*77~REF*BM*1~GS*SH*A*B*20261120*0915*78*X*004010~ST*856*0002~BSN*00*B~IEA*2*000000077~")
        #expect(trailer.sets == [["ST*856*0001", "BSN*00*A"], ["ST*856*0002", "BSN*00*B"]])
        #expect(
            trailer.findings == [
                "ST 0001 / segment 2: transaction set 0001 has no SE: it is cut short",
                "ST 0002 / segment 2: transaction set 0002 has no SE: it is cut short",
                "ISA 000000077 / segment 6 REF: segment REF is outside a transaction set",
                "ISA 000000077 / GS 78: functional group 78 has no GE: it is cut short",
            ])
        // A segment wrapped across lines in a file terminated by `~` reads as one, beside plain ones.
        let wrapped = texts(isa + gs + "ST*856*0001~BSN*00*A~N1*SF*SUP\nPLIER*UL*0614141000029~HL*1**S~SE*5*0001~GE*1*77~IEA*1*000000077~")
        #expect(wrapped.sets == [["ST*856*0001", "BSN*00*A", "N1*SF*SUPPLIER*UL*0614141000029", "HL*1**S", "SE*5*0001"]])
        #expect(wrapped.findings.isEmpty)
    }

    @Test("every corpus file is read without a crash, truncated anywhere too")
    func everyFileSurvivesTruncation() throws {
        let files = Self.corpusFiles()
        #expect(files.count == 48)
        for file in files {
            let bytes = try TestSupport.bytes("Tests/Fixtures/corpus/x12/" + file)
            for length in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 60)) {
                let (sets, result) = X12Reader.readAll(Array(bytes.prefix(length)))
                let complete = !result.interchanges.isEmpty && result.envelopeDiagnostics.isEmpty
                    && sets.allSatisfy { $0.diagnostics.allSatisfy { $0.severity != .error } }
                // A cut may only look complete when it lost nothing but the last terminator, or
                // fell between two interchanges.
                let rest = bytes[length...].drop { [0x0A, 0x0D, 0x20].contains($0) }
                let harmless = rest.count <= 3 || rest.starts(with: Array("ISA".utf8))
                #expect(!complete || harmless, "\(file) cut at \(length) looks complete")
            }
        }
    }
}

@Suite("EDIFACT tokenizer on the corpus")
struct EdifactCorpusTests {
    static func read(_ path: String) throws -> (messages: [EdifactMessage], diagnostics: [Diagnostic]) {
        let (messages, result) = EdifactReader.readAll(try TestSupport.bytes("Tests/Fixtures/corpus/edifact/staedi/" + path))
        return (messages, result.envelopeDiagnostics + messages.flatMap(\.diagnostics))
    }

    @Test(
        "files that pass give no error-severity diagnostic",
        arguments: [
            "invoic_d97b.edi", "invoic_d97b_una.edi", "invoic_d93a_una.edi", "issue128/wrapped_invoic_d97b.edi",
            "issue128/wrapped_invoic_d97b_una.edi", "issue174/other_dialect_term_segments.edi", "empty-segment-example.edi",
            "empty-segment-loop-example.edi", "issue106/null-pointer-example.edi", "issue122/baplie-test.edi",
            "orders-with-group.edi",
        ])
    func passing(path: String) throws {
        let (messages, diagnostics) = try Self.read(path)
        #expect(messages.count == 1)
        #expect(diagnostics.filter { $0.severity == .error && $0.code == .edifactSyntax }.isEmpty, "\(diagnostics)")
    }

    @Test("UNA: separators, release character and decimal mark are honoured")
    func una() throws {
        let (messages, _) = try Self.read("invoic_d97b_una.edi")
        let separators = try #require(messages.first).interchange.separators
        #expect(separators.component == UInt8(ascii: "=") && separators.element == UInt8(ascii: "*") && separators.segment == UInt8(ascii: "~"))
        #expect(messages[0].interchange.recipient == "006415160", "UNB has 006?415160: the release character is dropped")
        let (comma, _) = try Self.read("invoic_d93a_una.edi")
        #expect(comma.first?.interchange.separators.decimalMark == UInt8(ascii: ","))
        #expect(comma.first?.number("12,5") == "12.5")
        let (backslash, _) = try Self.read("empty-segment-example.edi")
        #expect(backslash.first?.interchange.separators.release == UInt8(ascii: "\\"))
    }

    @Test("wrapped files read the same as unwrapped ones")
    func wrapped() throws {
        let plain = try Self.read("invoic_d97b.edi").messages.first?.segments.map(\.text)
        let wrapped = try Self.read("issue128/wrapped_invoic_d97b.edi").messages.first?.segments.map(\.text)
        #expect(plain == wrapped)
    }

    @Test("elements and components: empty ones kept, release characters, UTF-8 and ISO 8859-1 text")
    func elementsAndComponents() throws {
        let latin1: [UInt8] = Array("UNB+UNOC:3+SENDER+RECEIVER+261120:0915+42'UNH+1+DESADV:D:96A:UN'NAD+ST+5412345000013::9++M".utf8)
            + [0xDC] + Array("LLER ?+ S?:HNE'FTX+AAA+++Stra".utf8) + [0xC3, 0x9F] + Array("e'UNT+4+1'UNZ+1+42'".utf8)
        let (messages, _) = EdifactReader.readAll(latin1)
        let segments = try #require(messages.first).segments
        #expect(segments.map(\.tag) == ["UNH", "NAD", "FTX", "UNT"])
        let nad = segments[1]
        #expect(nad.count == 4)
        #expect(nad.components(2) == ["5412345000013", "", "9"])
        #expect(nad[2, 3] == "9" && nad[2, 4] == "" && nad[3] == "" && nad[5] == "")
        #expect(nad.value(4) == "MÜLLER + S:HNE", "ISO 8859-1 byte, released separators")
        #expect(segments[2][4] == "Straße", "UTF-8 kept as UTF-8")
        #expect(nad.text == "NAD+ST+5412345000013::9++MÜLLER + S:HNE")
        let (cut, _) = EdifactReader.readAll(Array("UNB+UNOC:3+S+R+261120:0915+42'UNH+1+DESADV:D:96A:UN'BGM+351+A".utf8))
        #expect(cut.first?.segments.last?.text == "BGM+351+A", "a last segment without its terminator is kept")
    }

    @Test("the UNT count the README flags, characters outside UNOA, IEA/END inside a body")
    func findings() throws {
        #expect(try Self.read("orders-with-group.edi").diagnostics.contains { $0.code == .edifactEnvelope && $0.message == "UNT says 21 segments, the message has 18" })
        #expect(try Self.read("invoic_d97b.edi").diagnostics.contains { $0.severity == .warning && $0.message.contains("BÜTTNER") })
        #expect(try Self.read("issue174/other_dialect_term_segments.edi").messages.first?.segments.map(\.tag).contains("IEA") == true)
    }
}

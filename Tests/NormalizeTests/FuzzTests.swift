import Foundation
import Formats
import Model
import Normalize
import Testing
import TestSupport

/// Seeded mutation fuzzing of every parser through the whole pipeline (X12 856/214, EDIFACT
/// DESADV/IFTSTA, the JSON ASN, scan and tracking formats), and of the GS1 readers (element
/// strings, Digital Link URIs) on their own. Every mutant must end as events or rejections with a
/// code, never a crash or an empty result. The run is deterministic for a seed; CI runs
/// `CROSSDOCK_FUZZ_ITERATIONS` (default 200) mutants per seed file, a longer run sets it higher.
@Suite("Fuzzing (seeded mutation)")
struct FuzzTests {
    static let iterations = Int(ProcessInfo.processInfo.environment["CROSSDOCK_FUZZ_ITERATIONS"] ?? "") ?? 200

    /// The seeds: every sample and demo message, and the X12 and EDIFACT corpus files.
    static let seeds: [(name: String, bytes: [UInt8], source: Source)] = {
        var files: [String] = []
        for folder in ["examples/samples", "examples/demo/asn", "examples/demo/carrier", "examples/demo/scans"] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: TestSupport.path(folder).path)) ?? []
            files += names.sorted().map { "\(folder)/\($0)" }
        }
        for folder in ["Tests/Fixtures/corpus/x12", "Tests/Fixtures/corpus/edifact"] {
            let root = TestSupport.path(folder)
            let walker = FileManager.default.enumerator(atPath: root.path)
            var found: [String] = []
            while let name = walker?.nextObject() as? String {
                if [".x12", ".edi", ".txt", ".edifact"].contains(where: name.hasSuffix) { found.append("\(folder)/\(name)") }
            }
            files += found.sorted().prefix(12)
        }
        return files.compactMap { file in
            guard let bytes = try? TestSupport.bytes(file), !bytes.isEmpty else { return nil }
            let source: Source = file.contains("scans") || file.contains("receive") || file.contains("putaway") ? .scan
                : (Source.detect(bytes) ?? (file.contains("tracking") || file.contains("carrier") ? .carrier : .asn))
            return (file, bytes, source)
        }
    }()

    /// Bytes that mean something to one of the syntaxes.
    static let tokens: [[UInt8]] = [
        "~", "*", "'", "+", ":", "?", "^", "\n", "\r\n", "{", "}", "[", "]", "\"", "\\", ",", "\u{1D}", "\u{00}", "0", "-",
        "1e999999", "99999999999999999999999999999999999999", "-0.0000000000000000000001", "\\u0000", "\\ud800", "null",
        "ISA", "IEA", "ST*856*", "SE*", "HL*", "UNH+", "UNT+", "UNZ+", "]C1", "]d2", "https://id.gs1.org/01/", "(01)",
    ].map { Array($0.utf8) } + [[0xFF], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80]]

    /// One to four mutations: change, insert a token, delete, duplicate, splice another seed in, truncate.
    static func mutate(_ input: [UInt8], _ random: inout SplitMix, other: [UInt8]) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int(random.next() % 4 + 1) {
            let at = bytes.isEmpty ? 0 : Int(random.next() % UInt64(bytes.count))
            switch random.next() % 6 {
            case 0 where !bytes.isEmpty: bytes[at] = UInt8(truncatingIfNeeded: random.next())
            case 1: bytes.insert(contentsOf: tokens[Int(random.next() % UInt64(tokens.count))], at: at)
            case 2 where !bytes.isEmpty: bytes.removeSubrange(at..<min(bytes.count, at + Int(random.next() % 16) + 1))
            case 3 where !bytes.isEmpty: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + Int(random.next() % 64) + 1)], at: at)
            case 4 where !other.isEmpty:
                let from = Int(random.next() % UInt64(other.count))
                bytes = Array(bytes[..<at]) + other[from..<min(other.count, from + Int(random.next() % 256) + 1)]
            default: bytes = Array(bytes.prefix(at))
            }
        }
        return bytes
    }

    /// Changes one to three letters or digits of a value into others (digits, letters, `-`, `.`,
    /// a run of nines), keeping every separator where it was.
    static func mutateValues(_ input: [UInt8], _ random: inout SplitMix) -> [UInt8] {
        var bytes = input
        let replacements: [[UInt8]] = Array("0123456789ABCZaz-.".utf8).map { [$0] } + ["9999999999", "00", "-1", "1e400", "91.5", "2561"].map { Array($0.utf8) }
        for _ in 0..<Int(random.next() % 3 + 1) {
            let candidates = bytes.indices.filter { (0x30...0x39).contains(bytes[$0]) || (0x41...0x5A).contains(bytes[$0]) }
            guard !candidates.isEmpty else { break }
            let at = candidates[Int(random.next() % UInt64(candidates.count))]
            bytes.replaceSubrange(at...at, with: replacements[Int(random.next() % UInt64(replacements.count))])
        }
        return bytes
    }

    /// Every input ends as events or rejections that say why, each of which encodes to valid JSON.
    static func check(_ outcomes: [Outcome], _ input: [UInt8], _ seed: String) {
        #expect(!outcomes.isEmpty, "no outcome for a mutant of \(seed): \(input.prefix(80))")
        for outcome in outcomes {
            if let rejection = outcome.rejection {
                #expect(rejection.diagnostics.contains { $0.severity == .error && !$0.code.rawValue.isEmpty })
                #expect(rejection.code.rawValue.allSatisfy { $0.isUppercase || $0 == "_" || $0.isNumber })
            }
            #expect((try? JSONParser.parse(outcome.jsonBytes())) != nil, "an outcome of a mutant of \(seed) is not valid JSON")
        }
    }

    @Test("the seeds are all there")
    func seedsFound() {
        #expect(Self.seeds.count >= 20, "\(Self.seeds.map(\.name))")
        #expect(Set(Self.seeds.map(\.source)) == [.asn, .scan, .carrier])
    }

    @Test("mutants of every seed end as events or rejections with a code")
    func pipeline() {
        var random = SplitMix(seed: 0x5EED_F00D)
        var executions = 0
        var rejected = 0
        for (index, seed) in Self.seeds.enumerated() {
            let other = Self.seeds[(index + 1) % Self.seeds.count].bytes
            for _ in 0..<Self.iterations {
                let mutant = Self.mutate(seed.bytes, &random, other: other)
                let outcomes = TestNetwork.normalize(mutant, source: seed.source)
                Self.check(outcomes, mutant, seed.name)
                executions += 1
                if outcomes.contains(where: \.isRejection) { rejected += 1 }
            }
        }
        print("fuzz: \(executions) pipeline executions over \(Self.seeds.count) seeds, \(rejected) with a rejection")
        #expect(rejected > executions / 4, "the mutator barely changes anything")
    }

    @Test("every record the normaliser makes of mutants validates against Schemas/")
    func schemaProperty() throws {
        var random = SplitMix(seed: 0x5C4E_3A11)
        var lines: [[UInt8]] = []
        var events = 0
        for (index, seed) in Self.seeds.enumerated() {
            let other = Self.seeds[(index + 1) % Self.seeds.count].bytes
            for round in 0...max(10, Self.iterations / 4) {
                // Half the mutants change values in place (the structure stays, so they reach the
                // mapping), half are the general mutants.
                let input =
                    round == 0 ? seed.bytes : round % 2 == 0 ? Self.mutateValues(seed.bytes, &random) : Self.mutate(seed.bytes, &random, other: other)
                for outcome in TestNetwork.normalize(input, source: seed.source, snapshot: TestNetwork.corpus) {
                    if !outcome.isRejection { events += 1 }
                    lines.append(outcome.jsonBytes())
                }
            }
        }
        let result = try TestSupport.validateEvents(lines)
        if result.status != 0 { print(result.output.prefix(6000)) }
        #expect(result.status == 0)
        #expect(events > lines.count / 10, "\(events) events of \(lines.count) records: the mutants barely reach the mapping")
    }

    @Test("the plain scan reader reads what the general reader reads, and leaves the rest to it")
    func plainScanReader() {
        var random = SplitMix(seed: 0x5CA7_F00D)
        let scans = Self.seeds.filter { $0.source == .scan }
        var plain = 0
        var total = 0
        for (index, seed) in scans.enumerated() {
            let other = scans[(index + 1) % scans.count].bytes
            for round in 0...(Self.iterations * 5) {
                let input = round == 0 ? seed.bytes : Self.mutate(seed.bytes, &random, other: other)
                total += 1
                guard let fast = JSONScan.readPlain(input) else { continue }
                plain += 1
                let general = try? parseJSONInput(input).flatMap(JSONScan.read).get()
                #expect(general == [fast], "a mutant of \(seed.name) read differently: \(String(decoding: input, as: UTF8.self))")
            }
        }
        // Edits at the edges of what the plain reader takes.
        let base = #""gateway": "dc-atl-rf", "scannedAt": "2026-11-19T10:02:44-05:00", "action": "RCV", "location": "DOCK3", "barcode": "]C100006141410000090013""#
        let edits = [
            "{\(base)}", " \t\r\n{ \(base) } \n", "{\(base), \"toLocation\": null, \"quantity\": null}", "{\(base), \"quantity\": 12.50}",
            "{\(base), \"quantity\": -0}", "{\(base), \"quantity\": 1e3}", "{\(base), \"quantity\": 1E+3}", "{\(base), \"quantity\": 01}",
            "{\(base), \"quantity\": 1.}", "{\(base), \"quantity\": -}", "{\(base), \"quantity\": \"12\"}", "{\(base), \"quantity\": 12x}",
            "{\(base), \"action\": \"RCV\"}", "{\(base), \"x-note\": 1}", "{\(base), \"uom\": \"\"}", "{\(base), \"uom\": \"C\\u0053\"}",
            "{\(base), \"reason\": \"Zürich\"}", "{\(base), \"action\": null}", "{\(base), \"site\": 7}", "{\(base)", "{\(base)}}", "{\(base)},",
            "\u{FEFF}{\(base)}", "{\(base), \"scans\": []}", "{\(base.replacingOccurrences(of: "-05:00", with: ""))}", "{\(base), \"device\": \"\u{7F}\"}",
            "{\(base),}", "{,\(base)}", "{\(base) \"uom\": \"EA\"}", "[{\(base)}]", "{\"gateway\": \"dc-atl-rf\"}",
        ]
        var plainEdits = 0
        for edit in edits {
            let input = Array(edit.utf8)
            guard let fast = JSONScan.readPlain(input) else { continue }
            plainEdits += 1
            let general = try? parseJSONInput(input).flatMap(JSONScan.read).get()
            #expect(general == [fast], "read differently: \(edit)")
        }
        #expect(plainEdits == 8, "\(plainEdits) of the edits read plainly")
        print("plain scan reader: \(plain) of \(total) scan messages read without a tree, all as the general reader reads them")
        #expect(plain > scans.count, "the plain reader read almost nothing: the comparison compared nothing")
    }

    static let barcodes: [String] = [
        "]C10100614141000029", "]C1010061414100004317280217\u{1D}10L2519", "]C1010061414100005021SN205907",
        "]C101006141410000673103015478", "]d2010061414100001210ABC\u{1D}21X1", "]Q3010061414100001217270101",
        "https://id.example.com/01/00614141000043/10/L2519?17=280217", "https://id.gs1.org/01/09520123456788/21/12345",
        "HTTPS://ID.EXAMPLE.COM/01/00614141000098", "(01)00614141000012(10)LOT1", "00614141000012", "006141410000000017",
    ]

    @Test("mutated GS1 element strings and Digital Links are read or refused with GS1_AI_INVALID or CHECK_DIGIT")
    func gs1() {
        var random = SplitMix(seed: 0x6511)
        var executions = 0
        for (index, barcode) in Self.barcodes.enumerated() {
            let other = Array(Self.barcodes[(index + 3) % Self.barcodes.count].utf8)
            for _ in 0..<Self.iterations * 5 {
                let mutant = String(decoding: Self.mutate(Array(barcode.utf8), &random, other: other), as: UTF8.self)
                switch GS1Barcode.read(mutant, at: "/barcode") {
                case .success(let elements): #expect(elements.allSatisfy { !$0.ai.isEmpty })
                case .failure(let diagnostic):
                    #expect([.gs1AIInvalid, .checkDigit].contains(diagnostic.code) && diagnostic.location == "/barcode")
                }
                executions += 1
            }
        }
        print("fuzz: \(executions) GS1 barcode executions")
    }
}

/// Inputs built to hurt: nesting, broken encodings, control characters, absurd numbers, line
/// breaks meant to forge headers or log lines.
@Suite("Hostile input")
struct HostileInputTests {
    func scan(_ fields: String) -> [UInt8] {
        Array(#"{"gateway": "dc-atl-rf", "scannedAt": "2026-11-21T06:00:00-05:00", "action": "RCV", "barcode": "]C10100614141000029", "#.utf8)
            + Array(fields.utf8) + Array("}".utf8)
    }

    @Test("JSON nested 100,000 deep is rejected as JSON_INVALID, not a stack overflow", arguments: [Source.scan, .asn, .carrier])
    func deepNesting(source: Source) {
        for open in ["[", #"{"a":"#] {
            let bytes = Array(String(repeating: open, count: 100_000).utf8)
            let outcomes = TestNetwork.normalize(bytes, source: source)
            #expect(outcomes.count == 1 && outcomes[0].rejection?.code == .jsonInvalid, "\(outcomes.first?.rejection?.message ?? "")")
        }
    }

    @Test("notices listing tens of thousands of orders and references, each twice, keep each once, in linear time")
    func manyOrdersAndReferences() throws {
        // Each one added was a search of all before it: 100,000 in a 1.5 MB notice took 16 s.
        let count = 30_000
        let desadv = String(decoding: try TestSupport.bytes("examples/samples/nordwerk-desadv.edi"), as: UTF8.self)
        let repeated = (0..<count).map { "RFF+ON:PO-\($0)'\nRFF+CN:TRK-\($0)'\n" }.joined()
        var edifact = desadv.replacingOccurrences(of: "RFF+ON:PO-4500099'\n", with: repeated + repeated)
        edifact = edifact.replacingOccurrences(of: "UNT+25+1", with: "UNT+\(25 - 1 + 4 * count)+1")
        let notice = try #require(TestNetwork.normalize(Array(edifact.utf8)).first?.shipmentNotice)
        #expect(notice.orders.count == count && notice.orders.last == "PO-\(count - 1)")
        #expect(notice.references?.trackingNumbers.count == count - 1, "the first CN is the PRO number")

        let acme = String(decoding: try TestSupport.bytes("examples/samples/acme-856.x12"), as: UTF8.self)
        let references = (0..<count).map { "REF*IV*INV-\($0)~\n" }.joined()
        var x12 = acme.replacingOccurrences(of: "PRF*PO45000077***20261110~\n", with: "PRF*PO45000077***20261110~\n" + references + references)
        x12 = x12.replacingOccurrences(of: "SE*22*0001", with: "SE*\(22 + 2 * count)*0001")
        let shipped = try #require(TestNetwork.normalize(Array(x12.utf8)).first?.shipmentNotice)
        #expect(shipped.references?.other.filter { $0.qualifier == "IV" }.count == count)
    }

    /// An SSCC of ACME's prefix with its check digit.
    static func sscc(_ serial: Int) -> String {
        let body = "0061414" + String(format: "%010d", serial)
        return body + String(GS1CheckDigit.compute(for: Array(body.utf8))!)
    }

    @Test("an 856 nesting 20,000 cartons reads each one's parent and the line's carton and order in linear time")
    func deepHLTree() throws {
        // Each level walked up to its nearest carton and order: 80,000 nested levels took minutes.
        let count = 20_000
        var levels: [String] = []
        for index in 0..<count {
            levels += ["HL*\(3 + index)*\(2 + index)*P", "MAN*GM*\(Self.sscc(index))"]
        }
        levels += ["HL*\(3 + count)*\(2 + count)*I", "LIN*1*UK*00614141000029", "SN1**2*CA"]
        let notice = try #require(
            TestNetwork.normalize(X12Builder().interchange([X12Builder.body(levels: levels)])).first?.shipmentNotice)
        #expect(notice.handlingUnits.count == count)
        #expect(notice.handlingUnits.first?.parent == nil)
        #expect(notice.handlingUnits.last?.parent == Self.sscc(count - 2))
        #expect(notice.lines.count == 1 && notice.lines.first?.handlingUnit == Self.sscc(count - 1))
        #expect(notice.lines.first?.poNumber == "PO-1")
    }

    @Test("an 856 of 20,000 items with a lot each finds the one whose lot disagrees, in linear time")
    func manyLots() throws {
        var levels: [String] = []
        for index in 0..<20_000 {
            let item = 3 + 2 * index
            levels += ["HL*\(item)*2*I", "LIN*\(index + 1)*UK*00614141000029", "SN1**2*CA"]
            levels += ["HL*\(item + 1)*\(item)*ZZ", "LIN**LT*L\(index)", "SN1**\(index == 12_345 ? 3 : 2)*CA"]
        }
        let outcomes = TestNetwork.normalize(X12Builder().interchange([X12Builder.body(levels: levels)]))
        let rejection = try #require(outcomes.first?.rejection, "\(outcomes.first.map { "\($0)".prefix(300) } ?? "")")
        let conflicts = rejection.diagnostics.filter { $0.code == .valueConflict }
        #expect(conflicts.count == 1 && conflicts.first?.message == "item HL 24693 ships 2 CA, its lots add up to 3", "\(conflicts)")
    }

    @Test("an 856 of 5,000 HL codes and no line names the first 20 codes and counts the others")
    func manyHLCodes() throws {
        let levels = (0..<5_000).map { "HL*\(3 + $0)*2*X\($0)" }
        let rejection = try #require(TestNetwork.normalize(X12Builder().interchange([X12Builder.body(levels: levels)])).first?.rejection)
        let shape = try #require(rejection.diagnostics.first { $0.message.hasPrefix("the ship notice has no item lines: HL levels S ×1") }?.message)
        #expect(shape.hasSuffix("X17 ×1 and 4982 other codes; no LIN at any level"), "\(shape)")
    }

    @Test("notices naming 50,000 parties of distinct roles read their ship-to in linear time; a name is made precise by an id")
    func manyParties() throws {
        // Each N1 or NAD looked its role up among all before it: 50,000 took 9 s, 200,000 two minutes.
        let parties = (0..<50_000).map { "N1*R\($0)*NAME \($0)" }
        let body = X12Builder.body(shipTo: "N1*ST*RECEIVING", levels: parties + ["N1*ST*RECEIVING*UL*0614141000012", "HL*3*2*I", "LIN*1*UK*00614141000029", "SN1**2*CA"])
        let notice = try #require(TestNetwork.normalize(X12Builder().interchange([body])).first?.shipmentNotice)
        #expect(notice.shipTo.id == "DC-ATL")

        let desadv = String(decoding: try TestSupport.bytes("examples/samples/nordwerk-desadv.edi"), as: UTF8.self)
        let nads = (0..<50_000).map { "NAD+R\($0)+\($0)::9'\n" }.joined()
        var edifact = desadv.replacingOccurrences(of: "TDT+20", with: nads + "TDT+20")
        edifact = edifact.replacingOccurrences(of: "UNT+25+1", with: "UNT+\(25 + 50_000)+1")
        let despatched = try #require(TestNetwork.normalize(Array(edifact.utf8)).first?.shipmentNotice)
        #expect(despatched.shipTo.id == "DC-DEN")
    }

    @Test("a DESADV splitting 10,000 lines into sub-lines finds the one whose parts disagree, in linear time")
    func manySubLines() throws {
        // Each sub-line searched all lines for its parent: 12,000 pairs took 50 s.
        let desadv = String(decoding: try TestSupport.bytes("examples/samples/nordwerk-desadv.edi"), as: UTF8.self)
        let count = 10_000
        let pairs = (0..<count).map {
            "LIN+P\($0)++00614141000067:SRV'\nQTY+12:2:KGM'\nLIN+S\($0)+++1:P\($0)'\nQTY+12:\($0 == 777 ? 1 : 2):KGM'\n"
        }.joined()
        let start = try #require(desadv.range(of: "LIN+1++"))
        let end = try #require(desadv.range(of: "CNT+2:2'\n"))
        var edifact = desadv.replacingCharacters(in: start.lowerBound..<end.upperBound, with: pairs)
        edifact = edifact.replacingOccurrences(of: "UNT+25+1", with: "UNT+\(25 - 10 + 4 * count)+1")
        let outcomes = TestNetwork.normalize(Array(edifact.utf8))
        let rejection = try #require(outcomes.first?.rejection, "\(outcomes.first.map { "\($0)".prefix(300) } ?? "")")
        let conflicts = rejection.diagnostics.filter { $0.code == .valueConflict }
        #expect(conflicts.map(\.message) == ["line P777 despatches 2, its sub-lines add up to 1"], "\(conflicts)")
    }

    @Test("a carrier message whose statuses would carry more than 100,000 references in all is one MESSAGE_TOO_LARGE rejection")
    func referencesTimesStatuses() throws {
        // Each status carries its message's and consignment's references: 2,000 of each made a
        // 87 KB 214 into 139 MB of events.
        func x12(references: Int, statuses: Int, inLoop: Bool) -> [UInt8] {
            // The references before the loops (the message's) or in one loop of all the statuses.
            let l11 = (0..<references).map { "L11*R\($0)*ZZ~\n" }.joined()
            let at7 = String(repeating: "AT7*AF*NS***20260715*1430*ET~\n", count: statuses)
            let text = String(decoding: CarrierTests.x12([(code: "AF", extra: [])]), as: UTF8.self)
            let loop = inLoop ? "LX*1~\n" + l11 + at7 : l11 + "LX*1~\n" + at7
            return Array(
                text.replacingOccurrences(of: "LX*1~\nAT7*AF*NS***20260715*1430*ET~\n", with: loop)
                    .replacingOccurrences(of: "SE*6*0001", with: "SE*\(5 + references + statuses)*0001").utf8)
        }
        for inLoop in [false, true] {
            let refused = TestNetwork.normalize(x12(references: 2_000, statuses: 2_000, inLoop: inLoop), source: .carrier)
            #expect(refused.count == 1 && refused.first?.rejection?.code == .messageTooLarge, "\(refused.first.map { "\($0)".prefix(400) } ?? "")")
        }
        // A message well inside the limit keeps every reference with every status.
        let kept = CarrierTests.statuses(TestNetwork.normalize(x12(references: 300, statuses: 300, inLoop: false), source: .carrier))
        #expect(kept.count == 300 && kept.allSatisfy { $0.references.count == 301 })

        let iftsta = String(decoding: try TestSupport.bytes("examples/samples/dhl-iftsta.edi"), as: UTF8.self)
        let rffs = (0..<400).map { "RFF+ZZ:R\($0)'\n" }.joined()
        let sts = String(repeating: "STS+1+31'\nDTM+334:202611220615?+0100:205'\n", count: 400)
        var edifact = iftsta.replacingOccurrences(of: "RFF+CU:DA-2611-0481'\n", with: "RFF+CU:DA-2611-0481'\n" + rffs + sts)
        edifact = edifact.replacingOccurrences(of: "UNT+14+1", with: "UNT+\(14 + 400 + 800)+1")
        let consignment = TestNetwork.normalize(Array(edifact.utf8), source: .carrier)
        #expect(consignment.count == 1 && consignment.first?.rejection?.code == .messageTooLarge, "\(consignment.first.map { "\($0)".prefix(400) } ?? "")")
    }

    @Test("a carrier message whose statuses would repeat more than 10 MiB of its numbers and references is MESSAGE_TOO_LARGE")
    func repeatedTextTimesStatuses() throws {
        // Every status carries the message's tracking number: a 60,000-character PRO under 9,000
        // statuses (0.4 MB sent) made 1.6 GB of events.
        let statuses = [(code: String, extra: [String])](repeating: (code: "AF", extra: []), count: 200)
        let long = CarrierTests.x12(statuses, b10: "B10*" + String(repeating: "P", count: 60_000) + "*ASN-X*ODFL")
        let refused = TestNetwork.normalize(long, source: .carrier)
        #expect(refused.count == 1 && refused.first?.rejection?.code == .messageTooLarge, "\(refused.first.map { "\($0)".prefix(400) } ?? "")")
        #expect(refused.first?.rejection?.diagnostics.contains { $0.message.contains("would repeat 1200") } == true)
        // Within the limit, every status keeps the number as sent.
        let kept = CarrierTests.statuses(
            TestNetwork.normalize(CarrierTests.x12(statuses, b10: "B10*" + String(repeating: "P", count: 5_000) + "*ASN-X*ODFL"), source: .carrier))
        #expect(kept.count == 200 && kept.allSatisfy { $0.trackingNumber?.utf8.count == 5_000 })
    }

    @Test("an interchange of 4,000 sets and 2,000 envelope findings gives each set the first 100 and a count of the rest")
    func envelopeFindingsPerSet() throws {
        // Every set carried every envelope finding: 10,000 sets sharing 5,000 ST02s took 5 s
        // and made 154 MB, 40,000 a minute.
        var text = "ISA*00*          *00*          *ZZ*ODFL           *ZZ*CROSSDOCK      *261120*0915*U*00401*000000031*0*P*>~\n"
        text += "GS*QM*ODFL*CROSSDOCK*20261122*1010*31*X*004010~\n"
        for index in 0..<4_000 {
            let st = String(index / 2)
            text += "ST*214*\(st)~\nB10*PRO\(index)*ASN1*ODFL~\nLX*1~\nAT7*AF*NS***20261118*1600*ET~\nSE*5*\(st)~\n"
        }
        text += "GE*4000*31~\nIEA*1*000000031~\n"
        let outcomes = TestNetwork.normalize(Array(text.utf8), source: .carrier)
        let rejection = try #require(outcomes.first?.rejection)
        #expect(outcomes.count == 1 && rejection.code == .x12Envelope)
        let documents = try #require(rejection.documents)
        #expect(documents.count + (rejection.documentsOmitted ?? 0) == 4_000)
        // Each listed document has the first 100 and the count of the rest, until the record
        // lists 10,000 findings; the documents after keep their first finding and a count.
        var full = 0
        for document in documents {
            let own = rejection.diagnostics[document.firstDiagnostic..<(document.firstDiagnostic + document.diagnosticCount)]
            if own.count == 2 {
                #expect(own.first?.code == .x12Envelope && own.last?.code == .findingsOmitted)
                #expect(own.last?.message.hasSuffix("more findings of this document are not listed (a rejection lists 10000 in all)") == true)
                continue
            }
            full += 1
            #expect(own.filter { $0.message.contains("is used by more than one transaction set") }.count == 100)
            #expect(own.last?.code == .findingsOmitted && own.last?.message == "1900 more envelope findings of the functional group at byte 107 are not listed", "\(own.suffix(2))")
        }
        #expect(full > 50 && rejection.diagnostics.count <= RecordRejection.listedFindings + 2 * documents.count)
    }

    @Test("20,000 junk segments in a set, a message or outside them keep 1,000 findings and count the rest while read")
    func junkSegments() throws {
        // Each made a finding with its location, a segment error and more: 8 MB of `~` took 22 s
        // and 4 GB.
        let acme = String(decoding: try TestSupport.bytes("examples/samples/acme-856.x12"), as: UTF8.self)
        let junk = acme.replacingOccurrences(of: "CTT*5~\n", with: String(repeating: "~", count: 20_000) + "CTT*5~\n")
        let (sets, _) = X12Reader.readAll(Array(junk.utf8))
        let set = try #require(sets.first)
        #expect(set.diagnostics.filter { $0.message == "'' is not a segment tag" }.count == 1_000)
        #expect(set.diagnostics.contains { $0.code == .findingsOmitted && $0.message == "19000 more findings of transaction set 0001 are not listed" })
        // Empty segments are flagged where they are (before the CTT, the 21st) and not kept.
        #expect(set.segmentErrors.count == 1_000 && set.segmentErrors.allSatisfy { $0.position == 21 } && set.segments.count == 22)
        #expect(TestNetwork.normalize(Array(junk.utf8)).first?.rejection?.code == .x12Syntax)

        for stray in ["Z~", "SE*1*1~"] {
            let outside = acme.replacingOccurrences(of: "GE*1*77~\n", with: "GE*1*77~\n" + String(repeating: stray, count: 20_000))
            let interchange = try #require(X12Reader.readAll(Array(outside.utf8)).result.interchanges.first)
            #expect(interchange.diagnostics.count == 1_001 && interchange.diagnostics.last?.message == "19000 more findings of interchange 000000077 are not listed")
        }
        // A segment with elements and no tag is no empty segment: kept and counted where it is.
        let tagless = acme.replacingOccurrences(of: "CTT*5~\n", with: "*A*B~\nCTT*5~\n")
        let kept = try #require(X12Reader.readAll(Array(tagless.utf8)).sets.first)
        #expect(kept.segments.count == 23 && kept.segmentErrors.map(\.position) == [21])

        let desadv = String(decoding: try TestSupport.bytes("examples/samples/nordwerk-desadv.edi"), as: UTF8.self)
        let edifact = desadv.replacingOccurrences(of: "CNT+2:2'\n", with: String(repeating: "'", count: 20_000) + "CNT+2:2'\n")
        let message = try #require(EdifactReader.readAll(Array(edifact.utf8)).messages.first)
        #expect(message.diagnostics.filter { $0.code == .edifactSyntax }.count == 1_000 && message.segmentErrors.count == 1_000)
        #expect(message.diagnostics.last?.message == "19000 more findings of message 1 are not listed")
    }

    @Test("a carrier message of more than 10,000 statuses is one MESSAGE_TOO_LARGE; 10,000 are 10,000 events")
    func manyStatuses() throws {
        // A status takes about a kilobyte while read: 10 MB of AT7s took 14 s and 4 GB.
        func x12(_ count: Int) -> [UInt8] {
            let text = String(decoding: CarrierTests.x12([(code: "AF", extra: [])]), as: UTF8.self)
            return Array(
                text.replacingOccurrences(
                    of: "AT7*AF*NS***20260715*1430*ET~\n", with: String(repeating: "AT7*AF*NS***20260715*1430*ET~\n", count: count)
                ).replacingOccurrences(of: "SE*6*0001", with: "SE*\(5 + count)*0001").utf8)
        }
        let refused = TestNetwork.normalize(x12(10_001), source: .carrier)
        #expect(refused.count == 1 && refused.first?.rejection?.code == .messageTooLarge)
        #expect(refused.first?.rejection?.message.hasPrefix("the message has 10001 statuses, more than the limit of 10000") == true)
        #expect(CarrierTests.statuses(TestNetwork.normalize(x12(10_000), source: .carrier)).count == 10_000)
        // A limit is not a partner's to lower: with MESSAGE_TOO_LARGE a warning in ODFL's profile, still one rejection.
        let lowered = try TestNetwork.editedNetwork { folder in
            let profile = folder.appendingPathComponent("partners/odfl.yaml")
            try (String(contentsOf: profile, encoding: .utf8) + "severity: {MESSAGE_TOO_LARGE: warning}\n").write(
                to: profile, atomically: false, encoding: .utf8)
        }
        let stillRefused = TestNetwork.normalize(x12(10_001), source: .carrier, snapshot: lowered)
        #expect(stillRefused.count == 1 && stillRefused.first?.rejection?.code == .messageTooLarge)

        let iftsta = String(decoding: try TestSupport.bytes("examples/samples/dhl-iftsta.edi"), as: UTF8.self)
        let sts = String(repeating: "STS+1+31'\nDTM+334:202611220615?+0100:205'\n", count: 10_001)
        let edifact = iftsta.replacingOccurrences(of: "RFF+CU:DA-2611-0481'\n", with: "RFF+CU:DA-2611-0481'\n" + sts)
            .replacingOccurrences(of: "UNT+14+1", with: "UNT+\(14 + 2 * 10_001)+1")
        let consignment = TestNetwork.normalize(Array(edifact.utf8), source: .carrier)
        #expect(consignment.count == 1 && consignment.first?.rejection?.message.hasPrefix("the message has 10003 statuses") == true)
    }

    @Test("an X12 set of more than 1,000,000 segments keeps the first million and is rejected")
    func millionSegments() throws {
        // Each kept with its position: 10 MB of `Z~` held 682 MB.
        let acme = String(decoding: try TestSupport.bytes("examples/samples/acme-856.x12"), as: UTF8.self)
        let input = acme.replacingOccurrences(of: "CTT*5~\n", with: String(repeating: "Z~", count: 1_000_100) + "CTT*5~\n")
        let set = try #require(X12Reader.readAll(Array(input.utf8)).sets.first)
        #expect(set.segments.count == 1_000_001 && set.syntaxErrors.contains(.segmentsInError))
        #expect(set.diagnostics.contains { $0.code == .messageTooLarge && $0.message.hasPrefix("transaction set 0001 has 1000122 segments") })
        #expect(TestNetwork.normalize(Array(input.utf8)).first?.rejection != nil)
    }

    @Test("invalid UTF-8 and raw control characters in a JSON string are JSON_INVALID")
    func encodings() {
        for bad: [UInt8] in [[0xFF], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x0A], [0x00], [0x1B]] {
            let head = Array(#"{"gateway": "dc-atl-rf", "scannedAt": "2026-11-21T06:00:00-05:00", "action": "RCV", "location": "DOCK"#.utf8)
            let damaged = head + bad + Array(#"1", "barcode": "]C10100614141000029"}"#.utf8)
            let outcomes = TestNetwork.normalize(damaged, source: .scan)
            #expect(outcomes.count == 1 && outcomes[0].rejection?.code == .jsonInvalid, "\(bad): \(outcomes)")
        }
    }

    @Test("huge and tiny numbers are refused with a code, never trapped on", arguments: [
        "1e999999", "99999999999999999999999999999999999999999999999999", "-5", "0.0000000000000000000000000000001", "1E+2147483648",
    ])
    func hugeNumbers(number: String) {
        let outcomes = TestNetwork.normalize(scan(#""location": "DOCK1", "quantity": \#(number)"#), source: .scan)
        #expect(outcomes.count == 1)
        let code = outcomes[0].rejection?.code
        #expect(code == .quantityInvalid || code == .jsonInvalid, "\(number): \(outcomes)")
    }
}

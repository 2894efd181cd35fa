import Benchmark
import CAllocator
import Foundation
import Formats
import MasterData
import Model
import Normalize

/// Tokenize + map + validate of ship notices: X12 856 (small, 1,000 segments, 1,000 lines),
/// EDIFACT DESADV (the Nordwerk sample, 250 and 1,000 lines) and JSON, against the reference
/// network. Throughput is per document; bytes per document are printed so MB/s can be derived.
let network = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples/network")
let snapshot = try! MasterDataLoader.load(directory: network.path)
let normalizer = Normalizer(snapshot: snapshot)
let recorded = Timestamp(rfc3339: "2026-11-21T12:00:00Z")!

/// An 856 from ACME with `items` item levels in `packs` cartons.
func x12ShipNotice(items: Int) -> [UInt8] {
    var body = [
        "BSN*00*ASN-BENCH-\(items)*20261120*0915", "HL*1**S", "TD1*PLT94*1****G*812.5*LB", "TD5*B*2*ODFL*M*ODFL LTL",
        "REF*BM*BOL190077", "DTM*011*20261120*0915*ET", "N1*ST*RECEIVING*UL*0614141000012", "HL*2*1*O", "PRF*PO45000077",
    ]
    var hl = 2
    let gtins = ["00614141000012", "00614141000029", "00614141000036", "00614141000043"]
    for index in 0..<items {
        if index % 10 == 0 {
            hl += 1
            let serial = String(format: "%09d", index / 10)
            let base = "00614141" + serial
            let digit = GS1CheckDigit.compute(for: Array(base.utf8))!
            body += ["HL*\(hl)*2*P", "MAN*GM*\(base)\(digit)"]
        }
        let pack = hl
        hl += 1
        body += ["HL*\(hl)*\(pack)*I", "LIN*\(index + 1)*UK*\(gtins[index % 4])*VP*AC-\(index)", "SN1**\(index % 5 + 1)*CA", "REF*LT*L\(index)"]
    }
    body.append("CTT*\(hl)")
    var text = "ISA*00*          *00*          *ZZ*ACMEIND        *ZZ*CROSSDOCK      *261120*0915*U*00401*000000077*0*P*>~\n"
    text += "GS*SH*ACMEIND*CROSSDOCK*20261120*0915*77*X*004010~\nST*856*0001~\n"
    for segment in body { text += segment + "~\n" }
    text += "SE*\(body.count + 2)*0001~\nGE*1*77~\nIEA*1*000000077~\n"
    return Array(text.utf8)
}

/// A DESADV from Nordwerk with `items` lines in cartons of ten (CPS, PAC, the carton's SSCC),
/// each line with its GTIN, supplier item, quantity and batch.
func edifactDespatchAdvice(items: Int) -> [UInt8] {
    var segments = [
        "UNH+1+DESADV:D:96A:UN:EAN005", "BGM+351+DA-BENCH-\(items)+9", "DTM+137:20261121:102", "DTM+11:202611210800:203",
        "RFF+ON:PO-4500099", "NAD+SU+4012345000009::9++Nordwerk Befestigungstechnik GmbH",
        "NAD+DP+0614141000043::9++Denver distribution center", "TDT+20++30++DHLF:::DHL Freight", "CPS+1", "PAC+\((items + 9) / 10)++201",
    ]
    let gtins = ["00614141000012", "00614141000029", "00614141000036", "00614141000043"]
    var carton = 1
    for index in 0..<items {
        if index % 10 == 0 {
            carton += 1
            let base = "00614141" + String(format: "%09d", index / 10)
            let digit = GS1CheckDigit.compute(for: Array(base.utf8))!
            segments += ["CPS+\(carton)+1", "PAC+1++CT", "PCI+33E", "GIN+BJ+\(base)\(digit)"]
        }
        segments += [
            "LIN+\(index + 1)++\(gtins[index % 4]):SRV", "PIA+1+NW-\(index):SA", "QTY+12:\(index % 5 + 1):CS", "PCI+36E", "GIN+BX+L\(index)",
        ]
    }
    segments.append("CNT+2:\(items)")
    segments.append("UNT+\(segments.count + 1)+1")
    var text = "UNA:+.? '\nUNB+UNOC:3+4012345000009:14+0614141000012:14+261121:0815+NW000481'\n"
    for segment in segments { text += segment + "'\n" }
    text += "UNZ+1+NW000481'\n"
    return Array(text.utf8)
}

let small = x12ShipNotice(items: 2)
let large = x12ShipNotice(items: 250)  // about 1,000 segments
let thousandLines = x12ShipNotice(items: 1_000)  // about 4,100 segments
let desadv250 = edifactDespatchAdvice(items: 250)
let desadv1000 = edifactDespatchAdvice(items: 1_000)
let desadv = Array(try! Data(contentsOf: network.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples/samples/nordwerk-desadv.edi")))
let json = Array(try! Data(contentsOf: network.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples/samples/brightlite-asn.json")))

/// The 1,000-line DESADV asking for a CONTRL (UNB 0031).
let desadv1000Asking = Array(
    String(decoding: edifactDespatchAdvice(items: 1000), as: UTF8.self).replacingOccurrences(of: "+NW000481'", with: "+NW000481++++1'").utf8)

func normalize(_ bytes: [UInt8]) -> Int {
    let record = InputRecord(value: bytes, source: .file("bench"), recordedAt: recorded)
    let outcomes = normalizer.normalize(record, source: .asn)
    precondition(outcomes.allSatisfy { !$0.isRejection }, "benchmark input was rejected")
    return outcomes.reduce(0) { $0 + $1.jsonBytes().count }
}

/// Tokenize + map + validate alone, as the X12 goal counts it: the canonical events made,
/// not encoded.
func events(_ bytes: [UInt8]) -> Int {
    let record = InputRecord(value: bytes, source: .file("bench"), recordedAt: recorded)
    let outcomes = normalizer.normalize(record, source: .asn)
    precondition(outcomes.allSatisfy { !$0.isRejection }, "benchmark input was rejected")
    return outcomes.count
}

/// The same as the hub makes it with the input's acknowledgments: the events, not encoded, and
/// the 997 or CONTRL built from the same reading (what acknowledging adds).
func acknowledged(_ bytes: [UInt8]) -> Int {
    let record = InputRecord(value: bytes, source: .file("bench"), recordedAt: recorded)
    let observer = EDIObserver()
    var count = 0
    normalizer.normalizeDocuments(record, source: .asn, observer: observer) { _ in count += 1 }
    guard case .success(let written) = Acknowledgments.make(bytes, snapshot: snapshot, time: recorded, observed: observer) else {
        preconditionFailure("benchmark input was not acknowledged")
    }
    return count + written.count
}

/// The events with the reading observed, no acknowledgment built.
func observed(_ bytes: [UInt8]) -> Int {
    let record = InputRecord(value: bytes, source: .file("bench"), recordedAt: recorded)
    let observer = EDIObserver()
    var count = 0
    normalizer.normalizeDocuments(record, source: .asn, observer: observer) { _ in count += 1 }
    return count
}

let benchmarks: @Sendable () -> Void = {
    // The allocator settings the crossdock executable runs with.
    crossdock_keep_freed_memory()
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        warmupIterations: 10, maxDuration: .seconds(3))
    print(
        "document sizes: small 856 \(small.count) B, 1,000-segment 856 \(large.count) B, 1,000-line 856 \(thousandLines.count) B, "
            + "DESADV \(desadv.count) B, 250-line DESADV \(desadv250.count) B, 1,000-line DESADV \(desadv1000.count) B, "
            + "JSON ASN \(json.count) B")

    Benchmark("X12 856, small (\(small.count) B)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(normalize(small)) }
    }
    Benchmark("X12 856, 1,000 segments (\(large.count) B)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(normalize(large)) }
    }
    Benchmark("X12 856, 1,000 segments, not encoded") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(events(large)) }
    }
    Benchmark("X12 856, small, not encoded") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(events(small)) }
    }
    Benchmark("X12 856, 1,000 lines (\(thousandLines.count) B), not encoded") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(events(thousandLines)) }
    }
    // The goal's mix: a small notice and a 1,000-line one, one after the other.
    Benchmark("X12 856 mix, one small and one 1,000-line (\(small.count + thousandLines.count) B), not encoded") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(events(small) + events(thousandLines)) }
    }
    Benchmark("X12 856, 1,000 lines, not encoded, acknowledged (997)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(acknowledged(thousandLines)) }
    }
    Benchmark("EDIFACT DESADV, 1,000 lines, not encoded, acknowledged (CONTRL)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(acknowledged(desadv1000Asking)) }
    }
    Benchmark("EDIFACT DESADV, 1,000 lines, not encoded, observed") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(observed(desadv1000Asking)) }
    }
    Benchmark("X12 856, 1,000 lines, not encoded, observed") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(observed(thousandLines)) }
    }
    Benchmark("X12 tokenize only, 1,000 segments") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(X12Reader.readAll(large).sets.count) }
    }
    Benchmark("EDIFACT DESADV (\(desadv.count) B)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(normalize(desadv)) }
    }
    Benchmark("EDIFACT DESADV, not encoded") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(events(desadv)) }
    }
    Benchmark("EDIFACT DESADV, 250 lines (\(desadv250.count) B), not encoded") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(events(desadv250)) }
    }
    Benchmark("EDIFACT DESADV, 1,000 lines (\(desadv1000.count) B), not encoded") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(events(desadv1000)) }
    }
    Benchmark("JSON ASN (\(json.count) B)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(normalize(json)) }
    }
}

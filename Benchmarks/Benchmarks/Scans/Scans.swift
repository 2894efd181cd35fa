import Benchmark
import CAllocator
import Formats
import Foundation
import MasterData
import Model
import Normalize

/// Normalise + encode of single-scan JSON messages, the hub's hot path for scanner gateways: a
/// mix of the three gateways, steps, location aliases and ids, GS1 element strings and Digital
/// Links (lines from scripts/perf/scans.py), against the reference network.
let network = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples/network")
let snapshot = try! MasterDataLoader.load(directory: network.path)
/// Every barcode read as if it were new, and with the barcodes remembered as in the hub (where a
/// barcode seen before is not read again: on this mix, every barcode after the first iteration).
let uncached = Normalizer(snapshot: snapshot, barcodes: GS1ReadCache(capacity: 0))
let cached = Normalizer(snapshot: snapshot)
let recorded = Timestamp(rfc3339: "2026-11-25T22:54:00Z")!

let scans: [[UInt8]] = [
    #"{"gateway":"dc-atl-rf","site":"DC-ATL","device":"rf-38","operator":"op-28","scannedAt":"2026-11-25T17:53:00-05:00","action":"RCV","location":"DOCK3","barcode":"https://id.example.com/01/00614141000098","quantity":9,"uom":"CS"}"#,
    #"{"gateway":"highdesert-wms","site":"3PL-RNO","device":"rf-29","operator":"op-38","scannedAt":"2026-11-25T14:52:43-08:00","action":"GR","location":"3PL-RNO/RCV/D02","barcode":"]C10100614141000074","quantity":6,"uom":"MTR"}"#,
    #"{"gateway":"dc-atl-rf","site":"DC-ATL","device":"rf-22","operator":"op-7","scannedAt":"2026-11-25T17:51:34-05:00","action":"MOV","location":"DC-ATL/STO/A02/04/A","barcode":"https://id.example.com/01/00614141000043/10/L2519?17=280217","toLocation":"DC-ATL/STO/A02/04/B"}"#,
    #"{"gateway":"dc-atl-rf","site":"DC-ATL","device":"rf-36","operator":"op-19","scannedAt":"2026-11-25T17:53:01-05:00","action":"MOV","location":"DC-ATL/STO/A03/04/B","barcode":"]C10100614141000074","toLocation":"DC-ATL/STO/A02/04/C","quantity":152,"uom":"MTR"}"#,
    #"{"gateway":"dc-atl-rf","site":"DC-ATL","device":"rf-55","operator":"op-15","scannedAt":"2026-11-25T17:53:01-05:00","action":"MOV","location":"DC-ATL/STO/A01/01/C","barcode":"]C1010061414100005021SN205907","toLocation":"DC-ATL/STO/A03/02/C"}"#,
    #"{"gateway":"dc-den-rf","site":"DC-DEN","device":"rf-41","operator":"op-11","scannedAt":"2026-11-25T15:51:54-07:00","action":"RECEIPT","location":"R-03","barcode":"]C10100614141000029","quantity":7,"uom":"PALLET"}"#,
    #"{"gateway":"dc-den-rf","site":"DC-DEN","device":"rf-53","operator":"op-3","scannedAt":"2026-11-25T15:52:42-07:00","action":"DAMAGE","location":"DC-DEN/DMG/X01","barcode":"]C10100614141000012"}"#,
    #"{"gateway":"dc-atl-rf","site":"DC-ATL","device":"rf-17","operator":"op-9","scannedAt":"2026-11-25T17:52:53-05:00","action":"RCV","location":"DOCK3","barcode":"]C1010061414100008110L5040"}"#,
    #"{"gateway":"dc-atl-rf","site":"DC-ATL","device":"rf-9","operator":"op-17","scannedAt":"2026-11-25T17:51:33-05:00","action":"RCV","location":"DC-ATL/RCV/D04","barcode":"]C101006141410000673103015478"}"#,
].map { Array($0.utf8) }
let bytesPerScan = scans.reduce(0) { $0 + $1.count } / scans.count

func normalize(_ bytes: [UInt8], with normalizer: Normalizer) -> Int {
    let record = InputRecord(value: bytes, source: .kafka(topic: "scans", partition: 0, offset: 1), recordedAt: recorded)
    let outcomes = normalizer.normalize(record, source: .scan)
    return outcomes.reduce(0) { $0 + $1.jsonBytes().count }
}

let benchmarks: @Sendable () -> Void = {
    // The allocator settings the crossdock executable runs with.
    crossdock_keep_freed_memory()
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        warmupIterations: 10, maxDuration: .seconds(3))
    print("scan mix: \(scans.count) scans, \(bytesPerScan) B on average")
    Benchmark("Scan: normalise + encode, \(scans.count) scans") { benchmark in
        for _ in benchmark.scaledIterations {
            for scan in scans { blackHole(normalize(scan, with: uncached)) }
        }
    }
    Benchmark("Scan: normalise + encode, \(scans.count) scans, barcodes seen before") { benchmark in
        for _ in benchmark.scaledIterations {
            for scan in scans { blackHole(normalize(scan, with: cached)) }
        }
    }
}

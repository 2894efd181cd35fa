public import ArgumentParser
import Foundation
import Hub
import MasterData
import Model
import Normalize

extension Source: ExpressibleByArgument {}

/// `crossdock normalize`: the pipeline's normalisation on files, without Kafka.
struct NormalizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "normalize",
        abstract: "Normalise partner files into canonical events, printed as JSON lines.",
        discussion: """
            Each file is one input record, as it would arrive on a raw topic. Every document in it becomes one \
            canonical event or one crossdock.rejected.v1 record, both printed as CloudEvents JSON lines on \
            standard output. Exit status: 0 when everything became canonical, 1 when anything was rejected, \
            2 on usage errors or master-data errors.
            """)

    @Option(help: "The master-data folder (locations.yaml, items.yaml, partners/).") var masterdata: String
    @Option(help: "The kind of input: asn, scan or carrier.") var source: Source
    @Option(help: "The sending partner, as the crossdock-partner header of an API gateway would name it.")
    var partner: String?
    @Option(help: "The processing time to stamp (RFC 3339), for reproducible output; default: now.")
    var recordedAt: String?
    @Option(help: "Files larger than this many bytes are rejected with MESSAGE_TOO_LARGE, as the hub's maxRecordBytes does.")
    var maxRecordBytes = 10 * 1024 * 1024
    @Argument(help: "Input files ('-' reads standard input).") var files: [String]

    func run() async throws {
        let snapshot: MasterDataSnapshot
        do {
            snapshot = try MasterDataLoader.load(directory: masterdata)
        } catch {
            printError("crossdock normalize: \(error)")
            throw ExitCode(2)
        }
        if snapshot.hasErrors {
            for diagnostic in snapshot.diagnostics where diagnostic.severity == .error {
                printError("\(diagnostic.code)\t\(diagnostic.location ?? "-")\t\(diagnostic.message)")
            }
            printError("crossdock normalize: the master data in \(masterdata) has errors; run crossdock masterdata check")
            throw ExitCode(2)
        }
        let recorded: Timestamp
        if let recordedAt {
            guard let parsed = Timestamp(rfc3339: recordedAt) else {
                throw ValidationError("--recorded-at '\(recordedAt)' is not an RFC 3339 date-time with offset")
            }
            recorded = parsed
        } else {
            recorded = Timestamp.current()
        }
        guard maxRecordBytes > 0 else { throw ValidationError("--max-record-bytes must be positive") }
        let normalizer = Normalizer(snapshot: snapshot, maximumRecordSize: maxRecordBytes, links: ShipmentLinks())
        var rejected = false
        var output = FileHandleOutput()
        for file in files {
            let bytes: [UInt8]
            do {
                bytes = file == "-" ? Array(FileHandle.standardInput.readDataToEndOfFile()) : try readFile(file)
            } catch {
                printError("crossdock normalize: cannot read \(file): \(error.localizedDescription)")
                throw ExitCode(2)
            }
            let record = InputRecord(
                value: bytes, headers: partner.map { [("crossdock-partner", $0)] } ?? [], source: .file(file),
                recordedAt: recorded)
            // Written as they come: a large interchange's events are not held until its end.
            normalizer.normalize(record, source: source) { outcome in
                if outcome.isRejection { rejected = true }
                output.write(outcome.jsonBytes() + [0x0A])
            }
        }
        output.flush()
        if rejected { throw ExitCode.failure }
    }
}

/// A file's bytes, read straight into one array (through `Data` they were held twice at once);
/// every command that reads input files uses it.
func readFile(_ path: String) throws -> [UInt8] {
    let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    var bytes = [UInt8]()
    // A pipe or FIFO has no size to seek to: then the array grows as it is read.
    if let size = try? handle.seekToEnd() {
        try handle.seek(toOffset: 0)
        bytes.reserveCapacity(Int(size))
    }
    while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
        bytes.append(contentsOf: chunk)
    }
    return bytes
}

/// Buffered standard output for JSON lines.
struct FileHandleOutput {
    private var buffer: [UInt8] = []

    mutating func write(_ bytes: [UInt8]) {
        buffer += bytes
        if buffer.count > 1 << 16 { flush() }
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}

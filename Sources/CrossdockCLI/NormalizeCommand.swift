public import ArgumentParser
import Foundation
import Hub
import MasterData
import Model
import Normalize

extension Source: ExpressibleByArgument {}

/// `--source`: a kind of input, or `auto` to recognise each file's kind from its content (as the
/// hub does on a raw topic routed `auto`).
enum SourceOption: String, ExpressibleByArgument, CaseIterable {
    case asn, scan, carrier, auto

    /// The kind to normalise `bytes` as: the one given, or the one recognised (a ship notice when
    /// nothing is recognised, whose reading then says what is wrong).
    func kind(of bytes: [UInt8]) -> Source {
        Source(rawValue: rawValue) ?? Source.detect(bytes) ?? .asn
    }
}

/// `crossdock normalize`: the pipeline's normalisation on files, without Kafka.
struct NormalizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "normalize",
        abstract: "Normalise partner files into canonical events, printed as JSON lines.",
        discussion: """
            Each file is one input record, as it would arrive on a raw topic. Each document in it becomes a \
            canonical event; the documents that cannot become one make the file's one crossdock.rejected.v1 \
            record. Both are printed as CloudEvents JSON lines on standard output. Exit status: 0 when \
            everything became canonical, 1 when anything was rejected, 2 on usage errors, unreadable files or \
            master-data errors.
            """,
        aliases: ["normalise"])

    @Option(help: "The master-data folder (locations.yaml, items.yaml, partners/).") var masterdata: String
    @Option(help: "The kind of input: asn, scan, carrier, or auto (recognised from each file's content).") var source: SourceOption
    @Option(help: "The sending partner, as the crossdock-partner header of an API gateway would name it.")
    var partner: String?
    @Option(help: "The processing time to stamp (RFC 3339), for reproducible output; default: now.")
    var recordedAt: String?
    @Option(help: "Files larger than this many bytes are rejected with MESSAGE_TOO_LARGE, as the hub's maxRecordBytes does.")
    var maxRecordBytes = 10 * 1024 * 1024
    @Option(help: "Events larger than this many bytes, with their key and headers, are rejected with MESSAGE_TOO_LARGE, as the hub's maxOutputBytes does.")
    var maxOutputBytes = HubConfiguration().maxOutputBytes
    @Argument(help: "Input files ('-' reads standard input).") var files: [String]

    func run() async throws {
        let snapshot = try loadCleanMasterData(masterdata, command: "normalize")
        let recorded = try recordedTime(recordedAt)
        guard maxRecordBytes > 0 else { throw ValidationError("--max-record-bytes must be a positive number of bytes (given: \(maxRecordBytes))") }
        guard maxOutputBytes >= HubConfiguration.minimumOutputBytes else {
            throw ValidationError("--max-output-bytes must be at least \(HubConfiguration.minimumOutputBytes), as the hub's maxOutputBytes (given: \(maxOutputBytes))")
        }
        if let partner, partner.isEmpty { throw ValidationError("--partner must name a partner id; it is empty") }
        var normalizer = Normalizer(snapshot: snapshot, maximumRecordSize: maxRecordBytes)
        // An event the hub could not produce is its input's rejection there, and here.
        normalizer.maximumOutputBytes = maxOutputBytes
        var rejected = false
        var unreadable = false
        var output = FileHandleOutput()
        for file in files {
            let input: (bytes: [UInt8], complete: Bool)
            do {
                input = try readInput(file, limit: maxRecordBytes)
            } catch {
                // The files before it were printed, and those after it are still read.
                output.flush()
                printError("crossdock normalize: \(error.description)")
                unreadable = true
                continue
            }
            var record = InputRecord(
                value: input.bytes, headers: partner.map { [("crossdock-partner", $0)] } ?? [], source: .file(file),
                recordedAt: recorded)
            record.isCut = !input.complete
            // An acknowledgment a known partner sent is recorded by the hub, not normalised.
            if input.complete, let received = Acknowledgments.received(record.value), let partner = received.partner(in: snapshot) {
                output.flush()
                printError(
                    "\(TerminalText.escape(file)): an acknowledgment (\(received.format), \(received.status)) from \(partner): "
                        + "the hub records it on the acknowledgments-received topic; nothing to normalise")
                continue
            }
            // Written as they come: a large interchange's events are not held until its end.
            normalizer.normalize(record, source: source.kind(of: record.value)) { outcome in
                if outcome.isRejection { rejected = true }
                output.write(outcome.jsonBytes() + [0x0A])
            }
        }
        output.flush()
        if unreadable { throw ExitCode(2) }
        if rejected { throw ExitCode.failure }
    }
}

/// The master data of a folder for a command that works offline; exit status 2 when it cannot be
/// read or has errors (each printed).
func loadCleanMasterData(_ folder: String, command: String) throws -> MasterDataSnapshot {
    let snapshot: MasterDataSnapshot
    do {
        snapshot = try MasterDataLoader.load(directory: folder)
    } catch {
        printError("crossdock \(command): \(error)")
        throw ExitCode(2)
    }
    if snapshot.hasErrors {
        for diagnostic in snapshot.diagnostics where diagnostic.severity == .error {
            printError("\(diagnostic.code)\t\(diagnostic.location ?? "-")\t\(diagnostic.message)")
        }
        printError("crossdock \(command): the master data in \(folder) has errors; run crossdock masterdata check")
        throw ExitCode(2)
    }
    return snapshot
}

/// `--recorded-at`: the time given (RFC 3339 with an offset), else now.
func recordedTime(_ text: String?) throws -> Timestamp {
    guard let text else { return Timestamp.current() }
    guard let parsed = Timestamp(rfc3339: text) else {
        throw ValidationError("--recorded-at '\(text)' is not an RFC 3339 date-time with offset")
    }
    return parsed
}

/// Why an input cannot be read; a usage error (exit status 2) for the commands.
struct InputReadError: Error, CustomStringConvertible {
    var description: String
}

/// An input's bytes, read straight into one array: a file or standard input (`-`). With a
/// `limit`, at most `limit + 1` bytes are read, so `/dev/zero` or an endless pipe cannot exhaust
/// memory; `complete` says whether the input ended within them. A directory is refused.
func readInput(_ path: String, limit: Int? = nil) throws(InputReadError) -> (bytes: [UInt8], complete: Bool) {
    let handle: FileHandle
    if path == "-" {
        handle = FileHandle.standardInput
    } else {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputReadError(description: "\(path): no such file")
        }
        guard !isDirectory.boolValue else { throw InputReadError(description: "\(path) is a directory; give the files in it") }
        do {
            handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        } catch {
            throw InputReadError(description: "cannot read \(path): \(error.localizedDescription)")
        }
    }
    defer { if path != "-" { try? handle.close() } }
    let most = limit.map { $0 &+ 1 } ?? Int.max
    var bytes = [UInt8]()
    // A pipe, FIFO or device has no size to seek to (or a false one): the array grows as it is read.
    if path != "-", let size = try? handle.seekToEnd(), size > 0, (try? handle.seek(toOffset: 0)) != nil {
        bytes.reserveCapacity(Int(min(UInt64(most), size)))
    }
    do {
        while bytes.count < most, let chunk = try handle.read(upToCount: min(1 << 20, most - bytes.count)), !chunk.isEmpty {
            bytes.append(contentsOf: chunk)
        }
    } catch {
        throw InputReadError(description: "cannot read \(path): \(error.localizedDescription)")
    }
    return (bytes, bytes.count < most)
}

/// A whole file's bytes (no limit); every command that reads input files uses ``readInput``.
func readFile(_ path: String) throws(InputReadError) -> [UInt8] {
    try readInput(path).bytes
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

import ArgumentParser
import Foundation
import Hub
import MasterData
import Model
import Reconcile

/// `crossdock reconcile`: the reconciliation stage on canonical events in files, without Kafka.
struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Reconcile receipts against ship notices from canonical events, printed as JSON lines.",
        discussion: """
            Reads canonical events as JSON lines (as crossdock normalize prints them; rejections are passed \
            over) in the order given, joins ship notices, scans and carrier statuses per shipment as the \
            correlation stage does, closes every receipt still open at the end of the input, and prints the \
            crossdock.receipt.reconciliation.v1 and crossdock.supplier.scorecard.v1 records as CloudEvents JSON \
            lines. A line that is not a canonical event is reported on standard error with its file and line \
            and passed over. Exit status: 0, or 2 on usage errors, unreadable files or master-data errors.
            """)

    @Option(help: "The master-data folder (locations.yaml, items.yaml, partners/).") var masterdata: String
    @Option(help: "Close a receipt after this long without a scan, in event time: minutes (90m), hours (24h) or days (2d).")
    var closeAfter = "24h"
    @Argument(help: "Files of canonical events, one JSON object per line ('-' reads standard input).") var files: [String]

    /// The most one input file may hold (a file of canonical events is read whole).
    static let maximumInputBytes = 1 << 30

    func run() async throws {
        let snapshot = try loadCleanMasterData(masterdata, command: "reconcile")
        guard let period = HubConfiguration.period(closeAfter) else {
            throw ValidationError("--close-after '\(closeAfter)' is not a period such as 90m, 24h or 2d")
        }
        var reconciler = Reconciler(snapshot: snapshot, settings: ReconcileSettings(closeAfter: period))
        // Receipts are reconciled once per batch of events, as the service does per poll.
        reconciler.settleInBatches()
        var batch = 0
        var output = FileHandleOutput()
        var unreadable = false
        var skipped = 0
        func write(_ records: [StageOutput]) {
            for record in records { if let bytes = record.recordBytes { output.write(bytes + [0x0A]) } }
        }
        for file in files {
            let input: (bytes: [UInt8], complete: Bool)
            do {
                input = try readInput(file, limit: Self.maximumInputBytes)
            } catch {
                output.flush()
                printError("crossdock reconcile: \(error.description)")
                unreadable = true
                continue
            }
            if !input.complete {
                output.flush()
                printError("crossdock reconcile: \(file) is larger than \(Self.maximumInputBytes) bytes; split it")
                unreadable = true
                continue
            }
            var lineNumber = 0
            for line in input.bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
                lineNumber += 1
                guard line.contains(where: { $0 != 0x20 && $0 != 0x0D && $0 != 0x09 }) else { continue }
                switch Self.event(Array(line)) {
                case .success(let event?):
                    write(reconciler.add(event))
                    batch += 1
                    if batch == Self.batchSize {
                        batch = 0
                        write(reconciler.settle())
                    }
                case .success(nil):
                    skipped += 1
                case .failure(let reason):
                    output.flush()
                    printError("\(file):\(lineNumber): not a canonical event (\(reason)); passed over")
                }
            }
            write(reconciler.advance())
        }
        write(reconciler.advance(endOfInput: true))
        output.flush()
        if skipped > 0 { printError("crossdock reconcile: \(skipped) rejection records passed over") }
        if unreadable { throw ExitCode(2) }
    }

    /// Events per batch: the service's poll takes up to 500 records.
    static let batchSize = 500

    /// A canonical event, nil for a rejection record (`normalize` prints both), or why the line is neither.
    static func event(_ line: [UInt8]) -> Result<CanonicalEvent?, ReadFailure> {
        do {
            return .success(try CanonicalEvent(jsonBytes: line))
        } catch {
            if let value = try? JSONParser.parse(line), (try? JSONObjectReader(value, at: .root).string("type")) == EventType.rejected.rawValue {
                return .success(nil)
            }
            return .failure(ReadFailure(description: "\(error)"))
        }
    }

    struct ReadFailure: Error, CustomStringConvertible {
        var description: String
    }
}

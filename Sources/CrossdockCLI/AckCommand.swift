import ArgumentParser
import Foundation
import Hub
import MasterData
import Model
import Normalize

/// `crossdock ack`: the acknowledgments the hub would send back for partner files.
struct AckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ack",
        abstract: "Print the acknowledgments (X12 TA1 and 997, EDIFACT CONTRL) partner files would get back.",
        discussion: """
            Each file is one input record. For each interchange from a partner whose profile asks for \
            acknowledgments, the acknowledgment interchange is printed to standard output as the partner \
            would receive it (X12 as X12 text, EDIFACT as EDIFACT text). Exit status: 0 when every file got its acknowledgments, 1 \
            when a file got none (the reason on standard error: unknown partner, not EDI, the profile asks \
            for none), 2 on usage errors, unreadable files or master-data errors.
            """)

    @Option(help: "The master-data folder (locations.yaml, items.yaml, partners/).") var masterdata: String
    @Option(help: "The sending partner, as the partner's own topic or a crossdock-partner header would name it.")
    var partner: String?
    @Option(help: "The input record's time (RFC 3339), which dates the acknowledgment; default: now.")
    var recordedAt: String?
    @Option(help: "The hub's YAML configuration, for our side of the envelope (acknowledgments.x12, acknowledgments.edifact).")
    var config: String?
    @Option(help: "Files larger than this many bytes are not acknowledged, as the hub's maxRecordBytes.")
    var maxRecordBytes = 10 * 1024 * 1024
    @Argument(help: "Input files ('-' reads standard input).") var files: [String]

    func run() async throws {
        let snapshot = try loadCleanMasterData(masterdata, command: "ack")
        let time = try recordedTime(recordedAt)
        var settings = HubConfiguration()
        if let config {
            do {
                try settings.apply(yaml: try String(contentsOfFile: config, encoding: .utf8), file: config)
            } catch {
                printError("crossdock ack: \(error)")
                throw ExitCode(2)
            }
        }
        guard maxRecordBytes > 0 else { throw ValidationError("--max-record-bytes must be a positive number of bytes (given: \(maxRecordBytes))") }
        if let partner, partner.isEmpty { throw ValidationError("--partner must name a partner id; it is empty") }
        var unacknowledged = false
        var unreadable = false
        var output = FileHandleOutput()
        for file in files {
            let input: (bytes: [UInt8], complete: Bool)
            do {
                input = try readInput(file, limit: maxRecordBytes)
            } catch {
                output.flush()
                printError("crossdock ack: \(error.description)")
                unreadable = true
                continue
            }
            guard input.complete else {
                output.flush()
                printError("crossdock ack: \(file): more than \(maxRecordBytes) bytes: not acknowledged")
                unacknowledged = true
                continue
            }
            switch Acknowledgments.make(
                input.bytes, partner: partner, snapshot: snapshot, time: time, sender: settings.x12AcknowledgmentSender,
                edifactSender: settings.edifactAcknowledgmentSender)
            {
            case .success(let written):
                for acknowledgment in written {
                    output.write(acknowledgment.bytes)
                    // One interchange per line group, however its segments end.
                    if acknowledgment.bytes.last != 0x0A { output.write([0x0A]) }
                }
            case .failure(let reason):
                output.flush()
                printError("crossdock ack: \(TerminalText.escape(file)): no acknowledgment: \(reason)")
                unacknowledged = true
            }
        }
        output.flush()
        if unreadable { throw ExitCode(2) }
        if unacknowledged { throw ExitCode.failure }
    }
}

import Foundation
import Synchronization
import Testing
import TestSupport

/// Runs the built `crossdock` executable, as users and scripts do.
enum CLIProcess {
    static let root = TestSupport.root

    /// The built executable.
    static func executable() throws -> URL { try TestSupport.crossdockExecutable() }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// `stdinFile` is the process's standard input (none when not given).
    static func run(_ arguments: [String], environment: [String: String] = [:], stdinFile: URL? = nil) throws -> Output {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        process.standardInput = try stdinFile.map { try FileHandle(forReadingFrom: $0) } ?? FileHandle.nullDevice
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes while the process runs, so a large output cannot block it.
        let errData = Mutex(Data())
        let reader = Thread { errData.withLock { $0 = err.fileHandleForReading.readDataToEndOfFile() } }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !reader.isFinished { usleep(1000) }
        return Output(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData.withLock { $0 }, as: UTF8.self))
    }
}

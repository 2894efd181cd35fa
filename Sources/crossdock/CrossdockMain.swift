import ArgumentParser
import CAllocator
import CrossdockCLI
import Foundation

@main
struct CrossdockMain {
    static func main() async {
        crossdock_keep_freed_memory()
        do {
            var command = try Crossdock.parseAsRoot(nil)
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            // Every command documents exit status 2 for usage errors; the parser's own is 64.
            let code = Crossdock.exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((Crossdock.fullMessage(for: error) + "\n").utf8))
                Crossdock.exit(withError: ExitCode(2))
            }
            Crossdock.exit(withError: error)
        }
    }
}

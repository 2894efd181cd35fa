import ArgumentParser
import CAllocator
import CrossdockCLI
import Foundation

@main
struct CrossdockMain {
    static func main() async {
        crossdock_keep_freed_memory()
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            var command = try Crossdock.parseAsRoot(arguments)
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            // Every command documents exit status 2 for usage errors; the parser's own is 64.
            guard Crossdock.exitCode(for: error) == .validationFailure else { Crossdock.exit(withError: error) }
            var message = Crossdock.fullMessage(for: error)
            if let suggestion = Suggestion.forUsageError(arguments) { message = "\(suggestion)\n\(message)" }
            // The parser's message quotes the arguments, which may hold terminal controls.
            let lines = message.split(separator: "\n", omittingEmptySubsequences: false).map { TerminalText.escape(String($0)) }
            FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
            Crossdock.exit(withError: ExitCode(2))
        }
    }
}

/// "Did you mean ...?" for a mistyped command or option: the closest known name within two edits.
enum Suggestion {
    static func forUsageError(_ arguments: [String]) -> String? {
        guard let first = arguments.first, !first.hasPrefix("-") else { return nil }
        let commands = Crossdock.configuration.subcommands
        let names = commands.flatMap { [$0._commandName] + $0.configuration.aliases }
        guard let command = commands.first(where: { ([$0._commandName] + $0.configuration.aliases).contains(first) }) else {
            return closest(to: first, in: names).map { "crossdock: unknown command '\(first)'; did you mean '\($0)'?" }
        }
        // The options the command's help lists.
        let help = Crossdock.helpMessage(for: command)
        let options = Set(help.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "-") }).map(String.init).filter { $0.hasPrefix("--") })
        for argument in arguments.dropFirst() {
            if argument == "--" { break }
            let name = String(argument.split(separator: "=", maxSplits: 1).first ?? "")
            guard name.hasPrefix("--"), !options.contains(name), let near = closest(to: name, in: Array(options)) else { continue }
            return "crossdock \(first): unknown option '\(name)'; did you mean '\(near)'?"
        }
        return nil
    }

    static func closest(to word: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(word, $0)) }.filter { $0.1 <= 2 }
        return scored.min { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }?.0
    }

    /// Levenshtein distance.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

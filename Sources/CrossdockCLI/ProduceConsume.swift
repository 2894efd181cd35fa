import ArgumentParser
import Foundation
import Kafka

/// `crossdock produce`: sends files as records, one file per record, and prints where each landed.
struct ProduceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "produce",
        abstract: "Send files to a topic, one record per file, and print each delivery as a JSON line.")

    @OptionGroup var kafka: KafkaOptions
    @Option(help: "The topic to write to.") var topic: String
    @Option(help: "The record key.") var key: String?
    @Option(name: .customLong("header"), help: ArgumentHelp("A header, repeatable.", valueName: "key=value"))
    var headers: [String] = []
    @Argument(help: "Files to send ('-' reads standard input).") var files: [String]

    func run() async throws {
        let headerList = try headers.map { text -> KafkaHeader in
            guard let equals = text.firstIndex(of: "=") else { throw ValidationError("--header expects key=value") }
            return KafkaHeader(key: String(text[..<equals]), string: String(text[text.index(after: equals)...]))
        }
        try await kafka.requireBroker(command: "produce")
        let producer = try KafkaProducer(
            configuration: kafka.configuration(), logger: kafka.logger(label: "crossdock.produce"))
        var failed = false
        for file in files {
            let bytes: [UInt8]
            if file == "-" {
                bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
            } else {
                bytes = try readFile(file)
            }
            let record = KafkaOutgoingRecord(
                topic: topic, key: key.map { Array($0.utf8) }, value: bytes, headers: headerList)
            do {
                let report = try await producer.send(record)
                printJSON([
                    "file": file, "topic": report.topic, "partition": Int(report.partition),
                    "offset": Int(report.offset),
                ])
            } catch {
                failed = true
                printJSON(["file": file, "error": "\(error)"])
            }
        }
        await producer.shutdown()
        if failed { throw ExitCode.failure }
    }
}

/// `crossdock consume`: reads records and prints them as JSON lines.
struct ConsumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consume",
        abstract: "Read records from topics and print them as JSON lines.")

    @OptionGroup var kafka: KafkaOptions
    @Option(name: .customLong("topic"), help: "A topic to read, repeatable.") var topics: [String]
    @Option(help: "Consumer group; with a group, offsets are committed after printing and the next run resumes.")
    var group: String?
    @Option(help: "Read only this partition of the (single) topic, from --offset, without group rebalancing.")
    var partition: Int32?
    @Option(help: "With --partition: the offset to start at.") var offset: Int64?
    @Option(help: "Stop after this many records.") var max: Int?
    @Option(help: "Stop when no record arrived for this many seconds after partitions were assigned.")
    var idleTimeout: Double = 10
    @Option(help: "Give up when no partition was assigned within this many seconds.") var joinTimeout: Double = 60

    func run() async throws {
        let groupID =
            group
            ?? "crossdock-cli-\(ProcessInfo.processInfo.processIdentifier)-\(UInt64(Date().timeIntervalSince1970))"
        if offset != nil, partition == nil { throw ValidationError("--offset needs --partition (and one --topic)") }
        try await kafka.requireBroker(command: "consume")
        let consumer = try KafkaConsumer(
            configuration: kafka.configuration(defaults: KafkaOptions.interactiveConsumerDefaults), groupID: groupID,
            logger: kafka.logger(label: "crossdock.consume"))
        if let partition {
            guard topics.count == 1, let offset else {
                throw ValidationError("--partition needs exactly one --topic and an --offset")
            }
            try consumer.assign([KafkaTopicPartition(topic: topics[0], partition: partition): offset])
        } else {
            try consumer.subscribe(topics: topics)
        }
        var seen = 0
        let started = ContinuousClock.now
        var idleSince: ContinuousClock.Instant?
        while max.map({ seen < $0 }) ?? true {
            let records = try await consumer.poll(maxRecords: Swift.min(500, max.map { $0 - seen } ?? 500))
            if records.isEmpty {
                // The idle clock runs only once the group gave us partitions.
                if idleSince == nil, try !consumer.assignment().isEmpty { idleSince = .now }
                if let idleSince, ContinuousClock.now - idleSince > .milliseconds(Int(idleTimeout * 1000)) { break }
                if idleSince == nil, ContinuousClock.now - started > .milliseconds(Int(joinTimeout * 1000)) {
                    FileHandle.standardError.write(
                        Data("crossdock consume: no partitions assigned within \(joinTimeout) s\n".utf8))
                    break
                }
                continue
            }
            idleSince = ContinuousClock.now
            for record in records {
                printJSON(RecordView(record).json)
                if group != nil { try consumer.storeOffset(for: record) }
                seen += 1
            }
        }
        if group != nil { try await consumer.commit() }
        await consumer.close()
        if let max, seen < max { throw ExitCode.failure }
    }
}

/// A consumed record as the CLI prints it: text values as strings, binary ones as base64.
struct RecordView {
    let json: [String: Any]

    init(_ record: KafkaConsumerRecord) {
        var json: [String: Any] = [
            "topic": record.topic, "partition": Int(record.partition), "offset": Int(record.offset),
        ]
        if let key = record.key { json["key"] = Self.text(key) }
        json["headers"] = record.headers.map { header -> [String: Any] in
            ["key": header.key, "value": header.value.map(Self.text) as Any? ?? NSNull()]
        }
        if let timestamp = record.timestampMilliseconds { json["timestamp"] = Int(timestamp) }
        if let value = String(validating: record.value, as: UTF8.self) {
            json["value"] = value
        } else {
            json["valueBase64"] = Data(record.value).base64EncodedString()
        }
        self.json = json
    }

    private static func text(_ bytes: [UInt8]) -> String {
        String(validating: bytes, as: UTF8.self) ?? "base64:" + Data(bytes).base64EncodedString()
    }
}

func printJSON(_ object: [String: Any]) {
    guard
        let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    else { return }
    print(String(decoding: data, as: UTF8.self))
}

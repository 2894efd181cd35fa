public import Normalize

/// What the hub knows of a raw topic: the kind of input on it and the partner that owns it.
public struct RawTopicRoute: Sendable, Equatable {
    /// `nil`: recognise each record.
    public var kind: Source?
    /// `nil`: the topic belongs to no one partner.
    public var partner: String?

    public init(kind: Source?, partner: String?) {
        self.kind = kind
        self.partner = partner
    }
}

/// A topic name or, when it starts with `^`, a regular expression over topic names, as Kafka
/// clients spell a subscription by pattern (`^suppliers\..*\.asn\.raw$`). A pattern matches a
/// topic when it matches from the start of the name, as librdkafka's subscription does.
public struct TopicSelector: Sendable, Hashable, CustomStringConvertible {
    public let description: String

    public init(_ text: String) throws(HubConfiguration.ConfigurationError) {
        if text.hasPrefix("^") {
            do {
                _ = try Regex(text)
            } catch {
                throw HubConfiguration.ConfigurationError(description: "'\(text)' is not a valid topic pattern: \(error)")
            }
        } else if !HubConfiguration.isValidTopicName(text) {
            throw HubConfiguration.ConfigurationError(description: "'\(text)' is \(HubConfiguration.topicNameRule)")
        }
        description = text
    }

    public var isPattern: Bool { description.hasPrefix("^") }

    public func matches(_ topic: String) -> Bool {
        guard isPattern else { return topic == description }
        // Checked in init; a pattern is matched once per topic name (the hub keeps the answer).
        guard let regex = try? Regex(description) else { return false }
        return topic.firstMatch(of: regex) != nil
    }
}

extension HubConfiguration {
    /// The route of a raw topic: an entry of its own name wins over patterns; among patterns, the
    /// first in sorted order that matches. A topic nothing names is recognised per record and has
    /// no owning partner.
    public func route(of topic: String) -> RawTopicRoute {
        func lookup<Value>(_ map: [String: Value]) -> Value? {
            if let value = map[topic] { return value }
            return map.keys.filter { $0.hasPrefix("^") }.sorted()
                .first { (try? TopicSelector($0))?.matches(topic) ?? false }
                .flatMap { map[$0] }
        }
        return RawTopicRoute(kind: lookup(rawTopics) ?? nil, partner: lookup(topicPartners))
    }
}

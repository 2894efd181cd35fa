/// The X12 syntax error codes an acknowledgment reports (X12.6; the 997's AK3, AK4, AK5, AK9 and
/// the TA1's TA105). Readers note them beside their diagnostics, where the fault is found.

/// AK304: why a segment of a transaction set is in error.
public enum X12SegmentSyntaxError: String, Sendable, Hashable {
    case unrecognizedSegmentID = "1"
    case unexpectedSegment = "2"
    case mandatorySegmentMissing = "3"
    case loopOverMaximum = "4"
    case segmentOverMaximumUse = "5"
    case segmentNotInSet = "6"
    case segmentNotInSequence = "7"
    case dataElementErrors = "8"
}

/// AK403: why a data element is in error.
public enum X12ElementSyntaxError: String, Sendable, Hashable {
    case mandatoryElementMissing = "1"
    case conditionalElementMissing = "2"
    case tooManyElements = "3"
    case tooShort = "4"
    case tooLong = "5"
    case invalidCharacter = "6"
    case invalidCodeValue = "7"
    case invalidDate = "8"
    case invalidTime = "9"
    case exclusionViolated = "10"
}

/// AK502: why a transaction set is in error.
public enum X12SetSyntaxError: String, Sendable, Hashable {
    case notSupported = "1"
    case trailerMissing = "2"
    case controlNumberMismatch = "3"
    case segmentCountMismatch = "4"
    case segmentsInError = "5"
    case invalidIdentifier = "6"
    case invalidControlNumber = "7"
    case controlNumberNotUnique = "23"
}

/// AK905: why a functional group is in error.
public enum X12GroupSyntaxError: String, Sendable, Hashable {
    case notSupported = "1"
    case versionNotSupported = "2"
    case trailerMissing = "3"
    case controlNumberMismatch = "4"
    case setCountMismatch = "5"
    case invalidControlNumber = "6"
}

/// TA105: what is wrong with an interchange's envelope.
public enum X12InterchangeNote: String, Sendable, Hashable {
    case noError = "000"
    case controlNumberMismatch = "001"
    case versionNotSupported = "003"
    case invalidSenderQualifier = "005"
    case invalidSenderID = "006"
    case invalidReceiverQualifier = "007"
    case invalidReceiverID = "008"
    case invalidDate = "014"
    case invalidTime = "015"
    case invalidControlNumber = "018"
    case invalidAcknowledgmentRequested = "019"
    case invalidTestIndicator = "020"
    case invalidGroupCount = "021"
    case invalidControlStructure = "022"
    case prematureEnd = "023"
    case invalidContent = "024"
}

/// One data element in error (AK4): its position in the segment (and in its composite), its
/// data element reference number where known, the code, and a copy of the bad data.
public struct X12ElementError: Sendable, Hashable {
    public var position: Int
    public var component: Int?
    public var reference: String?
    public var code: X12ElementSyntaxError
    public var data: String?

    public init(position: Int, component: Int? = nil, reference: String? = nil, code: X12ElementSyntaxError, data: String? = nil) {
        self.position = position
        self.component = component
        self.reference = reference
        self.code = code
        self.data = data
    }
}

/// One segment in error (AK3): its tag, its position in the set (ST is 1), and its elements in
/// error.
public struct X12SegmentError: Sendable, Hashable {
    public var tag: String
    public var position: Int
    public var code: X12SegmentSyntaxError
    public var elements: [X12ElementError]

    public init(tag: String, position: Int, code: X12SegmentSyntaxError, elements: [X12ElementError] = []) {
        self.tag = tag
        self.position = position
        self.code = code
        self.elements = elements
    }
}

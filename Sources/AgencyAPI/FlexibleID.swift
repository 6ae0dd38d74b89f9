import AgencyDomain

/// An id in a request body. ActiveCampaign v3 sends ids as strings, but clients send numbers too:
/// both are accepted, and a number too large to be exact is refused rather than rounded.
public struct FlexibleID: Codable, Hashable, Sendable {
    public var value: Int64

    public init(_ value: Int64) { self.value = value }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int64.self), abs(Double(number)) <= JSONNumber.exactIntegerLimit {
            value = number
        } else if let text = try? container.decode(String.self), let number = Int64(text) {
            value = number
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "Expected an id (a number or a string of digits).")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

/// An optional that is written as `null` rather than left out, so that scripts can rely on the key
/// being there. (Synthesised `Encodable` skips nil optionals.)
public struct OrNull<Wrapped: Codable & Sendable>: Codable, Sendable {
    public var value: Wrapped?

    public init(_ value: Wrapped?) { self.value = value }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        value = container.decodeNil() ? nil : try container.decode(Wrapped.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

extension KeyedDecodingContainer {
    /// A missing `OrNull` key reads as null, as for a plain optional.
    public func decode<T>(_ type: OrNull<T>.Type, forKey key: Key) throws -> OrNull<T> {
        try decodeIfPresent(type, forKey: key) ?? OrNull(nil)
    }
}

/// An optional that is written as `null` rather than left out, so that scripts can rely on the key
/// being there. (Synthesised `Encodable` skips nil optionals.)
struct OrNull<Wrapped: Encodable>: Encodable {
    var value: Wrapped?

    init(_ value: Wrapped?) { self.value = value }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

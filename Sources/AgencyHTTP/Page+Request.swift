import AgencyDomain
import Hummingbird

extension Page {
    /// `?limit=&offset=` from a request. A limit above the maximum is clamped to it (as v3 does);
    /// anything that is not a whole number in range is refused, naming the parameter.
    init(_ request: Request) throws {
        func number(_ name: String, atLeast minimum: Int) throws -> Int? {
            guard let text = request.query(name) else { return nil }
            guard let value = Int(text), value >= minimum else {
                throw DomainError.invalid(field: name, message: "'\(name)' must be a whole number of at least \(minimum).")
            }
            return value
        }
        self.init(limit: try number("limit", atLeast: 1), offset: try number("offset", atLeast: 0))
    }
}

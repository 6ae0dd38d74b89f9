import AgencyDomain
import Hummingbird

/// An id in a path. Anything that is not a positive integer cannot name a record, so it is "not found".
func pathID(_ context: AppRequestContext, _ name: String = "id", what: String) throws -> Int64 {
    let raw = context.parameters.get(name) ?? ""
    guard let id = Int64(raw), id > 0 else { throw DomainError.notFound(what: "\(what) \(raw)") }
    return id
}

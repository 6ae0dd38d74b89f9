import Hummingbird

/// A refusal that is about HTTP itself rather than the domain, e.g. a method a resource never allows.
struct Refusal: Error {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    /// Headers the reply must carry, e.g. `Allow` on a 405.
    var headers: HTTPFields = [:]
}

import AgencyDomain
import Hummingbird
import Synchronization

/// Hummingbird answers 404 when a path exists but not for the method; HTTP says 405 with `Allow`.
/// Runs only on that not-found path, so matched routes pay nothing.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let table: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && (context.endpointPath ?? "NotFound") == "NotFound" {
            let allowed = table.methods(forPath: request.uri.path)
            guard !allowed.isEmpty else { throw error }
            throw DomainError.notAllowed(
                code: "method_not_allowed", message: "\(request.method) is not allowed here; this path takes \(allowed.joined(separator: ", ")).",
                allowed: allowed
            )
        }
    }
}

/// The methods each route pattern answers, filled in once every route is registered.
final class RouteTable: Sendable {
    private let routes = Mutex<[(segments: [Substring], method: String)]>([])

    func load(_ routes: [(path: String, method: String)]) {
        self.routes.withLock { table in
            table = routes.map { (Self.segments($0.path), $0.method) }
        }
    }

    /// The methods of every pattern the path matches (`:id` or `{id}` matches any one segment), sorted.
    func methods(forPath path: String) -> [String] {
        let requested = Self.segments(path)
        let methods = routes.withLock { table in
            table.filter { route in
                route.segments.count == requested.count
                    && zip(route.segments, requested).allSatisfy { pattern, segment in pattern.hasPrefix(":") || pattern.hasPrefix("{") || pattern == segment }
            }.map(\.method)
        }
        return Set(methods).sorted()
    }

    static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/")
    }
}

import Hummingbird
import Logging

/// One line per request: method, path, status and duration. Never the query string (it can carry
/// email addresses) and never headers (they carry tokens).
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.info(
            "\(request.method) \(request.uri.path) \(response.status.code)",
            metadata: ["status": "\(response.status.code)", "duration_ms": "\((milliseconds * 10).rounded() / 10)"]
        )
        return response
    }
}

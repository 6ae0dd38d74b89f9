import AgencyAPI
import AgencyDomain
import AgencyStorage
import Hummingbird
import Logging
import NIOCore

/// The one place where errors become HTTP replies. The agency API answers
/// `{"error": {"code", "message"}}`; the per-account API answers in ActiveCampaign v3's shapes.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    /// Error pages on an agency's custom domain wear its brand, not the service's name.
    var hosts: HostBranding?
    /// On the service's own host, a signed-in client's (or agency's) error pages wear its agency's brand.
    var sessions: (database: AppDatabase, cookies: DashboardCookies)?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let failure = Failure(error)
            if failure.status == .internalServerError {
                context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(String(reflecting: error))"])
            }
            // The dashboard is read by people in a browser: its errors are pages.
            if DashboardRoutes.isPagePath(request.uri.path) {
                let brand = await pageBrand(of: request)
                return DashboardPages.errorPage(status: failure.status, message: failure.message, headers: failure.headers, brand: brand)
            }
            let isPerAccountAPI = request.uri.path.hasPrefix("/api/3")
            return try isPerAccountAPI ? failure.activeCampaignReply() : failure.agencyReply()
        }
    }
}

extension ErrorMiddleware {
    /// The brand of the custom domain the request came to, else that of the agency whose client (or
    /// account manager) is signed in, else the service's own.
    func pageBrand(of request: Request) async -> PageBrand {
        if let hosts, let domain = try? await hosts.activeDomain(of: request), let branding = try? await hosts.database.branding(agencyID: domain.agencyID) {
            return PageBrand(branding)
        }
        guard let sessions else { return .service }
        for kind in [DashboardSession.Kind.client, .agency] {
            if let session = try? await DashboardSessionMiddleware.liveSession(of: kind, in: request, database: sessions.database, cookies: sessions.cookies) {
                return session.brand
            }
        }
        return .service
    }
}

/// An error, classified once: status, stable code, message, and the field it concerns.
struct Failure {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    var field: String?
    var headers: HTTPFields = [:]

    init(status: HTTPResponse.Status, code: String, message: String, field: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.headers = headers
    }

    init(_ error: any Error) {
        switch error {
        case let error as DomainError:
            self.init(error)
        case let refusal as DashboardRefusal:
            self.init(status: refusal.status, code: "stale_form", message: refusal.message)
        case is NIOTooManyBytesError:
            self.init(status: .contentTooLarge, code: "body_too_large", message: "The request body is larger than this endpoint accepts.")
        case let error as HTTPError:
            self.init(status: error.status, code: Self.code(for: error.status), message: error.body ?? Self.defaultMessage(for: error.status))
        default:
            self.init(status: .internalServerError, code: "internal_error", message: "Something went wrong on our side; nothing was changed.")
        }
    }

    init(_ error: DomainError) {
        code = error.code
        message = error.message
        switch error {
        case .invalid(let field, _):
            (status, self.field) = (.unprocessableContent, field)
        case .duplicate(let field, _):
            (status, self.field) = (.unprocessableContent, field)
        case .notFound:
            status = .notFound
        case .unauthorized:
            status = .unauthorized
        case .limitReached, .unprocessable:
            status = .unprocessableContent
        case .kindConversion, .conflict:
            status = .conflict
        case .malformed:
            status = .badRequest
        case .notAllowed(_, _, let allowed):
            status = .methodNotAllowed
            headers[.allow] = allowed.joined(separator: ", ")
        case .tooManyAttempts(let seconds):
            status = .tooManyRequests
            headers[.retryAfter] = String(seconds)
        case .busy(let seconds):
            status = .serviceUnavailable
            headers[.retryAfter] = String(seconds)
        }
    }

    static func code(for status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "not_found"
        case .methodNotAllowed: "method_not_allowed"
        case .badRequest: "bad_request"
        case .contentTooLarge: "body_too_large"
        case .unauthorized: "unauthorized"
        default: "http_\(status.code)"
        }
    }

    static func defaultMessage(for status: HTTPResponse.Status) -> String {
        status == .notFound ? "No such endpoint." : status.reasonPhrase
    }

    func agencyReply() throws -> Response {
        try JSONReply.make(ErrorReply(code: code, message: message, field: field), status: status, headers: headers)
    }

    /// v3: field errors as `errors[]` with a JSON pointer, everything else as `{"message"}`.
    func activeCampaignReply() throws -> Response {
        guard status == .unprocessableContent || status == .conflict else {
            return try JSONReply.make(["message": message], status: status, headers: headers)
        }
        struct V3Error: Encodable {
            struct Source: Encodable { var pointer: String }
            var title: String
            var detail: String
            var code: String
            var source: Source?
        }
        let pointer = field.map { "/" + $0.replacingOccurrences(of: "[", with: "/").replacingOccurrences(of: "]", with: "").replacingOccurrences(of: ".", with: "/") }
        let error = V3Error(title: title, detail: message, code: code, source: pointer.map(V3Error.Source.init))
        return try JSONReply.make(["errors": [error]], status: status, headers: headers)
    }

    var title: String {
        switch code {
        case "duplicate": "Duplicate value"
        case "invalid": "Invalid value"
        default: code.split(separator: "_").joined(separator: " ").capitalized
        }
    }
}

import AgencyHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization

/// A clock a test moves by hand, so that grace periods and idle timeouts pass without sleeping.
final class TestClock: Sendable {
    private let current = Mutex<Date>(Date())

    var now: Date { current.withLock { $0 } }

    func advance(_ seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    /// `TestService.settings`, reading the time from this clock.
    func settings(sessionIdleTimeout: TimeInterval = 30 * 60) -> ServiceSettings {
        ServiceSettings(
            publicURL: TestService.settings.publicURL, bcryptCost: TestService.settings.bcryptCost,
            sessionIdleTimeout: sessionIdleTimeout, clock: { [self] in now }
        )
    }
}

extension TestService {
    /// Runs `body` against a router built with other settings (e.g. a `TestClock`'s).
    func test<T: Sendable>(settings: ServiceSettings, _ body: @Sendable (APIClient) async throws -> T) async throws -> T {
        let app = Application(router: buildRouter(database: database, settings: settings))
        return try await app.test(.router) { client in try await body(APIClient(client: client)) }
    }
}

import AgencyDomain
import Foundation
import Synchronization

/// The nonces that key a sign-in form's CSRF token (`DashboardCookies.signInNonce`). The service
/// writes them (`signin_…`, the time, and an HMAC under a key made at start), so a script cannot make
/// its own; each lives an hour, and a failed sign-in spends the one it came with: the page that
/// answers the failure carries a new nonce and CSRF token, and the old pair is refused as a stale
/// form. A restart (a new key) makes open sign-in forms stale; reloading the page mends that.
///
/// Spent nonces are remembered in memory until they expire, at most `capacity` of them (failures are
/// already throttled per address); past that, the tenth expiring soonest is forgotten.
final class SignInNonces: Sendable {
    static let lifetime: TimeInterval = 3600

    private let key = SessionSecrets.newProcessKey()
    private let spent = Mutex<[String: Date]>([:])
    let capacity: Int

    init(capacity: Int = 100_000) {
        self.capacity = max(1, capacity)
    }

    /// A new nonce, written now.
    func issue(now: Date = Date()) -> String {
        let body = Secrets.newToken(prefix: "signin") + "." + String(Int(now.timeIntervalSince1970))
        return body + "." + SessionSecrets.tag(body, key: key)
    }

    /// Whether `nonce` was written by this service within the hour and has not been spent.
    func isLive(_ nonce: String?, now: Date = Date()) -> Bool {
        guard let nonce, let issued = issueTime(of: nonce) else { return false }
        guard now.timeIntervalSince(issued) < Self.lifetime, issued.timeIntervalSince(now) < 60 else { return false }
        return spent.withLock { $0[nonce] == nil }
    }

    /// Refuses `nonce` from now on.
    func spend(_ nonce: String?, now: Date = Date()) {
        guard let nonce, let issued = issueTime(of: nonce) else { return }
        spent.withLock { spent in
            if spent.count >= capacity {
                spent = spent.filter { $0.value > now }
                if spent.count >= capacity { spent.dropOldestTenth(by: { $0 }) }
            }
            spent[nonce] = issued.addingTimeInterval(Self.lifetime)
        }
    }

    /// When a nonce of ours was written; nil for one whose HMAC is not ours.
    private func issueTime(of nonce: String) -> Date? {
        let parts = nonce.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let seconds = Int(parts[1]) else { return nil }
        let body = parts[0] + "." + parts[1]
        guard Secrets.constantTimeEquals(Array(parts[2].utf8), Array(SessionSecrets.tag(String(body), key: key).utf8)) else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }
}

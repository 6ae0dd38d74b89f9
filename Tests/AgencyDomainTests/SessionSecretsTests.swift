import AgencyDomain
import Testing

@Suite("Session secrets")
struct SessionSecretsTests {
    /// A session's CSRF token matches that session only, and nothing matches without a session.
    @Test func csrfTokensBelongToOneSession() {
        let session = SessionSecrets.newSessionID()
        let other = SessionSecrets.newSessionID()
        let token = SessionSecrets.csrfToken(forSession: session)
        #expect(SessionSecrets.csrfMatches(token, session: session))
        #expect(!SessionSecrets.csrfMatches(token, session: other))
        #expect(!SessionSecrets.csrfMatches(nil, session: session))
        #expect(!SessionSecrets.csrfMatches(token, session: nil))
        #expect(!SessionSecrets.csrfMatches("", session: ""))
        #expect(token == SessionSecrets.csrfToken(forSession: session), "computed again from the cookie alone")
        #expect(!token.contains("+") && !token.contains("/") && !token.contains("="), "safe in a form without escaping")
    }
}

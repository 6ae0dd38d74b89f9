import AgencyDomain
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import AgencyHTTP

/// Issue 27 on the dashboard's two sign-in forms: a failed sign-in spends the form's nonce (the page
/// that answers carries a new nonce and CSRF token, and the old pair is refused), and too many
/// failures get the form back at once with 429, a message and `Retry-After`.
@Suite("Dashboard: sign-in forms under guessing")
struct SignInFloodPagesTests {
    static func limits(perUsername: Int = 100, perAddress: Int = 100) -> ServiceSettingsOverride {
        ServiceSettingsOverride(settings: ServiceSettings(
            publicURL: "https://snapshots.test", bcryptCost: 10,
            signIn: SignInLimits(freeFailuresPerUsername: perUsername, freeFailuresPerAddress: perAddress, firstDelaySeconds: 60)
        ))
    }

    /// Given the client's form, when a sign-in fails, then the answer sets a new nonce and carries a
    /// new CSRF token; sending the old nonce and token again is refused as a stale form (403), and so
    /// is a nonce the browser made up with its matching token; the new pair works.
    @Test func aFailureRenewsTheClientFormsNonceAndToken() async throws {
        let service = try await TestService()
        try await service.browse { browser in
            try await browser.signIn(agency: service.agencyA)
            let username = try await browser.addAccount("Gym", kind: "trial").code("username") ?? ""
            try await browser.get("/login")
            let (oldNonce, oldCSRF) = (try #require(browser.cookies["signin_nonce"]), try #require(browser.csrf))

            let failed = try await browser.post("/login", ["username": username, "password": "not-it"])
            #expect(failed.status == .unauthorized)
            #expect(failed.setCookies.contains { $0.hasPrefix("signin_nonce=") && !$0.hasPrefix("signin_nonce=\(oldNonce)") })
            let (newNonce, newCSRF) = (try #require(browser.cookies["signin_nonce"]), try #require(browser.csrf))
            #expect(newNonce != oldNonce && newCSRF != oldCSRF)

            browser.setCookie("signin_nonce", oldNonce)
            let replayed = try await browser.post("/login", ["username": username, "password": "not-it"], csrf: oldCSRF)
            #expect(replayed.status == .forbidden, "the spent pair is refused")

            browser.setCookie("signin_nonce", "signin_madeup.1800000000.tag")
            let madeUp = try await browser.post(
                "/login", ["username": username, "password": "not-it"], csrf: SessionSecrets.csrfToken(forSession: "signin_madeup.1800000000.tag")
            )
            #expect(madeUp.status == .forbidden, "a nonce the service did not write is refused")

            browser.setCookie("signin_nonce", newNonce)
            let retried = try await browser.post("/login", ["username": username, "password": "not-it-either"], csrf: newCSRF)
            #expect(retried.status == .unauthorized, "the new pair is taken")
        }
    }

    /// The agency's form renews its nonce and token after a wrong token too.
    @Test func aFailureRenewsTheAgencyFormsNonceAndToken() async throws {
        let service = try await TestService()
        try await service.browse { browser in
            try await browser.get("/dashboard/sign-in")
            let (oldNonce, oldCSRF) = (try #require(browser.cookies["signin_nonce"]), try #require(browser.csrf))
            #expect(try await browser.post("/dashboard/sign-in", ["token": "agency_wrong"]).status == .unauthorized)
            #expect(browser.cookies["signin_nonce"] != oldNonce && browser.csrf != oldCSRF)
            browser.setCookie("signin_nonce", oldNonce)
            #expect(try await browser.post("/dashboard/sign-in", ["token": service.agencyA], csrf: oldCSRF).status == .forbidden)
        }
    }

    /// Given 2 free failures per username, when the client's form fails twice, then the third
    /// sign-in, with the right password, is the form again with 429, `Retry-After`, a message and a
    /// fresh token: HTML, not JSON.
    @Test func theClientFormAnswers429AsAPage() async throws {
        let service = try await TestService()
        try await service.browse(settings: Self.limits(perUsername: 2)) { browser in
            try await browser.signIn(agency: service.agencyA)
            let credentials = try await browser.addAccount("Gym", kind: "trial")
            let (username, password) = (credentials.code("username") ?? "", credentials.code("password") ?? "")
            try await browser.get("/login")
            for _ in 0..<2 { #expect(try await browser.post("/login", ["username": username, "password": "not-it"]).status == .unauthorized) }
            let csrfBefore = browser.csrf
            let refused = try await browser.post("/login", ["username": username, "password": password])
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.retryAfter].flatMap { Int($0) }.map { (1...60).contains($0) } == true)
            #expect(refused.headers[.contentType] == "text/html; charset=utf-8")
            #expect(refused.html.contains("Too many failed sign-ins"))
            #expect(refused.html.contains("action=\"/login\""), "the form again")
            #expect(browser.csrf != csrfBefore)
            #expect(browser.cookies["client_session"] == nil)
        }
    }

    /// The agency's form has no username: its failures count by address. Given 2 free failures per
    /// address, after two wrong tokens even the right one is answered 429 as the form.
    @Test func theAgencyFormIsThrottledByAddress() async throws {
        let service = try await TestService()
        try await service.browse(settings: Self.limits(perAddress: 2)) { browser in
            try await browser.get("/dashboard/sign-in")
            for _ in 0..<2 { #expect(try await browser.post("/dashboard/sign-in", ["token": "agency_wrong"]).status == .unauthorized) }
            let refused = try await browser.post("/dashboard/sign-in", ["token": service.agencyA])
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.retryAfter].flatMap { Int($0) }.map { (1...60).contains($0) } == true)
            #expect(refused.html.contains("Too many failed sign-ins") && refused.html.contains("name=\"token\""))
            #expect(browser.cookies["agency_session"] == nil)
        }
    }

    /// Given a full password queue (its one worker held), the client's form answers 503 as the form,
    /// with `Retry-After` and a message, at once; once the worker is free the sign-in works.
    @Test func theClientFormAnswers503AsAPageWhenTheQueueIsFull() async throws {
        let service = try await TestService()
        let queue = PasswordQueue(workers: 1, signInQueue: 0)
        let app = Application(router: buildRouter(database: service.database, settings: TestService.settings, passwordQueue: queue))
        try await app.test(.router) { client in
            let browser = DashboardBrowser(client: client)
            try await browser.signIn(agency: service.agencyA)
            let credentials = try await browser.addAccount("Gym", kind: "trial")
            let (username, password) = (credentials.code("username") ?? "", credentials.code("password") ?? "")
            try await browser.get("/login")
            try await queue.acquire(.signIn)
            let busy = try await browser.post("/login", ["username": username, "password": password])
            #expect(busy.status == .serviceUnavailable)
            #expect(busy.headers[.retryAfter] == "1")
            #expect(busy.headers[.contentType] == "text/html; charset=utf-8")
            #expect(busy.html.contains("checking too many passwords") && busy.html.contains("action=\"/login\""))
            queue.release()
            let signedIn = try await browser.post("/login", ["username": username, "password": password])
            #expect(signedIn.status == .seeOther && signedIn.location == "/client")
        }
    }
}

import Foundation
import Hummingbird

/// The bare Hummingbird routes the API is measured against, served by this executable in a process of
/// its own (`agency-bench --serve-bare PORT PAGE_FILE`), with the same executor setup as `agency serve`,
/// so that the two servers differ only in what the service does per request.
enum BareServer {
    static func run(port: Int, pageFile: String) async throws {
        let page = try Data(contentsOf: URL(fileURLWithPath: pageFile))
        let router = Router()
        // The smallest JSON reply: what the framework alone costs per request.
        router.get("bare") { _, _ in #"{"status":"ok"}"# }
        // The contacts page's own bytes, kept in memory: the framework plus the reply's size on the wire.
        router.get("bare-page") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: page)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        try await app.runService()
    }
}

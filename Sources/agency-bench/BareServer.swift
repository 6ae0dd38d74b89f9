import Foundation
import Hummingbird

/// The bare Hummingbird routes the API is measured against, served by this executable in a process of
/// its own (`agency-bench --serve-bare PORT PAGE_FILE...`), with the same executor setup as `agency serve`,
/// so that the two servers differ only in what the service does per request.
enum BareServer {
    static func run(port: Int, pageFiles: [String]) async throws {
        let pages = try pageFiles.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        let page = pages.first ?? Data()
        let router = Router()
        // The smallest JSON reply: what the framework alone costs per request.
        router.get("bare") { _, _ in #"{"status":"ok"}"# }
        // The contacts page's own bytes, kept in memory: the framework plus the reply's size on the wire.
        router.get("bare-page") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: page)))
        }
        // Every other page's bytes (`/bare-page/1`, …), such as the templates page.
        router.get("bare-page/:index") { _, context in
            let index = context.parameters.get("index", as: Int.self) ?? 0
            let bytes = pages.indices.contains(index) ? pages[index] : Data()
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        try await app.runService()
    }
}

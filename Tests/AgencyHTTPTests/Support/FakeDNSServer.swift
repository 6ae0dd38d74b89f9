import Foundation
import NIOCore
import NIOPosix

/// A DNS server on loopback for the domain checks, written from RFC 1035 §4 apart from the service's
/// client: it reads a question and answers TXT records from a table, or one of the faults a real
/// resolver shows (NXDOMAIN, no answer at all). Never the internet.
final class FakeDNSServer: Sendable {
    enum Entry: Sendable {
        /// TXT records, each one string (split into 255-byte character-strings as needed).
        case txt([String])
        /// RCODE 3: the name does not exist.
        case noSuchName
        /// No reply: the client's timeout must end the wait.
        case silence
    }

    /// The names and their answers, changed by tests while the server runs.
    final class Table: @unchecked Sendable {
        private let lock = NSLock()
        private var entries: [String: Entry]
        private var asked = 0

        init(_ entries: [String: Entry]) { self.entries = entries }

        /// Questions received so far.
        var questions: Int { lock.withLock { asked } }
        func countQuestion() { lock.withLock { asked += 1 } }

        subscript(name: String) -> Entry? {
            get { lock.withLock { entries[name] } }
            set { lock.withLock { entries[name] = newValue } }
        }
    }

    private let table: Table
    private let channel: any Channel
    var address: String { "127.0.0.1:\(channel.localAddress?.port ?? 0)" }

    init(_ entries: [String: Entry] = [:]) async throws {
        let table = Table(Dictionary(uniqueKeysWithValues: entries.map { ($0.key.lowercased(), $0.value) }))
        self.table = table
        channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Responder(table: table)) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    func set(_ name: String, _ entry: Entry) { table[name.lowercased()] = entry }

    /// How many questions the server has received.
    var questions: Int { table.questions }

    func stop() async throws { try await channel.close() }

    final class Responder: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        typealias OutboundOut = AddressedEnvelope<ByteBuffer>
        let table: Table

        init(table: Table) { self.table = table }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            table.countQuestion()
            guard let reply = answer(Array(envelope.data.readableBytesView)) else { return }
            context.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: ByteBuffer(bytes: reply))), promise: nil)
        }

        /// Header (§4.1.1), the question echoed (§4.1.2), answers (§4.1.3) naming the question by a
        /// pointer to offset 12 (§4.1.4), TXT RDATA as <length><bytes> strings (§3.3.14).
        func answer(_ query: [UInt8]) -> [UInt8]? {
            guard query.count > 12 else { return nil }
            var index = 12
            var labels: [String] = []
            while index < query.count, query[index] != 0 {
                let length = Int(query[index])
                guard index + 1 + length <= query.count else { return nil }
                labels.append(String(decoding: query[(index + 1)..<(index + 1 + length)], as: UTF8.self))
                index += 1 + length
            }
            guard index + 5 <= query.count else { return nil }
            let questionEnd = index + 5
            let name = labels.joined(separator: ".").lowercased()
            let entry = table[name] ?? .txt([])
            var records: [String] = []
            var rcode: UInt8 = 0
            switch entry {
            case .silence: return nil
            case .noSuchName: rcode = 3
            case .txt(let texts): records = texts
            }
            var reply = Array(query[0..<2])
            reply += [0x81, 0x80 | rcode]  // QR, RD copied as set, RA, RCODE
            reply += [0, 1, 0, UInt8(records.count), 0, 0, 0, 0]
            reply += query[12..<questionEnd]
            for text in records {
                var data: [UInt8] = []
                var bytes = Array(text.utf8)[...]
                repeat {
                    let chunk = bytes.prefix(255)
                    data.append(UInt8(chunk.count))
                    data += chunk
                    bytes = bytes.dropFirst(chunk.count)
                } while !bytes.isEmpty
                reply += [0xC0, 0x0C, 0, 16, 0, 1, 0, 0, 0, 60, UInt8(data.count >> 8), UInt8(data.count & 0xFF)]
                reply += data
            }
            return reply
        }
    }
}

import Foundation

/// One image reference removed from HTML.
public struct StrippedImage: Equatable, Sendable {
    /// Where in the HTML: `img[src]`, `img[srcset]`, `td[background]`, `div[style]` (tag[attribute],
    /// lower-cased), or `style` for a `<style>` block.
    public var context: String
    /// The original URL, with HTML character references (`&amp;`, `&#x2F;`, …) decoded.
    public var source: String

    public init(context: String, source: String) {
        self.context = context
        self.source = source
    }
}

/// Takes the images out of HTML so that a snapshot never copies someone else's pictures.
///
/// A small byte scanner that follows the HTML tokenizer only as far as images need: tags and their
/// attributes, comments (whose content is scanned too, for Outlook's conditional comments), and raw
/// text elements such as `<script>` and `<style>`. Every byte that is not an image URL is kept as is.
public enum ImageStripper {
    /// A visible placeholder image: a base64 SVG data URI showing "Image omitted". Its characters
    /// (letters, digits, `+/:;,`) cannot end an unquoted attribute value, a CSS `url()` or a srcset candidate.
    public static let placeholder: String = {
        var svg = #"<svg xmlns="http://www.w3.org/2000/svg" width="160" height="40" viewBox="0 0 160 40">"#
            + #"<rect width="160" height="40" fill="whitesmoke" stroke="silver"/>"#
            + #"<text x="80" y="25" font-family="sans-serif" font-size="14" text-anchor="middle" fill="dimgray">"#
            + "Image omitted</text></svg>"
        // A length divisible by 3 gives base64 without '=' padding, a parse error in unquoted attribute values.
        while svg.utf8.count % 3 != 0 { svg += " " }
        return "data:image/svg+xml;base64," + Data(svg.utf8).base64EncodedString()
    }()

    /// Replaces every image URL in `html` with `placeholder`, keeping every other byte exactly as it was.
    public static func strip(_ html: String) -> (html: String, images: [StrippedImage]) {
        var scanner = HTMLImageScanner(bytes: Array(html.utf8))
        scanner.scanHTML(0..<scanner.bytes.count)
        guard !scanner.found.isEmpty else { return (html, []) }

        let bytes = scanner.bytes
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var copied = 0
        for (range, _) in scanner.found {
            output += bytes[copied..<range.lowerBound]
            output += placeholder.utf8
            copied = range.upperBound
        }
        output += bytes[copied...]
        return (String(decoding: output, as: UTF8.self), scanner.found.map { $0.image })
    }
}

/// Reads HTML bytes left to right and collects image URLs as byte ranges, in order and without overlap.
private struct HTMLImageScanner {
    let bytes: [UInt8]
    var found: [(range: Range<Int>, image: StrippedImage)] = []

    /// Elements whose content is text, not markup, up to their end tag: a `<img>` in there is no image,
    /// and an unclosed quote in there must not swallow the markup that follows.
    static let rawTextElements: Set<String> = ["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"]
    /// Attributes that hold one image URL, and the elements on which they do.
    static let imageURLAttributes: [String: Set<String>] = [
        "src": ["img", "image", "input", "v:image", "v:fill", "v:imagedata"],
        "poster": ["video"],
        "href": ["image"],        // SVG <image>
        "xlink:href": ["image"],
    ]
    static let srcsetTags: Set<String> = ["img", "source"]

    /// Scans markup. Inside a comment's content (`inComment`), which holds no `-->`, a nested `<!--` would
    /// run to the end anyway, so it is read as text: hostile nesting then cannot recurse without bound.
    mutating func scanHTML(_ range: Range<Int>, inComment: Bool = false) {
        let end = range.upperBound
        var i = range.lowerBound
        while let open = bytes[i..<end].firstIndex(of: .lessThan) {
            i = open + 1
            guard i < end else { break }
            let next = bytes[i]
            if starts(with: "<!--", at: open, end: end) {
                i = inComment ? open + 4 : scanComment(at: open, end: end)
            } else if next == .exclamation || next == .question {
                // Doctype, `<![endif]>`, `<?xml …>`: bogus comments that end at the first '>'.
                i = index(after: .greaterThan, from: i, end: end)
            } else if next == .slash, i + 1 < end, bytes[i + 1].isASCIILetter {
                i = readTag(at: open, end: end, isEndTag: true).next
            } else if next == .slash {
                i = index(after: .greaterThan, from: i, end: end)
            } else if next.isASCIILetter {
                let tag = readTag(at: open, end: end, isEndTag: false)
                i = tag.next
                if Self.rawTextElements.contains(tag.name) {
                    let close = rawTextEnd(of: tag.name, from: i, end: end)
                    if tag.name == "style" { record(cssURLs(in: bytes[i..<close]), in: bytes[...], context: "style") }
                    i = close
                }
            }
            // Anything else is a '<' in text.
        }
    }

    /// Scans a comment's content as HTML, bounded by the comment, and returns the index after it.
    private mutating func scanComment(at open: Int, end: Int) -> Int {
        let contentStart = open + 4
        // `<!-->` and `<!--->` are complete, empty comments.
        if starts(with: ">", at: contentStart, end: end) { return contentStart + 1 }
        if starts(with: "->", at: contentStart, end: end) { return contentStart + 2 }
        var close = contentStart
        while close < end, !starts(with: "-->", at: close, end: end) { close += 1 }
        scanHTML(contentStart..<close, inComment: true)
        return min(close + 3, end)
    }

    /// Reads a start or end tag from its '<', records the images of a start tag's attributes, and
    /// returns the lower-cased tag name and the index after the tag. An unclosed tag runs to `end`.
    private mutating func readTag(at open: Int, end: Int, isEndTag: Bool) -> (name: String, next: Int) {
        var i = open + (isEndTag ? 2 : 1)
        let nameStart = i
        while i < end, !bytes[i].endsName { i += 1 }
        let name = lowercased(nameStart..<i)

        while i < end {
            if bytes[i] == .greaterThan { return (name, i + 1) }
            if bytes[i].isHTMLSpace || bytes[i] == .slash { i += 1; continue }
            // The first character belongs to the name even when it is '=', as in the HTML tokenizer.
            let attributeStart = i
            i += 1
            while i < end, !bytes[i].endsName, bytes[i] != .equals { i += 1 }
            let attribute = lowercased(attributeStart..<i)
            i = skipSpaces(from: i, end: end)
            guard i < end, bytes[i] == .equals else { continue }

            let value: Range<Int>
            i = skipSpaces(from: i + 1, end: end)
            if i < end, bytes[i] == .doubleQuote || bytes[i] == .singleQuote {
                let close = bytes[(i + 1)..<end].firstIndex(of: bytes[i]) ?? end
                value = (i + 1)..<close
                i = min(close + 1, end)
            } else {
                let start = i
                while i < end, !bytes[i].isHTMLSpace, bytes[i] != .greaterThan { i += 1 }
                value = start..<i
            }
            if !isEndTag { recordImages(in: value, tag: name, attribute: attribute) }
        }
        return (name, end)
    }

    /// Records the URLs of one attribute, if it is one that loads images.
    private mutating func recordImages(in value: Range<Int>, tag: String, attribute: String) {
        let context = "\(tag)[\(attribute)]"
        let isSrc = Self.imageURLAttributes[attribute]?.contains(tag) == true
        let isSrcset = attribute == "srcset" && Self.srcsetTags.contains(tag)
        guard isSrc || isSrcset || attribute == "background" || attribute == "style" else { return }

        // URLs are found in the value the browser sees, then replaced in the bytes it was written as.
        let decoded = DecodedValue(bytes[value])
        let text = decoded.bytes[...]
        let spans = isSrcset ? srcsetURLs(in: text) : attribute == "style" ? cssURLs(in: text) : [text.indices]
        record(spans, in: text, context: context, documentRange: decoded.documentRange)
    }

    /// Records each non-empty URL except the placeholder; `documentRange` maps a span of `text` to the
    /// bytes it was written as (the identity for a `<style>` block, which has no character references).
    private mutating func record(
        _ spans: [Range<Int>], in text: ArraySlice<UInt8>, context: String,
        documentRange: (Range<Int>) -> Range<Int> = { $0 }
    ) {
        for span in spans {
            let url = trimSpaces(span, in: text)
            let source = String(decoding: text[url], as: UTF8.self)
            guard !source.isEmpty, source != ImageStripper.placeholder else { continue }
            found.append((documentRange(url), StrippedImage(context: context, source: source)))
        }
    }

    /// Where the raw text of `<name>` ends: at `</name` followed by a space, '/' or '>', or at `end`.
    private func rawTextEnd(of name: String, from start: Int, end: Int) -> Int {
        let name = Array(name.utf8)
        var i = start
        while let open = bytes[i..<end].firstIndex(of: .lessThan) {
            let nameEnd = open + 2 + name.count
            if open + 1 < end, bytes[open + 1] == .slash, nameEnd <= end,
               zip(bytes[(open + 2)..<nameEnd], name).allSatisfy({ $0.lowercasedASCII == $1 }),
               nameEnd == end || bytes[nameEnd].endsName {
                return open
            }
            i = open + 1
        }
        return end
    }

    private func starts(with prefix: StaticString, at index: Int, end: Int) -> Bool {
        prefix.withUTF8Buffer { prefix in
            index + prefix.count <= end && prefix.indices.allSatisfy { bytes[index + $0] == prefix[$0] }
        }
    }

    private func index(after byte: UInt8, from start: Int, end: Int) -> Int {
        (bytes[start..<end].firstIndex(of: byte)).map { $0 + 1 } ?? end
    }

    private func skipSpaces(from start: Int, end: Int) -> Int {
        var i = start
        while i < end, bytes[i].isHTMLSpace { i += 1 }
        return i
    }

    private func lowercased(_ range: Range<Int>) -> String {
        String(decoding: bytes[range].map(\.lowercasedASCII), as: UTF8.self)
    }
}

// MARK: - URLs inside attribute values and CSS

/// The URLs of every candidate of a `srcset`, following the HTML spec: a URL is a run of non-spaces
/// without its trailing commas, and descriptors (`2x`, `300w`) run to a comma outside parentheses.
private func srcsetURLs(in text: ArraySlice<UInt8>) -> [Range<Int>] {
    var urls: [Range<Int>] = []
    var i = text.startIndex
    while true {
        while i < text.endIndex, text[i].isHTMLSpace || text[i] == .comma { i += 1 }
        guard i < text.endIndex else { return urls }
        let start = i
        while i < text.endIndex, !text[i].isHTMLSpace { i += 1 }
        var urlEnd = i
        while text[urlEnd - 1] == .comma { urlEnd -= 1 }
        urls.append(start..<urlEnd)
        // A URL that ended in a comma has no descriptors.
        guard urlEnd == i else { continue }
        var inParentheses = false
        while i < text.endIndex {
            let byte = text[i]
            i += 1
            if inParentheses {
                inParentheses = byte != .closeParenthesis
            } else if byte == .openParenthesis {
                inParentheses = true
            } else if byte == .comma {
                break
            }
        }
    }
}

private let urlFunction = Array("url(".utf8)

/// The URLs inside every `url(…)` of CSS text (any letter case, quoted or not).
private func cssURLs(in css: ArraySlice<UInt8>) -> [Range<Int>] {
    var urls: [Range<Int>] = []
    var i = css.startIndex
    while i + 4 <= css.endIndex {
        let isURLFunction = zip(css[i..<(i + 4)], urlFunction).allSatisfy { $0.lowercasedASCII == $1 }
            && (i == css.startIndex || !css[i - 1].isCSSNameByte)
        guard isURLFunction else { i += 1; continue }

        i += 4
        while i < css.endIndex, css[i].isHTMLSpace { i += 1 }
        if i < css.endIndex, css[i] == .doubleQuote || css[i] == .singleQuote {
            let close = css[(i + 1)...].firstIndex(of: css[i]) ?? css.endIndex
            urls.append((i + 1)..<close)
            i = close
        } else {
            let start = i
            while i < css.endIndex, !css[i].isHTMLSpace, css[i] != .closeParenthesis { i += 1 }
            urls.append(start..<i)
        }
    }
    return urls
}

private func trimSpaces(_ range: Range<Int>, in text: ArraySlice<UInt8>) -> Range<Int> {
    var start = range.lowerBound, end = range.upperBound
    while start < end, text[start].isHTMLSpace { start += 1 }
    while end > start, text[end - 1].isHTMLSpace { end -= 1 }
    return start..<end
}

// MARK: - Character references

/// An attribute value with its character references decoded, remembering where each decoded byte
/// came from so that a URL found in the decoded text can be replaced in the original bytes.
private struct DecodedValue {
    var bytes: [UInt8] = []
    /// `origins[k]` is the document index of the reference (or byte) that produced `bytes[k]`;
    /// one extra entry holds the end of the value.
    var origins: [Int] = []

    /// The few named references that matter for URLs and CSS; others stay as written.
    static let named: [String: Unicode.Scalar] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}", "sol": "/", "colon": ":",
        "lpar": "(", "rpar": ")", "comma": ",", "period": ".", "quest": "?", "equals": "=", "num": "#",
        "percnt": "%", "semi": ";", "excl": "!", "Tab": "\t", "NewLine": "\n",
    ]

    init(_ raw: ArraySlice<UInt8>) {
        bytes.reserveCapacity(raw.count)
        origins.reserveCapacity(raw.count + 1)
        var i = raw.startIndex
        while i < raw.endIndex {
            if raw[i] == .ampersand, case let (scalar, next)? = Self.reference(in: raw, at: i) {
                let utf8 = Array(String(Character(scalar)).utf8)
                bytes += utf8
                origins += repeatElement(i, count: utf8.count)
                i = next
            } else {
                bytes.append(raw[i])
                origins.append(i)
                i += 1
            }
        }
        origins.append(raw.endIndex)
    }

    func documentRange(_ decoded: Range<Int>) -> Range<Int> {
        origins[decoded.lowerBound]..<origins[decoded.upperBound]
    }

    /// The reference starting at the '&' at `start`, and the index after it; nil if there is none.
    static func reference(in raw: ArraySlice<UInt8>, at start: Int) -> (Unicode.Scalar, Int)? {
        var i = start + 1
        guard i < raw.endIndex else { return nil }
        if raw[i] == UInt8(ascii: "#") {
            i += 1
            let isHex = i < raw.endIndex && raw[i].lowercasedASCII == UInt8(ascii: "x")
            if isHex { i += 1 }
            let digitsStart = i
            var value: UInt32 = 0
            while i < raw.endIndex, let digit = raw[i].digitValue(hex: isHex) {
                // Capped just past the last code point, so long digit runs cannot overflow.
                value = min(value * (isHex ? 16 : 10) + digit, 0x110000)
                i += 1
            }
            guard i > digitsStart else { return nil }
            if i < raw.endIndex, raw[i] == .semicolon { i += 1 }
            let scalar = value == 0 ? nil : Unicode.Scalar(value)
            return (scalar ?? "\u{FFFD}", i)
        }
        let nameStart = i
        while i < raw.endIndex, i - nameStart < 8, raw[i].isASCIILetter { i += 1 }
        guard i < raw.endIndex, raw[i] == .semicolon,
              let scalar = named[String(decoding: raw[nameStart..<i], as: UTF8.self)] else { return nil }
        return (scalar, i + 1)
    }
}

// MARK: - Bytes

private extension UInt8 {
    static let lessThan = UInt8(ascii: "<"), greaterThan = UInt8(ascii: ">"), slash = UInt8(ascii: "/")
    static let exclamation = UInt8(ascii: "!"), question = UInt8(ascii: "?"), equals = UInt8(ascii: "=")
    static let doubleQuote = UInt8(ascii: "\""), singleQuote = UInt8(ascii: "'"), ampersand = UInt8(ascii: "&")
    static let semicolon = UInt8(ascii: ";"), comma = UInt8(ascii: ",")
    static let openParenthesis = UInt8(ascii: "("), closeParenthesis = UInt8(ascii: ")")

    /// Tab, line feed, form feed, carriage return and space: the HTML spec's ASCII whitespace.
    var isHTMLSpace: Bool { self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0C || self == 0x0D }
    var isASCIILetter: Bool { (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self) }
    var lowercasedASCII: UInt8 { (0x41...0x5A).contains(self) ? self + 0x20 : self }
    /// What ends a tag or attribute name.
    var endsName: Bool { isHTMLSpace || self == .slash || self == .greaterThan }
    /// A byte that can precede `url(` inside a longer CSS function name, such as `myurl(`.
    var isCSSNameByte: Bool { isASCIILetter || (0x30...0x39).contains(self) || self == 0x2D || self == 0x5F || self >= 0x80 }

    func digitValue(hex: Bool) -> UInt32? {
        switch self {
        case 0x30...0x39: UInt32(self - 0x30)
        case 0x61...0x66 where hex: UInt32(self - 0x61 + 10)
        case 0x41...0x46 where hex: UInt32(self - 0x41 + 10)
        default: nil
        }
    }
}

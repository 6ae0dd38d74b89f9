import AgencyDomain
import Foundation
import Testing

/// The placeholder, short enough to write expected HTML with.
private let P = ImageStripper.placeholder

private func image(_ context: String, _ source: String) -> StrippedImage {
    StrippedImage(context: context, source: source)
}

@Suite("ImageStripper")
struct ImageStripperTests {
    /// Double, single and missing quotes, and spaces around '=', all name a `src`.
    @Test func srcInEveryQuoting() {
        let result = ImageStripper.strip(#"<img src="a.png"><img src='b.png'><img src=c.png><img src = "d.png" alt=x>"#)
        #expect(result.html == #"<img src="\#(P)"><img src='\#(P)'><img src=\#(P)><img src = "\#(P)" alt=x>"#)
        #expect(result.images == ["a.png", "b.png", "c.png", "d.png"].map { image("img[src]", $0) })
    }

    /// Tag and attribute names match in any letter case; the context is lower-cased.
    @Test func namesInAnyLetterCase() {
        let result = ImageStripper.strip(#"<IMG SRC="a.png"><Td BackGround='b.png'>"#)
        #expect(result.html == #"<IMG SRC="\#(P)"><Td BackGround='\#(P)'>"#)
        #expect(result.images == [image("img[src]", "a.png"), image("td[background]", "b.png")])
    }

    /// `src` loads an image on img, image, input and Outlook's VML elements; elsewhere it is left alone.
    @Test func srcOnlyOnImageElements() {
        let html = #"<image src=a.png><input type=image src=b.png><v:image src="c.png" /><v:fill src="d.png"/><audio src="e.mp3"><a src="f.png">"#
        let result = ImageStripper.strip(html)
        #expect(result.html == #"<image src=\#(P)><input type=image src=\#(P)><v:image src="\#(P)" /><v:fill src="\#(P)"/><audio src="e.mp3"><a src="f.png">"#)
        #expect(result.images.map(\.context) == ["image[src]", "input[src]", "v:image[src]", "v:fill[src]"])
    }

    /// Posters, SVG images and VML image data load images too; an ordinary link's href does not.
    @Test func postersSVGImagesAndVMLImageData() {
        let html = #"<video poster="p.jpg"><svg><image href='h.png' xlink:href=x.png></svg><v:imagedata src="v.png"/><a href="page.html">"#
        let result = ImageStripper.strip(html)
        #expect(result.html == #"<video poster="\#(P)"><svg><image href='\#(P)' xlink:href=\#(P)></svg><v:imagedata src="\#(P)"/><a href="page.html">"#)
        #expect(result.images.map(\.context) == ["video[poster]", "image[href]", "image[xlink:href]", "v:imagedata[src]"])
    }

    /// `background` loads an image on any element.
    @Test func backgroundOnAnyElement() {
        let result = ImageStripper.strip(#"<body background="a.jpg"><table background=b.jpg><x-box background='c.jpg'>"#)
        #expect(result.html == #"<body background="\#(P)"><table background=\#(P)><x-box background='\#(P)'>"#)
        #expect(result.images.map(\.context) == ["body[background]", "table[background]", "x-box[background]"])
    }

    /// Only the URLs of a srcset change; descriptors and separators stay.
    @Test func srcsetKeepsDescriptors() {
        let result = ImageStripper.strip(#"<img srcset="a.png 1x, b.png 2x"><picture><source srcset=" s.webp 300w,t.webp  600w "></picture>"#)
        #expect(result.html == #"<img srcset="\#(P) 1x, \#(P) 2x"><picture><source srcset=" \#(P) 300w,\#(P)  600w "></picture>"#)
        #expect(result.images == [
            image("img[srcset]", "a.png"), image("img[srcset]", "b.png"),
            image("source[srcset]", "s.webp"), image("source[srcset]", "t.webp"),
        ])
    }

    /// As in the HTML spec, a srcset URL is a run of non-spaces: commas inside stay, trailing commas end it.
    @Test func srcsetURLsWithCommas() {
        let result = ImageStripper.strip(#"<img srcset="data:image/png;base64,AAAA 1x,b.png, c.png 3x (x,y), d.png">"#)
        #expect(result.html == #"<img srcset="\#(P) 1x,\#(P), \#(P) 3x (x,y), \#(P)">"#)
        #expect(result.images.map(\.source) == ["data:image/png;base64,AAAA", "b.png", "c.png", "d.png"])
    }

    /// CSS `url()` in a style attribute: any case, quoted or not, spaces inside, `&quot;` quotes.
    @Test func cssURLsInStyleAttribute() {
        let html = #"<div style="background:url(a.png); border-image: URL( 'b.png' ) 30"><p style='background-image:url(&quot;c.png&quot;)'>"#
        let result = ImageStripper.strip(html)
        #expect(result.html == #"<div style="background:url(\#(P)); border-image: URL( '\#(P)' ) 30"><p style='background-image:url(&quot;\#(P)&quot;)'>"#)
        #expect(result.images == [image("div[style]", "a.png"), image("div[style]", "b.png"), image("p[style]", "c.png")])
    }

    /// CSS `url()` in a `<style>` block, whose content is CSS and not markup.
    @Test func cssURLsInStyleBlock() {
        let html = #"<style>.a{background:url("a.png")} .b>i{background:url(b.png)} .c{content:"<img src=x>"}</STYLE ><img src=c.png>"#
        let result = ImageStripper.strip(html)
        #expect(result.html == #"<style>.a{background:url("\#(P)")} .b>i{background:url(\#(P))} .c{content:"<img src=x>"}</STYLE ><img src=\#(P)>"#)
        #expect(result.images == [image("style", "a.png"), image("style", "b.png"), image("img[src]", "c.png")])
    }

    /// The source is decoded; the bytes replaced are the ones written, references included.
    @Test func characterReferencesInURLs() {
        let result = ImageStripper.strip(#"<img src="https://x.test/a.png?w=1&amp;h=2&#x2F;3&#39;&copy;" alt="&amp;">"#)
        #expect(result.html == #"<img src="\#(P)" alt="&amp;">"#)
        #expect(result.images == [image("img[src]", "https://x.test/a.png?w=1&h=2/3'&copy;")])
    }

    /// Outlook renders conditional comments, so comment content is scanned too.
    @Test func imagesInComments() {
        let html = #"<!--[if mso]><v:image src="a.png" /><![endif]--><!-- <img src='b.png'> --><!-- <!-- --><img src=c.png>"#
        let result = ImageStripper.strip(html)
        #expect(result.html == #"<!--[if mso]><v:image src="\#(P)" /><![endif]--><!-- <img src='\#(P)'> --><!-- <!-- --><img src=\#(P)>"#)
        #expect(result.images == [image("v:image[src]", "a.png"), image("img[src]", "b.png"), image("img[src]", "c.png")])
    }

    /// A broken tag inside a comment ends with the comment and does not swallow what follows.
    @Test func commentTextDoesNotConfuseWhatFollows() {
        let result = ImageStripper.strip(#"<!-- <img src="a --><img src="b.png"><!--><img src=c.png><!---><img src=d.png>"#)
        #expect(result.html == #"<!-- <img src="\#(P) --><img src="\#(P)"><!--><img src=\#(P)><!---><img src=\#(P)>"#)
        #expect(result.images.map(\.source) == ["a", "b.png", "c.png", "d.png"])
    }

    /// Script content is not markup: nothing in it is touched, and a '<' in it confuses nothing.
    @Test func scriptContentIsUntouched() {
        let html = #"<script>var s = '<img src="a.png">'; if (a<b) { x = "url(b.png)" }</script><img src="c.png">"#
        let result = ImageStripper.strip(html)
        #expect(result.html == #"<script>var s = '<img src="a.png">'; if (a<b) { x = "url(b.png)" }</script><img src="\#(P)">"#)
        #expect(result.images == [image("img[src]", "c.png")])
    }

    /// A tag cut off at the end of the input still loses its image: the HTML may be joined to more later.
    @Test func unclosedTagAtEnd() {
        #expect(ImageStripper.strip(#"<p>x</p><img src="a.png""#).html == #"<p>x</p><img src="\#(P)""#)
        #expect(ImageStripper.strip(#"<img src="a.png"#).html == #"<img src="\#(P)"#)
        #expect(ImageStripper.strip(#"<img alt=x src=a.png"#).html == #"<img alt=x src=\#(P)"#)
    }

    /// A '>' inside a quoted value does not end the tag; a '<' in text starts nothing.
    @Test func greaterThanInsideQuotesAndLessThanInText() {
        let result = ImageStripper.strip(#"1 < 2 <3 <div title='a > b' background=x.png><img alt="<>" src="y.png">"#)
        #expect(result.html == #"1 < 2 <3 <div title='a > b' background=\#(P)><img alt="<>" src="\#(P)">"#)
        #expect(result.images.map(\.source) == ["x.png", "y.png"])
    }

    /// Attributes without values are skipped; every duplicate of an image attribute is stripped.
    @Test func valuelessAndDuplicateAttributes() {
        let result = ImageStripper.strip(#"<img ismap src=a.png src="b.png" hidden>"#)
        #expect(result.html == #"<img ismap src=\#(P) src="\#(P)" hidden>"#)
        #expect(result.images.map(\.source) == ["a.png", "b.png"])
    }

    /// Empty URLs are no images; data URIs other than the placeholder are.
    @Test func emptyAndDataURLs() {
        let result = ImageStripper.strip(#"<img src=""><img src="  "><div style="background:url()"><img src=" data:image/gif;base64,R0lG ">"#)
        #expect(result.html == #"<img src=""><img src="  "><div style="background:url()"><img src=" \#(P) ">"#)
        #expect(result.images == [image("img[src]", "data:image/gif;base64,R0lG")])
    }

    /// A 1 MB attribute value is read in linear time and replaced whole.
    @Test func megabyteAttribute() {
        let big = String(repeating: "A", count: 1_000_000)
        let result = ImageStripper.strip(#"<p title="\#(big)"><img src="data:image/png;base64,\#(big)">"#)
        #expect(result.html == #"<p title="\#(big)"><img src="\#(P)">"#)
        #expect(result.images.map(\.source.count) == [22 + 1_000_000])
    }

    /// Non-ASCII text and emoji around and inside images are kept byte for byte.
    @Test func nonASCIIKeptByteForByte() {
        let result = ImageStripper.strip("<p>Grüße 👋🏽 – 日本</p><img alt=\"é\" src=\"/bilder/straße.png\">✨")
        #expect(result.html == "<p>Grüße 👋🏽 – 日本</p><img alt=\"é\" src=\"\(P)\">✨")
        #expect(result.images == [image("img[src]", "/bilder/straße.png")])
    }

    /// Stripping stripped HTML changes nothing and finds nothing.
    @Test func strippingIsIdempotent() {
        let html = #"<img src=a.png srcset="b.png 2x, c.png"><div style="background:url('d.png')"><style>i{background:url(e.png)}</style><!--[if mso]><v:fill src=f.png><![endif]-->"#
        let once = ImageStripper.strip(html)
        let twice = ImageStripper.strip(once.html)
        #expect(once.images.count == 6)
        #expect(twice.html == once.html)
        #expect(twice.images.isEmpty)
    }

    /// The placeholder survives unquoted attributes, CSS url() and srcset, and shows "Image omitted".
    @Test func placeholderCharacterSet() throws {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/:;,")
        #expect(P.hasPrefix("data:image/svg+xml;base64,"))
        #expect(P.allSatisfy(allowed.contains))
        #expect(P.last != ",")
        let data = try #require(Data(base64Encoded: String(P.dropFirst("data:image/svg+xml;base64,".count))))
        #expect(String(decoding: data, as: UTF8.self).contains(">Image omitted</text>"))
    }

    /// Hostile fragments end without a crash or a loop, and without images they come back unchanged.
    @Test(arguments: [
        "<", "<!", "<!--", "<!-- x", "<!--->", "</", "</>", "<img", "<img src", "<img src=", "<img src='",
        "<script>", "<script><img src=a.png", "<style>", "<style>url(", "<style>url('", "<p a=\"b", "<!-- <!-- <!--",
        "&", "&#", "&#x;", "<p style=\"&#99999999999;&#0;&#xD800;&quot &#x &unknown; url&lpar;\">", "a<b>c</b d=\">\">",
    ])
    func hostileFragments(_ html: String) {
        let result = ImageStripper.strip(html)
        #expect(result.html == html)
        #expect(result.images.isEmpty)
    }
}

@Suite("SnapshotImages")
struct SnapshotImagesTests {
    /// Every string under an "html" key is stripped, at any depth; locations are JSON pointers plus the context.
    @Test func stripsNestedHTMLWithPointers() throws {
        let body = try JSONValue.parse(#"""
        {"html": "<img src=a.png>", "subject": "<img src=kept.png>",
         "steps": [{"html": "<div style=\"background:url(b.png)\">"}, {"text": "<img src=kept.png>"},
                   {"html": "<style>i{background:url(c.png)}</style>"}],
         "a/b~": {"html": ["<img src=d.png>"]}}
        """#)
        let result = SnapshotImages.strip(body: body, kind: .template, id: 42)
        #expect(result.omitted == [
            OmittedImage(assetKind: "template", assetID: "42", location: "/a~1b~0/html/0#img[src]", source: "d.png"),
            OmittedImage(assetKind: "template", assetID: "42", location: "/html#img[src]", source: "a.png"),
            OmittedImage(assetKind: "template", assetID: "42", location: "/steps/0/html#div[style]", source: "b.png"),
            OmittedImage(assetKind: "template", assetID: "42", location: "/steps/2/html#style", source: "c.png"),
        ])
        let expected = try JSONValue.parse(#"""
        {"html": "<img src=\#(P)>", "subject": "<img src=kept.png>",
         "steps": [{"html": "<div style=\"background:url(\#(P))\">"}, {"text": "<img src=kept.png>"},
                   {"html": "<style>i{background:url(\#(P))}</style>"}],
         "a/b~": {"html": ["<img src=\#(P)>"]}}
        """#)
        #expect(result.body == expected)
    }

    /// Omitted images encode with snake_case keys.
    @Test func omittedImageEncoding() throws {
        let omitted = OmittedImage(assetKind: "message", assetID: "7", location: "/html#img[src]", source: "a.png")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let text = String(decoding: try encoder.encode(omitted), as: UTF8.self)
        #expect(text == #"{"asset_id":"7","asset_kind":"message","location":"/html#img[src]","source":"a.png"}"#)
    }
}

@Suite("Stripping canonical bodies in place")
struct CanonicalBodyStripTests {
    static let bodies: [JSONValue] = [
        .object(["name": .string("Welcome"), "subject": .string("Hi \"you\""), "tags": .array([.string("1")]),
                 "html": .string("<body style=\"background:url('https://cdn.example.com/bg.jpg')\">\n<img src=\"a.png\" alt=\"é 🏋️\">\\ <p>Hi</p>")]),
        .object(["subject": .string("No images"), "html": .string("<p>Just text, \"quoted\"</p>")]),
        .object(["name": .string("Steps"), "steps": .array([.object(["type": .string("send_email"), "html": .string("<img src=x.png>")])])]),
        .object(["html": .array([.string("<img src=one.png>"), .string("<img src=two.png>")])]),
        .object(["name": .string("No HTML at all"), "text": .string("<img src=not-html.png>")]),
    ]

    /// The in-place path gives exactly what parsing, stripping and re-encoding gives.
    @Test(arguments: bodies) func inPlaceEqualsTheGeneralPath(_ body: JSONValue) throws {
        let general = SnapshotImages.strip(body: body, kind: .template, id: 7)
        let fast = try SnapshotImages.strip(canonicalBody: body.canonicalText(), kind: .template, id: 7)
        #expect(fast.text == general.body.canonicalText())
        #expect(fast.omitted == general.omitted)
    }
}

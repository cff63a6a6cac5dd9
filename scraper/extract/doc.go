// Package extract turns an article page's bytes into its text and
// metadata. It is the scraper's eyes: every later stage (dedup, store, the
// dashboard) sees only what it keeps.
//
// The pipeline for one page:
//
//  1. Bytes to UTF-8, once (ToUTF8): BOM, the Content-Type charset, a
//     <meta> declaration in the first 1024 bytes, then sniffing. A body that
//     is valid multi-byte UTF-8 wins over a stale legacy label. Undeclared
//     non-UTF-8 pages whose high bytes form words that decode to Arabic
//     letters are windows-1256 or ISO-8859-6 (whichever yields more Arabic
//     letters); other undeclared pages are windows-1252.
//  2. Script, style and SVG bodies and comments are cut out with a byte
//     scan (JSON-LD is kept), runs of white space after tags shrink to one
//     character (outside <pre>) and, without site rules, start tags lose
//     the attributes nothing reads; x/net/html parses the rest through a
//     reader over the original bytes. Pages the
//     parser refuses (more than 512 open elements) fall back to a linear
//     tokenizer pass.
//  3. One walk collects metadata; JSON-LD (Article types, @graph) is
//     preferred, then OpenGraph and meta tags, then the document itself.
//  4. The DOM is flattened into an arena in document order, dropping
//     never-content elements, hidden ones and (first pass) blocks whose
//     class or id names them as chrome. One reverse pass sums text, link
//     text, commas, paragraphs, images, list items and inputs per subtree.
//  5. Readability-style scoring: every paragraph-like block (p, pre, td,
//     blockquote, or a container with text of its own) adds 1 + commas +
//     length/100 to its ancestors, halving and thirding with distance;
//     class/id hints add or subtract 25; scores are scaled by 1 - link
//     density. The best node is refined to the container that holds the
//     article (an ancestor of several near-best candidates, a higher-scoring
//     parent, a sole-child wrapper), and siblings join when they score
//     well or carry several paragraphs of unlinked text.
//  6. Rendering keeps block structure as paragraphs, and conditional
//     cleaning drops link lists, galleries, forms, asides, footers, teaser
//     articles nested in the article, and captions. Embedded posts (tweets,
//     quotes) are kept.
//  7. Paragraph filters remove syndication and page chrome by general
//     rules, in Arabic, English and other major languages: paragraphs that
//     repeat a headline, short standalone continuation markers ("(تستمر)",
//     "(يتبع)", "(more)"), calls to action and comment prompts ("أفكارك
//     وتعليقاتك", "Leave a comment", newsletter pitches), date lines, byline
//     and credit lines, gallery counters, tag lists, shortcodes, trailing
//     author bios, and link lines that look like navigation.
//  8. If that found fewer than 250 characters, the heuristics run again
//     without the class-based pruning and the longer result wins.
//
// Site rules (news.Rules) run on the same parsed tree: remove selectors
// are dropped before both the rule and the heuristics; the body selector's
// text is used when it matched, and Page.RuleShort flags a selector that
// matched nothing or kept less than half of what the heuristics found.
//
// Inputs over Options.MaxBytes (10 MiB by default) are truncated and
// flagged in Page.Truncated. Output is deterministic.
package extract

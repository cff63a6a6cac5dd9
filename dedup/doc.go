// Package dedup folds syndicated copies of one news story into one story,
// for Arabic as much as English. It is a reusable library: standard
// library and golang.org/x/text only.
//
// # Features
//
// Text is normalized (Normalize): compatibility decomposition with
// combining marks dropped, lower case, Arabic orthographic folding
// (harakat, tatweel, alef/yeh/teh marbuta/kaf/heh variants and Persian
// forms, Arabic-Indic digits), bidi and zero-width marks removed. Words
// within a line form 3-word shingles; a hash-defined half of them is kept,
// the same half from every copy, so containment estimated on the sample is
// unbiased.
//
// # Page furniture
//
// There is no list of boilerplate strings. The index counts in how many
// distinct stories each shingle was seen: an outlet's header and footer,
// credit and read-more lines, datelines and bylines recur across stories
// and stop counting once seen in more than two. Until an outlet's furniture
// has been learned, a match whose only evidence comes from that outlet's
// own earlier page must be a near-copy.
//
// # Matching
//
// Each document is checked against the stories of the window, then
// inserted (Add = Query + Insert); there is no batch re-index. A document
// matches a story when most of its informative shingles are in the story's
// core (a copy, a trimmed copy, a short update), when it contains nearly all
// of a core (a longer version of a story first seen short), or, for short
// documents, on fair text containment with an agreeing title. Exact
// duplicates (canonical URL, content hash) short-circuit the comparison.
// A document is compared with a story's core (its first document, grown
// only by members that add a longer version of the text), never with every
// member: stories do not grow by chaining through borderline matches.
//
// # Memory and time
//
// The shingle table holds 8 bytes a slot (about 33 entries an article on
// the dev stream). It and the stories, which hold no pointers, live
// outside the Go heap when large: the collector neither traces them nor
// lets the heap grow by their size. A document is compared only with
// stories first seen within the window before its own date. Stories first
// seen before the window are closed as the clock (the newest publication
// time, moving at most window/8 per document so that one future-dated
// article cannot close them all) advances, and their entries are swept
// once they make up a third of the table.
//
// The table has a budget (Options.Memory, 32 MiB by default). Past it the
// oldest stories are thinned: a story at level L keeps the 1 in 2^L of its
// sampled shingles whose key bits end in L zeros (down to a sixteenth),
// and a query is judged against it on the same subset of its own
// shingles, so containment stays unbiased on both sides, only less
// precise. Copies of a story mostly arrive within hours of it, while it is
// still whole: on the dense generated stream, a budget that thins most
// stories one or two levels leaves F1 unchanged.
// Results are deterministic: the same input in the same order gives the same
// stories. An Index is not safe for concurrent use.
//
// # Persistence
//
// A process that starts over a stored window has two ways to its index
// besides inserting every text again. A Fingerprint has a compact binary
// form (MarshalBinary, UnmarshalBinary; about 8 bytes a sampled shingle)
// that a caller keeps beside each document: InsertFingerprint rebuilds
// from it without normalizing or shingling, and Grow sizes the table first.
// Or the whole index is written out (WriteTo) and loaded back (ReadIndex):
// its own arrays, in this build's layout, checked by a CRC-32C; any
// mismatch is ErrSnapshot and the caller rebuilds. Rescore judges a
// changed document against its own story, for revisions.
package dedup

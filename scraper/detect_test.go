package scraper

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

// TestParseFeedEncodings: undeclared, mislabeled and contradicted legacy
// encodings, and UTF-16/UTF-32 with and without a byte order mark, come
// out as the text they hold.
func TestParseFeedEncodings(t *testing.T) {
	const (
		ja = "東京で新しい駅が開業しました。多くの人々が訪れています。"
		ko = "서울에서 새로운 지하철 노선이 개통되었습니다. 많은 시민들이 이용하고 있습니다."
		zh = "北京今天举行了新闻发布会，宣布了新的经济政策和发展计划。"
		ru = "Правительство объявило о новых мерах поддержки экономики страны."
		ar = "أعلنت الحكومة اليوم عن خطة جديدة لدعم الاقتصاد الوطني"
		tw = "台北市政府今天宣布了新的交通計劃，許多市民表示支持這個決定。"
		he = "הממשלה הודיעה היום על תוכנית חדשה לתמיכה בכלכלה הלאומית"
		th = "รัฐบาลประกาศแผนใหม่เพื่อสนับสนุนเศรษฐกิจของประเทศ"
		fr = "Le café de la gare a rouvert après l'été, a déclaré le maire."
	)
	doc := func(decl, title string) string {
		return oneItemRSS(decl, `<title>`+title+`</title><description>`+title+`</description>`)
	}
	enc := func(e encoding.Encoding, s string) []byte { return encodeTo(t, e, s) }
	tests := []struct {
		name, ct string
		body     []byte
		want     string
	}{
		{"undeclared euc-jp", "", enc(japanese.EUCJP, doc("", ja)), ja},
		{"undeclared shift_jis", "", enc(japanese.ShiftJIS, doc("", ja)), ja},
		{"undeclared euc-kr", "", enc(korean.EUCKR, doc("", ko)), ko},
		{"undeclared gbk", "", enc(simplifiedchinese.GBK, doc("", zh)), zh},
		{"undeclared koi8-r", "", enc(charmap.KOI8R, doc("", ru)), ru},
		{"undeclared windows-1251", "", enc(charmap.Windows1251, doc("", ru)), ru},
		{"undeclared windows-1256", "", enc(charmap.Windows1256, doc("", ar)), ar},
		{"undeclared iso-8859-6", "", enc(charmap.ISO8859_6, doc("", ar)), ar},
		{"undeclared big5", "", enc(traditionalchinese.Big5, doc("", tw)), tw},
		{"big5 labeled utf-8", "", enc(traditionalchinese.Big5, doc("utf-8", tw)), tw},
		{"gbk still gbk beside big5", "", enc(simplifiedchinese.GBK, doc("", zh)), zh},
		{"undeclared windows-1255", "", enc(charmap.Windows1255, doc("", he)), he},
		{"undeclared iso-8859-8", "", enc(charmap.ISO8859_8, doc("", he)), he},
		{"undeclared windows-874", "", enc(charmap.Windows874, doc("", th)), th},
		{"hebrew labeled iso-8859-1", "", enc(charmap.Windows1255, doc("iso-8859-1", he)), he},
		{"thai labeled utf-8 by http", "text/xml; charset=utf-8", enc(charmap.Windows874, doc("", th)), th},
		{"windows-1251 labeled koi8-r", "", enc(charmap.Windows1251, doc("koi8-r", ru)), ru},
		{"koi8-r labeled windows-1251", "", enc(charmap.KOI8R, doc("windows-1251", ru)), ru},
		{"windows-1251 labeled koi8-r by http", "application/xml; charset=koi8-r", enc(charmap.Windows1251, doc("", ru)), ru},
		{"declared koi8-r kept", "", enc(charmap.KOI8R, doc("koi8-r", ru)), ru},
		{"declared windows-1251 capitals kept", "", enc(charmap.Windows1251, doc("windows-1251", "СРОЧНО: МОСКВА")), "СРОЧНО: МОСКВА"},
		{"undeclared latin-1 stays latin", "", enc(charmap.Windows1252, doc("", fr)), fr},
		{"undeclared latin-1, accents before letters", "", enc(charmap.Windows1252, doc("", "Ménage à Sète, Éric Müller")), "Ménage à Sète, Éric Müller"},
		{"declared latin-1, accents before letters", "", enc(charmap.Windows1252, doc("iso-8859-1", "Ménage Éric")), "Ménage Éric"},
		{"declared latin-1, one accent", "", enc(charmap.Windows1252, doc("iso-8859-1", "Ménage")), "Ménage"},
		{"undeclared latin-1, one accent", "", enc(charmap.Windows1252, doc("", "Ménage")), "Ménage"},
		{"euc-jp labeled utf-8", "", enc(japanese.EUCJP, doc("utf-8", ja)), ja},
		{"shift_jis labeled iso-8859-1", "", enc(japanese.ShiftJIS, doc("iso-8859-1", ja)), ja},
		{"koi8-r labeled utf-8 by http", "text/xml; charset=utf-8", enc(charmap.KOI8R, doc("", ru)), ru},
		{"gbk labeled euc-jp", "", enc(simplifiedchinese.GBK, doc("euc-jp", zh)), zh},
		{"utf-8 labeled windows-1252", "", []byte(doc("windows-1252", ja)), ja},
		{"declared euc-kr kept", "", enc(korean.EUCKR, doc("euc-kr", ko)), ko},
		{"declared latin-1 kept", "", enc(charmap.ISO8859_1, doc("iso-8859-1", fr)), fr},
		{"unknown charset name", "", []byte(doc("x-no-such-charset", fr)), fr},
		{"iana name browsers lack", "", enc(charmap.CodePage437, doc("cp437", "Ça coûte")), "Ça coûte"},
		{"utf-16 label over utf-8", "", []byte(doc("utf-16", ja)), ja},
		{"windows-1252 quote in utf-8", "", []byte(doc("utf-8", "It\x92s caf\xc3\xa9 \xe2\x80\x94 "+ja)), "It’s café — " + ja},
		{"utf-16le without bom", "", enc(unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), doc("utf-16", ja)), ja},
		{"utf-16be without bom", "", enc(unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), doc("utf-16", ja)), ja},
		{"utf-32le with bom", "", enc(utf32.UTF32(utf32.LittleEndian, utf32.UseBOM), doc("utf-32", ko)), ko},
		{"utf-32be without bom", "", enc(utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), doc("utf-32", ko)), ko},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if len(tc.body) == 0 {
				t.Skip("no encoder")
			}
			pf, err := ParseFeedType(tc.body, tc.ct, "https://enc.example/feed", 0)
			if err != nil {
				t.Fatalf("ParseFeedType: %v", err)
			}
			if len(pf.Items) != 1 {
				t.Fatalf("%d items", len(pf.Items))
			}
			if got := pf.Items[0].Title; got != tc.want {
				t.Errorf("title = %q, want %q", got, tc.want)
			}
			if strings.ContainsRune(pf.Items[0].Summary, '\uFFFD') {
				t.Errorf("summary holds U+FFFD: %q", pf.Items[0].Summary)
			}
		})
	}
}

// TestCharsetPrecedence: a byte order mark decides, then the HTTP
// charset, then the XML declaration (RFC 3023, as feedparser), each only
// when the bytes do not contradict it.
func TestCharsetPrecedence(t *testing.T) {
	const (
		ru = "Правительство объявило о новых мерах поддержки экономики страны."
		fr = "Le café de la gare a rouvert après l'été."
		eu = "Le café coûte 2 € à la gare."
	)
	doc := func(decl, title string) string { return oneItemRSS(decl, `<title>`+title+`</title>`) }
	enc := func(e encoding.Encoding, s string) []byte { return encodeTo(t, e, s) }
	tests := []struct {
		name, ct string
		body     []byte
		want     string
	}{
		{"utf-8 bom over http and declaration", "text/xml; charset=windows-1252", append([]byte{0xEF, 0xBB, 0xBF}, doc("iso-8859-1", fr)...), fr},
		{"utf-16 bom over http utf-8", "application/xml; charset=utf-8", enc(unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), doc("", ru)), ru},
		{"application/xml: http charset over declaration", "application/xml; charset=iso-8859-15", enc(charmap.ISO8859_15, doc("windows-1252", eu)), eu},
		{"text/xml: http charset over declaration", "text/xml; charset=windows-1252", enc(charmap.Windows1252, doc("iso-8859-15", eu)), eu},
		{"declaration when http has no charset", "application/atom+xml", enc(charmap.ISO8859_15, doc("iso-8859-15", eu)), eu},
		{"text/xml without charset: the declaration, not us-ascii", "text/xml", enc(charmap.ISO8859_1, doc("iso-8859-1", fr)), fr},
		{"application/xml without charset: the declaration", "application/xml", enc(charmap.Windows1252, doc("windows-1252", fr)), fr},
		{"http latin-1 over utf-8 bytes: the declaration", "text/xml; charset=iso-8859-1", []byte(doc("utf-8", ru)), ru},
		{"http utf-8 over windows-1252 bytes: the declaration", "application/rss+xml; charset=utf-8", enc(charmap.Windows1252, doc("windows-1252", fr)), fr},
		{"unknown http charset: the declaration", "text/xml; charset=x-nonesuch", enc(charmap.Windows1252, doc("windows-1252", fr)), fr},
		{"utf-16 label over 8-bit bytes: the other label", "text/xml; charset=utf-16", enc(charmap.Windows1251, doc("windows-1251", ru)), ru},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pf, err := ParseFeedType(tc.body, tc.ct, "https://enc.example/feed", 0)
			if err != nil {
				t.Fatalf("ParseFeedType: %v", err)
			}
			if len(pf.Items) != 1 || pf.Items[0].Title != tc.want {
				t.Fatalf("items %+v, want one titled %q", pf.Items, tc.want)
			}
		})
	}
}

// oneItemRSS is an RSS document of one item (guid 1) holding fields, with
// an XML declaration of encoding decl unless decl is empty.
func oneItemRSS(decl, fields string) string {
	if decl != "" {
		decl = `<?xml version="1.0" encoding="` + decl + `"?>`
	}
	return decl + `<rss version="2.0"><channel><title>t</title><item>` + fields + `<guid>1</guid></item></channel></rss>`
}

// encodeTo encodes s in e.
func encodeTo(t testing.TB, e encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

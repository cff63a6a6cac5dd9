package extract

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

const arabicSentence = "أعلن الأمين العام لحلف شمال الأطلسي أن الحلف مستعد للجلوس إلى طاولة المفاوضات مع روسيا والاستماع إلى مخاوفها الأمنية"

func encode(t *testing.T, cm *charmap.Charmap, s string) []byte {
	t.Helper()
	b, err := cm.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode %s: %v", cm, err)
	}
	return b
}

// encodeTo encodes s with any encoding.
func encodeTo(t *testing.T, e encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode %v: %v", e, err)
	}
	return b
}

func TestToUTF8(t *testing.T) {
	const (
		ja = "東京で新しい駅が開業しました。多くの人々が訪れています。"
		ko = "서울에서 새로운 지하철 노선이 개통되었습니다. 많은 시민들이 이용하고 있습니다."
		zh = "北京今天举行了新闻发布会，宣布了新的经济政策和发展计划。"
		ru = "Правительство объявило о новых мерах поддержки экономики страны."
	)
	page := func(head, body string) string {
		return "<html><head>" + head + "</head><body><p>" + body + "</p></body></html>"
	}
	utf16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(page("", arabicSentence)))
	tests := []struct {
		name        string
		body        []byte
		contentType string
		wantCharset string
		wantText    string
	}{
		{"plain utf-8", []byte(page("", arabicSentence)), "", "utf-8", arabicSentence},
		{"utf-8 bom", append([]byte{0xEF, 0xBB, 0xBF}, page("", "héllo")...), "", "utf-8", "héllo"},
		{"utf-16le bom", utf16, "", "utf-16le", arabicSentence},
		{"header windows-1256", encode(t, charmap.Windows1256, page("", arabicSentence)), "text/html; charset=windows-1256", "windows-1256", arabicSentence},
		{"quoted header charset", encode(t, charmap.Windows1256, page("", arabicSentence)), `text/html; charset="Windows-1256"`, "windows-1256", arabicSentence},
		{"meta charset iso-8859-6", encode(t, charmap.ISO8859_6, page(`<meta charset="iso-8859-6">`, arabicSentence)), "", "iso-8859-6", arabicSentence},
		{"meta http-equiv windows-1256", encode(t, charmap.Windows1256, page(`<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">`, arabicSentence)), "", "windows-1256", arabicSentence},
		{"undeclared windows-1256", encode(t, charmap.Windows1256, page("", arabicSentence)), "", "windows-1256", arabicSentence},
		{"undeclared iso-8859-6", encode(t, charmap.ISO8859_6, page("", arabicSentence)), "", "iso-8859-6", arabicSentence},
		{"undeclared latin-1 french", encode(t, charmap.Windows1252, page("", strings.Repeat("Le président a déclaré à l'été qu'il était prêt. ", 4))), "", "windows-1252", "Le président a déclaré"},
		{"mislabelled latin-1 that is arabic", encode(t, charmap.Windows1256, page(`<meta charset="iso-8859-1">`, arabicSentence)), "", "windows-1256", arabicSentence},
		{"stale legacy label on valid utf-8", []byte(page(`<meta charset="gbk">`, arabicSentence)), "", "utf-8", arabicSentence},
		{"header beats meta", encode(t, charmap.Windows1256, page(`<meta charset="iso-8859-6">`, arabicSentence)), "text/html; charset=cp1256", "windows-1256", arabicSentence},
		{"invalid bytes in utf-8 page", []byte(page("", "ok \xff text "+arabicSentence)), "", "utf-8", arabicSentence},
		// The feed reader's detector (scraper/sniff) reads undeclared pages of other scripts too.
		{"undeclared shift_jis", encodeTo(t, japanese.ShiftJIS, page("", ja)), "", "shift_jis", ja},
		{"undeclared euc-kr", encodeTo(t, korean.EUCKR, page("", ko)), "", "euc-kr", ko},
		{"undeclared gbk", encodeTo(t, simplifiedchinese.GBK, page("", zh)), "", "gb18030", zh},
		{"undeclared koi8-r", encodeTo(t, charmap.KOI8R, page("", ru)), "", "koi8-r", ru},
		{"undeclared windows-1251", encodeTo(t, charmap.Windows1251, page("", ru)), "", "windows-1251", ru},
		{"mislabelled latin-1 that is cyrillic", encodeTo(t, charmap.Windows1251, page(`<meta charset="iso-8859-1">`, ru)), "", "windows-1251", ru},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, cs, err := ToUTF8(tc.body, tc.contentType)
			if err != nil {
				t.Fatalf("ToUTF8: %v", err)
			}
			if cs != tc.wantCharset {
				t.Errorf("charset = %q, want %q", cs, tc.wantCharset)
			}
			if !bytes.Contains(out, []byte(tc.wantText)) {
				t.Errorf("decoded text lacks %q:\n%s", tc.wantText, out)
			}
		})
	}
}

// TestDecodedOnce checks that a page is decoded once: a windows-1256 page
// whose meta tag survives decoding must not be decoded a second time by
// the parser or by Extract.
func TestDecodedOnce(t *testing.T) {
	body := encode(t, charmap.Windows1256, `<html><head><meta charset="windows-1256"><title>عنوان</title></head><body><article><p>`+
		strings.Repeat(arabicSentence+". ", 3)+`</p></article></body></html>`)
	p, err := Extract(body, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Charset != "windows-1256" || !strings.Contains(p.Text, arabicSentence) {
		t.Fatalf("charset %q text %q", p.Charset, p.Text)
	}
}

package sniff

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// TestLegacy: text of each script in its legacy encodings, inside ASCII
// markup, is told by its bytes; Latin and plain ASCII text is not guessed.
func TestLegacy(t *testing.T) {
	const (
		ja = "東京で新しい駅が開業しました。多くの人々が訪れています。"
		ko = "서울에서 새로운 지하철 노선이 개통되었습니다. 많은 시민들이 이용하고 있습니다."
		zh = "北京今天举行了新闻发布会，宣布了新的经济政策和发展计划。"
		tw = "台北市政府今天宣布了新的交通計劃，許多市民表示支持這個決定。"
		ru = "Правительство объявило о новых мерах поддержки экономики страны."
		ar = "أعلن الأمين العام لحلف شمال الأطلسي أن الحلف مستعد للجلوس إلى طاولة المفاوضات مع روسيا"
		he = "הממשלה הודיעה היום על תוכנית חדשה לתמיכה בכלכלה הלאומית"
		th = "รัฐบาลประกาศแผนใหม่เพื่อสนับสนุนเศรษฐกิจของประเทศ"
		fr = "Le café de la gare a rouvert après l'été, a déclaré le maire à Sète."
	)
	tests := []struct {
		name string
		enc  encoding.Encoding // the text's encoding
		text string
		want encoding.Encoding // nil: no guess
	}{
		{"euc-jp", japanese.EUCJP, ja, japanese.EUCJP},
		{"shift_jis", japanese.ShiftJIS, ja, japanese.ShiftJIS},
		{"euc-kr", korean.EUCKR, ko, korean.EUCKR},
		{"gbk", simplifiedchinese.GBK, zh, simplifiedchinese.GB18030},
		{"big5", traditionalchinese.Big5, tw, traditionalchinese.Big5},
		{"koi8-r", charmap.KOI8R, ru, charmap.KOI8R},
		{"windows-1251", charmap.Windows1251, ru, charmap.Windows1251},
		{"windows-1256", charmap.Windows1256, ar, charmap.Windows1256},
		{"iso-8859-6", charmap.ISO8859_6, ar, charmap.ISO8859_6},
		{"windows-1255", charmap.Windows1255, he, charmap.Windows1255},
		{"windows-874", charmap.Windows874, th, charmap.Windows874},
		{"latin-1 is not guessed", charmap.Windows1252, fr, nil},
		{"ascii is not guessed", charmap.Windows1252, "plain words", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			page := "<html><body><h1>" + tc.text + "</h1>\n<p>" + strings.Repeat(tc.text+" ", 3) + "</p></body></html>\n"
			b, err := tc.enc.NewEncoder().Bytes([]byte(page))
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			if got := Legacy(b); got != tc.want {
				t.Errorf("Legacy = %v; want %v", got, tc.want)
			}
		})
	}
}

// FuzzLegacy: any bytes give an answer without panicking, and a guessed
// encoding decodes the sample it was guessed from.
func FuzzLegacy(f *testing.F) {
	for _, s := range []string{"", "plain", "caf\xe9", "\xc7\xe1\xc7\xe1 \xc7\xe1", "\xa4\xb3\xa4\xf3", "\xff\xfe\x00"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		enc := Legacy(b)
		if enc == nil {
			return
		}
		out, err := enc.NewDecoder().Bytes(highSample(b, 64<<10))
		if err != nil || !utf8.Valid(out) {
			t.Fatalf("%v guessed for %q does not decode it: %v", enc, b, err)
		}
	})
}

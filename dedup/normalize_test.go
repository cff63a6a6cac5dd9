package dedup

import (
	"reflect"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"ascii case and punctuation", "Hello, World! It's 2015.", "hello world it s 2015"},
		{"lines kept", "First line.\n\nSecond line", "first line\nsecond line"},
		{"harakat removed", "مُحَمَّدٌ", "محمد"},
		{"tatweel removed", "الســـلام", "السلام"},
		{"alef forms", "أحمد إبراهيم آمن ٱلله", "احمد ابراهيم امن الله"},
		{"alef maksura to yeh", "على مستشفى", "علي مستشفي"},
		{"teh marbuta to heh", "مدينة جدة", "مدينه جده"},
		{"persian yeh and kaf", "کیری یحذّر", "كيري يحذر"},
		{"hamza on waw and yeh", "مؤتمر رئيس", "موتمر رييس"},
		{"arabic-indic digits", "٢٠١٥ و۱۴۳۶", "2015 و1436"},
		{"presentation forms", "ﻻ ﺍﻟﻠﻪ", "لا الله"},
		{"bidi and zero width", "a\u200Fb\u200Bc \u202Bد\u202C", "abc د"},
		{"soft hyphen and bom", "in\u00ADter\uFEFFnet", "internet"},
		{"fullwidth and ligature", "ＡＢＣ ﬁle", "abc file"},
		{"latin accents folded", "Café Über", "cafe uber"},
		{"arabic punctuation splits", "قال،وأضاف؛ثم؟", "قال واضاف ثم"},
		{"empty", "", ""},
		{"only marks", "\u064B\u0640", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Normalize(tc.in); got != tc.want {
				t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestNormalizeSpellingVariants checks that an outlet's spelling habits do
// not change the normalized text.
func TestNormalizeSpellingVariants(t *testing.T) {
	tests := []struct {
		name, a, b string
	}{
		{"vocalised", "استقبلت مواقع احتفالات العيد", "اسْتقبلتْ مَواقع احتفالاتِ العيد"},
		{"hamza-less alef", "أعلن الأمين العام", "اعلن الامين العام"},
		{"final yeh as alef maksura", "في الوادي", "فى الوادى"},
		{"teh marbuta as heh", "الهيئة السعودية", "الهيئه السعوديه"},
		{"persian letters", "كلية العلوم في جامعة", "کلیة العلوم فی جامعة"},
		{"digits", "عمر 30 عاما في 2022", "عمر ٣٠ عاما في ٢٠٢٢"},
		{"tatweel", "من الرياض", "مـن الريـاض"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if a, b := Normalize(tc.a), Normalize(tc.b); a != b {
				t.Errorf("Normalize(%q) = %q, Normalize(%q) = %q, want equal", tc.a, a, tc.b, b)
			}
		})
	}
}

func TestContentHash(t *testing.T) {
	a := ContentHash("Hello,  World!\n\nSecond paragraph.")
	tests := []struct {
		name, text string
		same       bool
	}{
		{"spacing and punctuation", "hello world\nsecond paragraph", true},
		{"different text", "hello world\nthird paragraph", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ContentHash(tc.text) == a; got != tc.same {
				t.Errorf("same hash = %v, want %v", got, tc.same)
			}
		})
	}
	if len(a) != 32 {
		t.Errorf("ContentHash length %d, want 32 hex digits", len(a))
	}
}

// TestFingerprintContent: one pass gives the fingerprint Fingerprint gives
// and the hash ContentHash gives, text after text with one Fingerprinter.
func TestFingerprintContent(t *testing.T) {
	fpr := NewFingerprinter()
	tests := []struct{ name, text string }{
		{"empty", ""},
		{"punctuation only", " ,.;! "},
		{"paragraphs", "Hello,  World!\n\nSecond paragraph.\nThird line"},
		{"leading break", "\n\nfirst word after breaks"},
		{"arabic", "قال المتحدث  إن الحكومة\n\nستعلن القرار غداً"},
		{"accents and case", "ÉCOLE Café naïve — ﬁne Ⅻ"},
		{"long", strings.Repeat("one two three four five six seven\n\n", 50)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := Doc{Text: tc.text, URL: "https://example.com/a"}
			fp, hash := fpr.FingerprintContent(&d)
			if want := ContentHash(tc.text); hash != want {
				t.Errorf("hash %s, want ContentHash's %s", hash, want)
			}
			want := NewFingerprinter().Fingerprint(&d)
			if !reflect.DeepEqual(fp, want) {
				t.Errorf("fingerprint differs from Fingerprint's")
			}
		})
	}
}

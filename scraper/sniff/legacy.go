// Package sniff guesses the legacy encoding of text that is not UTF-8 and
// declares none, from its bytes alone: the one detector behind both the
// feed reader (scraper) and the page extractor (scraper/extract).
package sniff

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/transform"
)

// Legacy guesses the legacy encoding of bytes that are not UTF-8,
// or nil when none is plain: each candidate must decode the bytes without
// error and read as its script does.
//   - Japanese (EUC-JP, then Shift_JIS): a fifth or more of the non-ASCII
//     characters are kana (Chinese and Korean text decoded as Japanese is
//     kanji, or half-width kana that Japanese feeds hardly use);
//   - Korean (EUC-KR): nine in ten are Hangul syllables (Chinese text
//     decoded as EUC-KR mixes Hangul and Hanja);
//   - Chinese (GB18030, a superset of GB2312 and GBK, or Big5): nine in
//     ten are Han; the two read each other's bytes as Han too, so the one
//     whose decoding holds more of the commonest characters is taken;
//   - both only when most high bytes come in runs, as CJK text's do
//     (Latin "é" before an ASCII letter decodes as a Hangul or Han
//     character in either);
//   - Arabic (windows-1256 or ISO-8859-6, whichever reads more of the
//     high bytes as Arabic letters) when most are and alef and lam, the
//     commonest letters, make a sixth of them;
//   - Cyrillic: most high bytes are letters; KOI8-R puts the lowercase
//     (most of any text) at 0xC0–0xDF, windows-1251 at 0xE0–0xFF.
func Legacy(b []byte) encoding.Encoding {
	sample := highSample(b, 64<<10)
	if len(sample) == 0 {
		return nil
	}
	ps := pairedShare(sample)
	paired := ps >= 0.8
	if enc := scriptPage(sample, ps, true); enc != nil {
		// Before CJK: Hebrew words are runs of high bytes that GB18030
		// reads as Han; CJK text read as Hebrew holds symbols and
		// vowel points.
		return enc
	}
	for _, c := range []struct {
		enc    encoding.Encoding
		fit    func(r rune) bool
		min    float64
		paired bool // EUC-KR (as CP949) and GB18030 take ASCII trail bytes: Latin "é" + "t" decodes
	}{
		{japanese.EUCJP, isKana, 0.2, false},
		{japanese.ShiftJIS, isKana, 0.2, false},
		{korean.EUCKR, isHangul, 0.9, true},
		{simplifiedchinese.GB18030, isHan, 0.9, true},
		{traditionalchinese.Big5, isHan, 0.9, true},
	} {
		if c.paired && !paired {
			continue
		}
		if share, ok := decodedShare(c.enc, sample, c.fit); ok && share >= c.min {
			if c.enc == simplifiedchinese.GB18030 {
				return chinese(sample)
			}
			return c.enc
		}
	}
	ar, arShare := arabic(sample, ps)
	if arShare >= 0.9 {
		// Before Thai: windows-874 reads every ISO-8859-6 letter as Thai,
		// while Thai text read as Arabic is far from nine in ten letters.
		return ar
	}
	if enc := scriptPage(sample, ps, false); enc != nil {
		// After CJK, which windows-874 reads as Thai letters.
		return enc
	}
	return singleByte(sample, ps, ar)
}

// pairedShare is the share of b's high bytes next to another high byte:
// near 1 for CJK text (two high bytes a character), low for Latin text
// (an accented letter between ASCII ones).
func pairedShare(b []byte) float64 {
	high, paired := 0, 0
	for i, c := range b {
		if c < 0x80 {
			continue
		}
		high++
		if i > 0 && b[i-1] >= 0x80 || i+1 < len(b) && b[i+1] >= 0x80 {
			paired++
		}
	}
	if high == 0 {
		return 0
	}
	return float64(paired) / float64(high)
}

// highSample returns the lines of b (up to max bytes in all) that hold
// bytes over 0x7F: what tells encodings apart, without the ASCII markup.
func highSample(b []byte, max int) []byte {
	var out []byte
	for len(b) > 0 && len(out) < max {
		end := len(b)
		for i, c := range b {
			if c == '\n' {
				end = i + 1
				break
			}
		}
		line := b[:end]
		b = b[end:]
		for _, c := range line {
			if c >= 0x80 {
				out = append(out, line...)
				break
			}
		}
	}
	return out
}

// decodedShare decodes b with enc and returns the share of its non-ASCII
// characters that fit; ok is false when the decoding fails or yields
// U+FFFD or control characters.
func decodedShare(enc encoding.Encoding, b []byte, fit func(rune) bool) (float64, bool) {
	out, _, err := transform.Bytes(enc.NewDecoder(), b)
	if err != nil {
		return 0, false
	}
	total, fits := 0, 0
	for len(out) > 0 {
		r, n := utf8.DecodeRune(out)
		out = out[n:]
		if r < 0x80 {
			continue
		}
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Co, r) {
			return 0, false
		}
		total++
		if fit(r) {
			fits++
		}
	}
	if total == 0 {
		return 0, false
	}
	return float64(fits) / float64(total), true
}

func isKana(r rune) bool {
	return unicode.Is(unicode.Hiragana, r) || r >= 0x30A0 && r <= 0x30FF // full-width katakana
}

func isHangul(r rune) bool { return r >= 0xAC00 && r <= 0xD7A3 }

func isHan(r rune) bool {
	return unicode.Is(unicode.Han, r) || r >= 0x3000 && r <= 0x303F || r >= 0xFF01 && r <= 0xFF5E
}

// commonHan are about 300 of the commonest Chinese characters, in their
// simplified and traditional forms: text read with the right one of
// GB18030 and Big5 is largely made of them, and with the wrong one hardly.
const commonHan = "的一是不了在人有我他这這个個们們中来來上大为為和国國地到以说說时時要就出会會可也你对對生能而子那得于於着著下自之年过過发發后後作里裡用道行所然家种種事成方多经經么麼去法学學如都同现現当當没沒动動面起看定天分还還进進好小部其些主样樣理心她本前开開但因只从從想实實日军軍者意无無力它与與长長把机機十民第公此已工使情明性知全三又关關点點正业業外将將两兩高间間由问問很最重并並物手应應战戰向头頭文体體政美相见見被利什二等产產或新己制身果加西斯月话話合回特代内信表化老给給世位次度门門任常先海通教儿兒原东東声聲提立及比员員解水名真论論处處走义義各入几幾口认認条條平系气氣题題活更别別打女变變四神总總何电電数數安少报報才结結反受目太量再感建务務做接必场場件计計管期市直德资資命山金指克许許统統区區保至队隊形社便空决決治展马馬科司五基书書非则則听聽白界达達光放强強即像难難且权權思王象完设設式色路记記南品住告类類求据據程北边邊死张張该該交规規万萬取格望觉覺术術领領共确確传傳师師观觀清今切院让讓识識候带帶导導争爭运運飞飛风風步改收根千病举舉闻聞布宣济濟策划劃府台湾灣京香港"

// chinese tells GB18030 from Big5 by the commonest characters.
func chinese(b []byte) encoding.Encoding {
	if hanCommonShare(traditionalchinese.Big5, b) > hanCommonShare(simplifiedchinese.GB18030, b) {
		return traditionalchinese.Big5
	}
	return simplifiedchinese.GB18030
}

// hanCommonShare is the share of commonHan among the characters b
// decodes to with enc (0 when it does not decode).
func hanCommonShare(enc encoding.Encoding, b []byte) float64 {
	out, _, err := transform.Bytes(enc.NewDecoder(), b)
	if err != nil {
		return 0
	}
	total, common := 0, 0
	for _, r := range string(out) {
		if r < 0x80 {
			continue
		}
		total++
		if strings.ContainsRune(commonHan, r) {
			common++
		}
	}
	if total == 0 {
		return 0
	}
	return float64(common) / float64(total)
}

// scriptPages are the single-byte code pages whose letters lie in their
// own byte ranges, told by decoding: Hebrew (windows-1255, a superset of
// ISO-8859-8's letters) and Thai (windows-874, a superset of TIS-620).
// Cyrillic and CJK text read as either holds undefined bytes, symbols or
// Thai marks where no Thai text has them.
var scriptPages = []struct {
	enc       encoding.Encoding
	script    *unicode.RangeTable
	beforeCJK bool
}{
	{charmap.Windows1255, unicode.Hebrew, true},
	{charmap.Windows874, unicode.Thai, false},
}

// scriptPage returns the code page of scriptPages (those tried before CJK
// or after) that reads nearly all of b's non-ASCII characters as its
// script, or nil.
func scriptPage(b []byte, ps float64, beforeCJK bool) encoding.Encoding {
	if len(b) == 0 || ps < 0.5 {
		return nil
	}
	for _, c := range scriptPages {
		if c.beforeCJK == beforeCJK && scriptShare(c.enc, b, c.script) >= 0.95 {
			return c.enc
		}
	}
	return nil
}

// scriptShare decodes b with enc and returns the share of its non-ASCII
// characters in script, counting as misfits undefined bytes and combining
// marks that follow no letter or two other marks (how bytes of another
// script read as Thai).
func scriptShare(enc encoding.Encoding, b []byte, script *unicode.RangeTable) float64 {
	out, _, err := transform.Bytes(enc.NewDecoder(), b)
	if err != nil {
		return 0
	}
	total, fits, marks := 0, 0, 0
	prevLetter := false
	for len(out) > 0 {
		r, n := utf8.DecodeRune(out)
		out = out[n:]
		isMark := unicode.Is(unicode.Mn, r)
		if r == utf8.RuneError {
			return 0
		}
		if r >= 0x80 {
			total++
			if unicode.Is(script, r) && (!isMark || prevLetter && marks < 2) {
				fits++
			}
		}
		if isMark {
			marks++
		} else {
			marks = 0
			prevLetter = unicode.IsLetter(r) && r >= 0x80
		}
	}
	if total == 0 {
		return 0
	}
	return float64(fits) / float64(total)
}

// singleByte tells Arabic and Cyrillic code pages apart by their letters
// (see Legacy; ar is arabic's reading of b, ps its paired share); nil when the high bytes are not mostly letters of
// either, or stand alone between ASCII letters, as Latin accented
// letters do (Cyrillic and Arabic words are runs of high bytes).
func singleByte(b []byte, ps float64, ar encoding.Encoding) encoding.Encoding {
	var high, letters, low, up int
	for _, c := range b {
		if c < 0x80 {
			continue
		}
		high++
		if c >= 0xC0 {
			letters++
			if c <= 0xDF {
				low++
			} else {
				up++
			}
		}
	}
	if high < 4 || ps < 0.5 {
		return nil
	}
	if ar != nil {
		return ar
	}
	switch {
	case letters*10 < high*7:
		return nil
	case low > up:
		return charmap.KOI8R
	default:
		return charmap.Windows1251
	}
}

// arabicPages are the single-byte Arabic code pages with the bytes of
// alef and lam in each.
var arabicPages = []struct {
	cm        *charmap.Charmap
	alef, lam byte
}{
	{charmap.Windows1256, 0xC7, 0xE1},
	{charmap.ISO8859_6, 0xC7, 0xE4},
}

// arabic returns the Arabic code page that reads the most of b's high
// bytes as Arabic letters, and that share, when it is six in ten or more
// and alef and lam make a sixth of them (Cyrillic KOI8-R lowercase also
// decodes as windows-1256 letters, but holds few of those two bytes);
// else nil. ps is b's paired share: words of Arabic letters are runs of
// high bytes.
// windows-1256 wins a tie: its letters fall into holes of ISO-8859-6, and
// ISO-8859-6 text read as windows-1256 holds its Latin letters.
func arabic(b []byte, ps float64) (encoding.Encoding, float64) {
	high := 0
	for _, c := range b {
		if c >= 0x80 {
			high++
		}
	}
	if high == 0 || ps < 0.5 {
		return nil, 0
	}
	var best *charmap.Charmap
	bestShare := 0.0
	for _, p := range arabicPages {
		n, alefLam := 0, 0
		for _, c := range b {
			if c < 0x80 {
				continue
			}
			if r := p.cm.DecodeByte(c); r >= 0x0621 && r <= 0x064A || r >= 0x0671 && r <= 0x06D3 {
				n++
			}
			if c == p.alef || c == p.lam {
				alefLam++
			}
		}
		if share := float64(n) / float64(high); share >= 0.6 && share > bestShare && alefLam*6 >= high {
			best, bestShare = p.cm, share
		}
	}
	if best == nil {
		return nil, 0
	}
	return best, bestShare
}

package dedup

import (
	"strings"
	"unicode/utf8"
)

// agencyNames lists wire agencies and the ways credit lines name them.
// A name prefixed with "~" is ambiguous as an ordinary word ("AP", "واس",
// "قنا"): it counts only when it makes up a whole credit segment, such as
// "(واس)", "Source: AP" or "الرياض - واس:".
func agencyNames() [][]string {
	return [][]string{
		{"Reuters", "reuters", "رويترز", "رويتر"},
		{"AP", "associated press", "اسوشيتد برس", "اسوشيتدبرس", "~ap"},
		{"AFP", "afp", "agence france presse", "france presse", "فرانس برس", "فرانس بريس", "ا ف ب"},
		{"Xinhua", "xinhua", "شينخوا", "شينخوا"},
		{"Sputnik", "sputnik", "سبوتنيك"},
		{"SPA", "saudi press agency", "وكاله الانباء السعوديه", "~واس", "~spa"},
		{"WAM", "emirates news agency", "وكاله انباء الامارات", "~wam", "~وام"},
		{"KUNA", "kuwait news agency", "وكاله الانباء الكويتيه", "~kuna", "~كونا"},
		{"QNA", "qatar news agency", "وكاله الانباء القطريه", "~qna", "~قنا"},
		{"MENA", "middle east news agency", "وكاله انباء الشرق الاوسط", "ا ش ا", "~mena"},
		{"Anadolu", "anadolu", "الاناضول"},
		{"DPA", "deutsche presse agentur", "د ب ا", "~dpa"},
		{"TASS", "~tass", "~تاس"},
		{"RIA Novosti", "ria novosti", "ريا نوفوستي"},
		{"Interfax", "interfax", "انترفاكس"},
		{"Bernama", "bernama"},
		{"Kyodo", "kyodo", "كيودو"},
		{"Yonhap", "yonhap", "يونهاب"},
		{"ANSA", "~ansa"},
		{"EFE", "~efe"},
		{"UPI", "united press international", "~upi"},
		{"PA", "press association", "~pa"},
		{"PTI", "press trust of india", "~pti"},
		{"IANS", "~ians"},
		{"BNA", "bahrain news agency", "وكاله انباء البحرين", "~bna", "~بنا"},
		{"Petra", "وكاله الانباء الاردنيه", "~petra", "~بترا"},
		{"SANA", "~sana", "~سانا"},
		{"IRNA", "irna", "ارنا"},
		{"ONA", "oman news agency", "وكاله الانباء العمانيه", "~ona"},
		{"Bloomberg", "bloomberg", "بلومبرغ"},
		{"CNA", "~cna"},
		{"ANI", "~ani"},
	}
}

// agencyVariant is one normalized way of naming an agency.
type agencyVariant struct {
	name  string
	words []string // normalized words
}

// originMatcher finds the wire agency named by a credit line. It reuses
// its buffers between calls.
type originMatcher struct {
	whole  map[string]string          // normalized segment -> agency, every variant
	strong map[string][]agencyVariant // first word -> unambiguous variants
	n      normalizer
	buf    []byte // normalized segment, words separated by one space
	ends   []int  // end offset of each word in buf
}

func newOriginMatcher() *originMatcher {
	m := &originMatcher{whole: make(map[string]string), strong: make(map[string][]agencyVariant)}
	m.n.emit = m.word
	for _, a := range agencyNames() {
		for _, v := range a[1:] {
			weak := strings.HasPrefix(v, "~")
			n := Normalize(strings.TrimPrefix(v, "~"))
			m.whole[n] = a[0]
			if !weak {
				w := strings.Fields(n)
				m.strong[w[0]] = append(m.strong[w[0]], agencyVariant{name: a[0], words: w})
			}
		}
	}
	return m
}

// Origin returns the wire agency ("Reuters", "AFP", "Sputnik", "SPA", ...)
// named by a credit line of text: a dateline credit at the start of the lede
// ("LONDON (Reuters) -", "الرياض - واس:"), or a credit line near the end
// ("المصدر: سبوتنيك", "(Reporting by ... for AFP)"). It returns "" when no
// credit line names a known agency.
func Origin(text string) string {
	return newOriginMatcher().find(text)
}

// Credit zone limits: datelines open the first lines, credit lines are
// short lines at the end.
const (
	headLines = 4
	tailLines = 5
	headBytes = 160
	tailBytes = 200
	// maxSegment is the longest credit segment looked at ("Reporting by
	// Jane Doe for AFP" is 31 bytes; Arabic letters take two).
	maxSegment = 96
)

// creditZone returns where credit lines live: the start of the first
// non-empty lines and the end of the last ones.
func creditZone(text string) []string {
	var zone []string
	rest := text
	for len(zone) < headLines && rest != "" {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		if line = strings.TrimSpace(line); line != "" {
			zone = append(zone, clip(line, headBytes, false))
		}
	}
	for n := 0; n < tailLines && rest != ""; {
		i := strings.LastIndexByte(rest, '\n')
		line := strings.TrimSpace(rest[i+1:])
		rest = rest[:max(i, 0)]
		if line != "" {
			zone = append(zone, clip(line, tailBytes, true))
			n++
		}
	}
	return zone
}

// clip keeps at most n bytes of s, from its start or its end, cutting at
// a rune boundary.
func clip(s string, n int, end bool) string {
	if len(s) <= n {
		return s
	}
	if end {
		i := len(s) - n
		for i < len(s) && !utf8.RuneStart(s[i]) {
			i++
		}
		return s[i:]
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func (m *originMatcher) find(text string) string {
	for _, line := range creditZone(text) {
		if name := m.inLine(line); name != "" {
			return name
		}
	}
	return ""
}

func (m *originMatcher) word(tok []byte, _ bool) {
	if len(m.buf) > 0 {
		m.buf = append(m.buf, ' ')
	}
	m.buf = append(m.buf, tok...)
	m.ends = append(m.ends, len(m.buf))
}

// inLine looks for an agency in one line, segment by segment.
func (m *originMatcher) inLine(line string) string {
	for line != "" {
		seg := line
		line = ""
		if i := strings.IndexFunc(seg, creditPunct); i >= 0 {
			_, size := utf8.DecodeRuneInString(seg[i:])
			seg, line = seg[:i], seg[i+size:]
		}
		if len(seg) > maxSegment {
			continue // running text, not a credit
		}
		if name := m.inSegment(seg); name != "" {
			return name
		}
	}
	return ""
}

// inSegment matches one segment between credit punctuation: a weak name
// must fill the whole segment, a strong one may appear inside it.
func (m *originMatcher) inSegment(seg string) string {
	m.buf, m.ends = m.buf[:0], m.ends[:0]
	m.n.run(seg)
	if len(m.buf) == 0 {
		return ""
	}
	if name, ok := m.whole[string(m.buf)]; ok {
		return name
	}
	for i := range m.ends {
		for _, v := range m.strong[string(m.wordAt(i))] {
			if m.matchAt(i, v.words) {
				return v.name
			}
		}
	}
	return ""
}

func (m *originMatcher) wordAt(i int) []byte {
	start := 0
	if i > 0 {
		start = m.ends[i-1] + 1
	}
	return m.buf[start:m.ends[i]]
}

func (m *originMatcher) matchAt(i int, words []string) bool {
	if len(m.ends)-i < len(words) {
		return false
	}
	for k, w := range words {
		if string(m.wordAt(i+k)) != w {
			return false
		}
	}
	return true
}

// creditPunct reports the punctuation that separates credit segments.
func creditPunct(r rune) bool {
	switch r {
	case '(', ')', '[', ']', '-', '–', '—', ':', '/', '|', ',', '،', '؛', ';', '«', '»', '"', '.', '۔':
		return true
	}
	return false
}

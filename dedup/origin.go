package dedup

import (
	"strings"
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
	words string // normalized, space separated
	weak  bool
}

// originMatcher finds the wire agency named by a credit line.
type originMatcher struct {
	variants []agencyVariant
}

func newOriginMatcher() *originMatcher {
	m := &originMatcher{}
	for _, a := range agencyNames() {
		for _, v := range a[1:] {
			weak := strings.HasPrefix(v, "~")
			m.variants = append(m.variants, agencyVariant{name: a[0], words: Normalize(strings.TrimPrefix(v, "~")), weak: weak})
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

// creditZone returns the lines where credit lines live: the first four and
// the last five non-empty lines.
func creditZone(text string) []string {
	var lines []string
	for l := range strings.Lines(text) {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) <= 9 {
		return lines
	}
	return append(lines[:4:4], lines[len(lines)-5:]...)
}

func (m *originMatcher) find(text string) string {
	for _, line := range creditZone(text) {
		if len(line) > 400 {
			line = line[:400]
		}
		if name := m.inLine(line); name != "" {
			return name
		}
	}
	return ""
}

// inLine looks for an agency in one line: a weak name must fill a whole
// segment between credit punctuation; a strong one may appear inside one.
func (m *originMatcher) inLine(line string) string {
	segs := strings.FieldsFunc(line, func(r rune) bool {
		switch r {
		case '(', ')', '[', ']', '-', '–', '—', ':', '/', '|', ',', '،', '؛', ';', '«', '»', '"', '.', '۔':
			return true
		}
		return false
	})
	for _, seg := range segs {
		ns := Normalize(seg)
		if ns == "" {
			continue
		}
		padded := " " + ns + " "
		for _, v := range m.variants {
			if ns == v.words || (!v.weak && strings.Contains(padded, " "+v.words+" ")) {
				return v.name
			}
		}
	}
	return ""
}

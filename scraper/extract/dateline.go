package extract

import (
	"strings"
	"unicode"
)

// dateWords are month and weekday names and the fillers of date lines
// ("Published", "Updated", "at", "de"), lower case and space-separated, in
// the languages the desk sees most.
const dateWords = " january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thurs fri sat sun published updated posted last modified on at am pm a.m p.m gmt utc est edt pst pdt cet cest bst et pt the of th st nd rd janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro segunda terça quarta quinta sexta sábado domingo feira de às em atualizado publicado enero febrero marzo mayo junio julio agosto septiembre octubre noviembre diciembre lunes martes miércoles jueves viernes sábado del actualizado publicado janvier février mars avril mai juin juillet août septembre octobre novembre décembre lundi mardi mercredi jeudi vendredi samedi dimanche le à publié mis jour januar februar märz juni juli oktober dezember montag dienstag mittwoch donnerstag freitag samstag sonntag um uhr am aktualisiert يناير فبراير مارس أبريل ابريل مايو يونيو يوليو أغسطس اغسطس سبتمبر أكتوبر اكتوبر نوفمبر ديسمبر كانون الثاني الأول شباط آذار اذار نيسان أيار ايار حزيران تموز آب اب أيلول ايلول تشرين الاثنين الإثنين الثلاثاء الأربعاء الاربعاء الخميس الجمعة السبت الأحد الاحد نشر في تاريخ النشر آخر تحديث تحديث بتوقيت غرينتش مكة الساعة صباحا مساء م هـ "

// isDateWord reports whether w is one of dateWords.
func isDateWord(w string) bool {
	if w == "" {
		return false
	}
	for i := strings.Index(dateWords, w); i >= 0; {
		if dateWords[i-1] == ' ' && dateWords[i+len(w)] == ' ' {
			return true
		}
		next := strings.Index(dateWords[i+1:], w)
		if next < 0 {
			return false
		}
		i += 1 + next
	}
	return false
}

// isDateLine reports whether a short paragraph is only a date or
// timestamp line, such as "Published November 20th, 2019 - 07:50 GMT".
func isDateLine(s string) bool {
	if len(s) > 160 || !hasYearDigits(s) && !hasClock(s) {
		return false
	}
	hasYearOrTime := hasClock(s)
	other, tokens := 0, 0
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.'
	}) {
		w = strings.Trim(w, ".")
		tokens++
		switch {
		case w == "":
		case isYear(w):
			hasYearOrTime = true
		case strings.TrimLeft(w, "0123456789") == "" || isDateWord(strings.TrimLeft(w, "0123456789")):
			// numbers and "20th", "2019ء"
		case isDateWord(w):
		default:
			other++
		}
	}
	return hasYearOrTime && other <= 1 && tokens >= 2 // a lone year is table data
}

// hasClock reports whether s holds a time of day such as 7:50 or 20:13.
func hasClock(s string) bool {
	for i := 1; i+2 < len(s); i++ {
		if s[i] == ':' && isDigit(s[i-1]) && isDigit(s[i+1]) && isDigit(s[i+2]) {
			return true
		}
	}
	return false
}

// hasYearDigits reports whether s has four digits starting 19 or 20.
func hasYearDigits(s string) bool {
	for i := 0; i+3 < len(s); i++ {
		if (s[i] == '1' && s[i+1] == '9' || s[i] == '2' && s[i+1] == '0') && isDigit(s[i+2]) && isDigit(s[i+3]) {
			return true
		}
	}
	return false
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

func isYear(w string) bool {
	w = strings.TrimRight(w, "ءم")
	return len(w) == 4 && (strings.HasPrefix(w, "19") || strings.HasPrefix(w, "20")) &&
		strings.Trim(w, "0123456789") == ""
}

// dropBylineLines removes short paragraphs that are the byline itself
// ("Meg Kinnard and Errin Haines, Associated Press", "By Jane Doe").
func dropBylineLines(ps []para, byline string) []para {
	bk := normKey(byline)
	if len(bk) < 6 {
		return ps
	}
	out := ps[:0]
	for _, p := range ps {
		if p.runes <= 160 && isBylineOf(p.text, byline, bk) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// isBylineOf reports whether text is the byline, alone, with a few more
// characters, or followed by a date ("Jane Doe Published Jan. 29, 2022").
func isBylineOf(text, byline, bylineKey string) bool {
	k := normKey(text)
	if !strings.Contains(k, bylineKey) {
		return false
	}
	if len(k) <= len(bylineKey)+12 {
		return true
	}
	i := strings.Index(strings.ToLower(text), strings.ToLower(byline))
	if i < 0 {
		return false
	}
	rest := text[:i] + " " + text[i+len(byline):]
	return isDateLine(rest)
}

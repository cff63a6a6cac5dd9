package extract

import (
	"strconv"
	"strings"
	"time"
	"unicode"
)

// parseTextDate reads a human-written date line such as "Published Jan.
// 29, 2022, 6:20 p.m.", "29 January 2022" or "الجمعة 28 كانون الثاني 2022"
// (Levantine or Egyptian month names). The zone is unknown: the time is
// taken as UTC. Zero when no day, month and year are found.
func parseTextDate(s string) time.Time {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != ':'
	})
	var year, day, hour, minute int
	var month time.Month
	pm := false
	for i, w := range words {
		w = strings.TrimRight(w, "ءم")
		switch {
		case isYear(w) && year == 0:
			year, _ = strconv.Atoi(w)
		case month == 0 && monthOf(w, next(words, i)) != 0:
			month = monthOf(w, next(words, i))
		case strings.Contains(w, ":") && hour == 0:
			h, m, ok := strings.Cut(w, ":")
			hh, e1 := strconv.Atoi(h)
			mm, e2 := strconv.Atoi(m)
			if ok && e1 == nil && e2 == nil && hh < 24 && mm < 60 {
				hour, minute = hh, mm
			}
		case w == "pm" || w == "p" && next(words, i) == "m" || w == "مساء":
			pm = true
		case day == 0 && len(w) <= 2 && strings.Trim(w, "0123456789") == "":
			day, _ = strconv.Atoi(strings.TrimLeft(w, "0"))
		case day == 0 && len(w) <= 4 && (strings.HasSuffix(w, "st") || strings.HasSuffix(w, "nd") ||
			strings.HasSuffix(w, "rd") || strings.HasSuffix(w, "th")):
			day, _ = strconv.Atoi(w[:len(w)-2])
		}
	}
	if year == 0 || month == 0 || day < 1 || day > 31 {
		return time.Time{}
	}
	if pm && hour < 12 {
		hour += 12
	}
	return time.Date(year, month, day, hour, minute, 0, 0, time.UTC)
}

func next(words []string, i int) string {
	if i+1 < len(words) {
		return words[i+1]
	}
	return ""
}

// monthOf maps an English, French, Spanish, Portuguese, German or Arabic
// month name (w, with the following word for two-word Levantine names) to
// its month, or 0.
func monthOf(w, following string) time.Month {
	switch w {
	case "كانون":
		switch following {
		case "الثاني", "ثاني":
			return time.January
		case "الأول", "الاول", "أول":
			return time.December
		}
		return 0
	case "تشرين":
		switch following {
		case "الثاني", "ثاني":
			return time.November
		case "الأول", "الاول", "أول":
			return time.October
		}
		return 0
	}
	for m, names := range [12]string{
		"january jan janvier enero janeiro januar يناير",
		"february feb février febrero fevereiro februar فبراير شباط",
		"march mar mars marzo março märz مارس آذار اذار",
		"april apr avril abril أبريل ابريل نيسان",
		"may mai mayo maio مايو أيار ايار",
		"june jun juin junio junho juni يونيو حزيران",
		"july jul juillet julio julho juli يوليو تموز",
		"august aug août agosto أغسطس اغسطس آب",
		"september sep sept septembre septiembre setembro سبتمبر أيلول ايلول",
		"october oct octobre octubre outubro oktober أكتوبر اكتوبر",
		"november nov novembre noviembre novembro نوفمبر",
		"december dec décembre diciembre dezembro dezember ديسمبر",
	} {
		for _, n := range strings.Fields(names) {
			if w == n {
				return time.Month(m + 1)
			}
		}
	}
	return 0
}

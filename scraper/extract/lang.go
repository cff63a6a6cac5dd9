package extract

import (
	"strings"
	"unicode"
)

// normLang reduces a language tag to its lower-case primary subtag.
func normLang(tag string) string {
	tag = strings.TrimSpace(tag)
	if i := strings.IndexAny(tag, "-_ ,;"); i >= 0 {
		tag = tag[:i]
	}
	tag = strings.ToLower(tag)
	if len(tag) < 2 || len(tag) > 3 {
		return ""
	}
	for _, r := range tag {
		if r < 'a' || r > 'z' {
			return ""
		}
	}
	return tag
}

// detectLang guesses the language of text from its script and, for Latin
// script, from stopwords. It returns "" when unsure.
func detectLang(text string) string {
	var arabic, latin, cyrillic, han, kana, hangul, total int
	for i, r := range text {
		if i > 20000 {
			break
		}
		if !unicode.IsLetter(r) {
			continue
		}
		total++
		switch {
		case r < 0x250:
			latin++
		case r >= 0x0400 && r <= 0x04FF:
			cyrillic++
		case r >= 0x0600 && r <= 0x06FF || r >= 0x0750 && r <= 0x077F || r >= 0xFB50 && r <= 0xFEFF:
			arabic++
		case r >= 0x3040 && r <= 0x30FF:
			kana++
		case r >= 0xAC00 && r <= 0xD7AF:
			hangul++
		case unicode.Is(unicode.Han, r):
			han++
		}
	}
	if total < 20 {
		return ""
	}
	switch {
	case arabic*2 > total:
		return arabicLang(text)
	case cyrillic*2 > total:
		return "ru"
	case kana*10 > total:
		return "ja"
	case hangul*2 > total:
		return "ko"
	case han*2 > total:
		return "zh"
	case latin*2 > total:
		return latinLang(text)
	}
	return ""
}

// arabicLang tells Urdu and Persian from Arabic by their extra letters.
func arabicLang(text string) string {
	var urdu, persian int
	for _, r := range text {
		switch r {
		case 'ے', 'ٹ', 'ڈ', 'ڑ', 'ں', 'ھ':
			urdu++
		case 'پ', 'چ', 'ژ', 'گ', 'ی':
			persian++
		}
	}
	switch {
	case urdu > 20:
		return "ur"
	case persian > 20:
		return "fa"
	}
	return "ar"
}

func latinLang(text string) string {
	var counts [6]int // en fr es de it pt
	text = text[:min(len(text), 8000)]
	var buf [16]byte
	for i := 0; i < len(text); {
		// One ASCII word at a time, lower-cased into buf without allocating.
		for i < len(text) && !isASCIILetter(text[i]) {
			i++
		}
		n := 0
		for i < len(text) && isASCIILetter(text[i]) {
			if n < len(buf) {
				buf[n] = text[i] | 0x20
			}
			n++
			i++
		}
		if n > 0 && n <= len(buf) && (i == len(text) || text[i] < 0x80) {
			if l := stopwordLang(string(buf[:n])); l >= 0 {
				counts[l]++
			}
		}
	}
	best, n := -1, 0
	for l, c := range counts {
		if c > n {
			best, n = l, c
		}
	}
	if n < 3 {
		return ""
	}
	return [...]string{"en", "fr", "es", "de", "it", "pt"}[best]
}

// stopwordLang returns the language index (en fr es de it pt) of a very
// common word that belongs to one language only, or -1.
func stopwordLang(w string) int {
	switch w {
	case "the", "and", "of", "to", "is", "that", "for", "with", "was", "this":
		return 0
	case "les", "des", "est", "une", "dans", "pour", "qui", "sur", "avec", "pas":
		return 1
	case "los", "las", "del", "por", "una", "como", "pero", "sus", "fue", "para":
		return 2
	case "der", "die", "und", "das", "ist", "nicht", "mit", "den", "sich", "ein":
		return 3
	case "il", "di", "che", "della", "sono", "non", "gli", "per", "nel", "anche":
		return 4
	case "do", "da", "em", "um", "uma", "os", "mais", "foi", "pelo", "não":
		return 5
	}
	return -1
}

// chooseLang prefers the page's declared language unless the text is in
// another script: templates often declare the site's language ("en") on
// pages whose article is Arabic, and the reverse.
func chooseLang(declared, detected string) string {
	switch {
	case declared == "":
		return detected
	case detected == "" || detected == declared:
		return declared
	case scriptOf(declared) != scriptOf(detected):
		return detected
	}
	return declared
}

// pageLang is chooseLang without the stopword count when the declared
// language already matches the text's script.
func pageLang(declared, text string) string {
	if declared != "" && scriptOf(declared) == "latin" && textScript(text) == "latin" {
		return declared
	}
	return chooseLang(declared, detectLang(text))
}

// textScript names the dominant script of text's first letters ("" when
// there are few letters), by the same counts as detectLang.
func textScript(text string) string {
	var latin, total int
	for i, r := range text {
		if i > 4000 {
			break
		}
		if unicode.IsLetter(r) {
			total++
			if r < 0x250 {
				latin++
			}
		}
	}
	switch {
	case total < 20:
		return ""
	case latin*2 > total:
		return "latin"
	}
	return "other"
}

// scriptOf names the writing system of a language, "latin" by default.
func scriptOf(lang string) string {
	switch lang {
	case "ar", "fa", "ur", "ps", "ku", "sd", "ug":
		return "arabic"
	case "ru", "uk", "bg", "sr", "mk", "be", "kk":
		return "cyrillic"
	case "zh", "ja", "ko":
		return lang
	case "he", "yi":
		return "hebrew"
	}
	return "latin"
}

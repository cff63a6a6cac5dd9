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

var stopwords = map[string][]string{
	"en": {"the", "and", "of", "to", "in", "is", "that", "for", "with", "was"},
	"fr": {"le", "la", "les", "et", "des", "est", "une", "dans", "que", "pour"},
	"es": {"el", "la", "los", "y", "del", "que", "en", "una", "por", "las"},
	"de": {"der", "die", "und", "das", "ist", "nicht", "mit", "den", "sich", "ein"},
	"it": {"il", "di", "che", "e", "la", "per", "un", "non", "della", "sono"},
	"pt": {"o", "de", "que", "e", "do", "da", "em", "um", "para", "não"},
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
	counts := map[string]int{}
	words := strings.Fields(strings.ToLower(text[:min(len(text), 8000)]))
	for _, w := range words {
		for lang, sw := range stopwords {
			for _, s := range sw {
				if w == s {
					counts[lang]++
				}
			}
		}
	}
	best, n := "", 0
	for _, lang := range []string{"en", "fr", "es", "de", "it", "pt"} {
		if counts[lang] > n {
			best, n = lang, counts[lang]
		}
	}
	if n < 3 {
		return ""
	}
	return best
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

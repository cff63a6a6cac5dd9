package extract

import (
	"strings"
	"unicode"
)

// ctaPhrases are calls to action and widget labels that are never article
// text when they make up a short paragraph. Lower case.
var ctaPhrases = []string{
	// English
	"leave a comment", "leave a reply", "post a comment", "add a comment", "comments",
	"share this", "share on", "share via", "sign up", "subscribe", "newsletter",
	"read more", "read also", "see also", "related:", "related articles", "related stories",
	"follow us", "click here", "advertisement", "sponsored", "all rights reserved",
	"copyright ©", "your thoughts", "recommended for you", "more from", "don't miss",
	"listen to this article", "sign in", "log in", "get the app", "download the app",
	// Arabic
	"أفكارك وتعليقاتك", "اترك تعليق", "أضف تعليق", "التعليقات", "تعليقات", "شارك",
	"اقرأ أيضا", "اقرأ أيضاً", "إقرأ أيضا", "إقرأ أيضاً", "اقرأ المزيد", "تابعونا", "تابعنا",
	"اشترك", "النشرة البريدية", "جميع الحقوق محفوظة", "مواضيع ذات صلة", "أخبار ذات صلة",
	"شاهد أيضا", "شاهد أيضاً", "المزيد من",
	// French, Spanish, German, Russian, Urdu/Persian
	"laisser un commentaire", "lire aussi", "partager", "abonnez-vous", "publicité",
	"deja un comentario", "leer más", "compartir", "suscríbete", "publicidad",
	"kommentar schreiben", "lesen sie auch", "abonnieren",
	"комментарии", "поделиться", "читайте также", "подписаться", "реклама",
	"تبصرے", "مزید پڑھیں", "نظرات", "بیشتر بخوانید",
}

// continuationWords are the words of "(continued)"-style markers.
var continuationWords = []string{
	"تستمر", "يتبع", "تتبع", "يتبع)", "متابعة", "more", "continued", "cont", "cont'd",
	"continues", "mehr", "suite", "sigue", "continúa", "продолжение", "далее", "end", "ends",
	"انتهى", "نهاية",
}

// filterParas drops chrome: headline repeats, continuation markers,
// short calls to action, and link-only lines.
func filterParas(ps []para, titles []string) []para {
	out := ps[:0]
	for _, p := range ps {
		if dropPara(p, titles) {
			continue
		}
		out = append(out, p)
	}
	return out
}

func dropPara(p para, titles []string) bool {
	if p.runes == 0 {
		return true
	}
	if len(titles) > 0 && p.runes < 400 {
		k := normKey(p.text)
		for _, t := range titles {
			if k == t || p.heading && len(k) > 10 && strings.Contains(t, k) {
				return true
			}
		}
	}
	if isContinuationMarker(p.text) {
		return true
	}
	if p.runes < 80 && float32(p.linkLen) > 0.6*float32(p.runes) {
		return true
	}
	if p.runes <= 60 && isCTA(p.text) {
		return true
	}
	return false
}

// isContinuationMarker matches short standalone parenthesised or dashed
// markers such as "(تستمر)", "(يتبع)", "(more)", "-- more --", "(END)".
func isContinuationMarker(s string) bool {
	if len(s) > 40 {
		return false
	}
	t := strings.TrimFunc(s, func(r rune) bool {
		return r == '(' || r == ')' || r == '[' || r == ']' || r == '-' || r == '—' || r == '.' || r == '…' || unicode.IsSpace(r)
	})
	if t == s || t == "" {
		return false // not bracketed or dashed
	}
	t = strings.ToLower(t)
	for _, w := range continuationWords {
		if t == w {
			return true
		}
	}
	return false
}

func isCTA(s string) bool {
	l := strings.ToLower(s)
	for _, ph := range ctaPhrases {
		if strings.Contains(l, ph) {
			return true
		}
	}
	return false
}

// normKey reduces s to its lower-cased letters and digits, for comparing
// a paragraph with the headline.
func normKey(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

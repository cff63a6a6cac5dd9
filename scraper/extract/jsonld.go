package extract

import (
	"encoding/json"
	"sort"
	"strings"
)

// ldArticle is the article metadata found in JSON-LD.
type ldArticle struct {
	headline, published, author, image, url, lang string
	body                                          string   // articleBody: the text as the publisher gives it
	faq                                           []string // questions of a FAQPage, in any script
}

// parseJSONLD returns the first article-like object in the given JSON-LD
// scripts (searching @graph and arrays), with the questions of any
// FAQPage among them; malformed scripts are skipped. Each script is
// decoded once, and past the article only when it names a FAQPage.
func parseJSONLD(scripts []string) ldArticle {
	var (
		best  ldArticle
		art   ldArticle
		found bool
		faq   []string
	)
	for _, s := range scripts {
		hasFAQ := strings.Contains(s, "FAQPage")
		if len(s) > 1<<20 || found && !hasFAQ {
			continue
		}
		var v any
		if json.Unmarshal([]byte(strings.TrimSpace(s)), &v) != nil {
			if json.Unmarshal(repairJSON(s), &v) != nil {
				continue
			}
		}
		if hasFAQ {
			faq = appendFAQ(faq, v, 0)
		}
		if found {
			continue
		}
		if a, ok := findArticle(v, 0); ok {
			art, found = a, true
		} else if best.published == "" {
			best.published = findString(v, "datePublished", 0)
		}
	}
	if found {
		best = art
	}
	best.faq = faq
	return best
}

func findArticle(v any, depth int) (ldArticle, bool) {
	if depth > 8 {
		return ldArticle{}, false
	}
	switch t := v.(type) {
	case []any:
		for _, e := range t {
			if a, ok := findArticle(e, depth+1); ok {
				return a, true
			}
		}
	case map[string]any:
		if isArticleType(t["@type"]) {
			return ldArticle{
				headline:  str(t["headline"]),
				published: str(t["datePublished"]),
				author:    names(t["author"], 0),
				image:     imageURL(t["image"], 0),
				url:       firstNonEmpty(str(t["url"]), idOf(t["mainEntityOfPage"])),
				lang:      str(t["inLanguage"]),
				body:      str(t["articleBody"]),
			}, true
		}
		if g, ok := t["@graph"]; ok {
			return findArticle(g, depth+1)
		}
	}
	return ldArticle{}, false
}

func isArticleType(v any) bool {
	switch t := v.(type) {
	case string:
		return strings.HasSuffix(t, "Article") || t == "BlogPosting" || t == "Report" ||
			t == "LiveBlogPosting" || t == "Posting" || t == "ReportageNewsArticle"
	case []any:
		for _, e := range t {
			if isArticleType(e) {
				return true
			}
		}
	}
	return false
}

func findString(v any, key string, depth int) string {
	if depth > 8 {
		return ""
	}
	switch t := v.(type) {
	case []any:
		for _, e := range t {
			if s := findString(e, key, depth+1); s != "" {
				return s
			}
		}
	case map[string]any:
		if s := str(t[key]); s != "" {
			return s
		}
		// Sorted keys: map order is random and the output must not be.
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if s := findString(t[k], key, depth+1); s != "" {
				return s
			}
		}
	}
	return ""
}

func str(v any) string {
	if s, ok := v.(string); ok {
		return strings.TrimSpace(s)
	}
	return ""
}

func idOf(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case map[string]any:
		return firstNonEmpty(str(t["@id"]), str(t["url"]))
	}
	return ""
}

func names(v any, depth int) string {
	if depth > 4 {
		return ""
	}
	switch t := v.(type) {
	case string:
		return strings.TrimSpace(t)
	case map[string]any:
		return str(t["name"])
	case []any:
		var out []string
		for _, e := range t {
			if n := names(e, depth+1); n != "" {
				out = append(out, n)
			}
		}
		return strings.Join(out, ", ")
	}
	return ""
}

func imageURL(v any, depth int) string {
	if depth > 4 {
		return ""
	}
	switch t := v.(type) {
	case string:
		return t
	case map[string]any:
		return firstNonEmpty(str(t["url"]), str(t["contentUrl"]))
	case []any:
		for _, e := range t {
			if u := imageURL(e, depth+1); u != "" {
				return u
			}
		}
	}
	return ""
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// repairJSON fixes the two common breakages of hand-made JSON-LD in one
// pass: raw control characters inside strings, and trailing commas.
func repairJSON(s string) []byte {
	out := make([]byte, 0, len(s))
	inString, escaped := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			case c < 0x20:
				c = ' '
			}
		case c == '"':
			inString = true
		case c == ',':
			j := i + 1
			for j < len(s) && (s[j] == ' ' || s[j] == '\n' || s[j] == '\r' || s[j] == '\t') {
				j++
			}
			if j < len(s) && (s[j] == ']' || s[j] == '}') {
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

// appendFAQ appends the questions of the FAQPages in v, as the publisher
// marks the questions and answers the page shows.
func appendFAQ(qs []string, v any, depth int) []string {
	if depth > 8 {
		return qs
	}
	switch t := v.(type) {
	case []any:
		for _, e := range t {
			qs = appendFAQ(qs, e, depth+1)
		}
	case map[string]any:
		if t["@type"] == "FAQPage" {
			if es, ok := t["mainEntity"].([]any); ok {
				for _, e := range es {
					if q, ok := e.(map[string]any); ok {
						if name := str(q["name"]); name != "" {
							qs = append(qs, name)
						}
					}
				}
			}
			return qs
		}
		if g, ok := t["@graph"]; ok {
			qs = appendFAQ(qs, g, depth+1)
		}
	}
	return qs
}

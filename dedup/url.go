package dedup

import (
	"net/url"
	"slices"
	"strings"
)

// tracking reports query parameters that only track the reader.
func tracking(k string) bool {
	if strings.HasPrefix(k, "utm_") {
		return true
	}
	switch k {
	case "ref", "ref_src", "ref_url", "referrer", "fbclid", "gclid", "dclid", "gclsrc",
		"msclkid", "yclid", "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "ncid", "cmpid",
		"smid", "ocid", "twclid", "li_fat_id", "wt_mc", "at_medium", "at_campaign", "spm":
		return true
	}
	return false
}

// CanonicalURL returns raw with the scheme and host in lower case, the
// default port, the fragment and tracking parameters (utm_*, ref, fbclid,
// gclid, ...) removed and the remaining query parameters sorted. It is best
// effort and never fails: an unparsable URL comes back trimmed.
func CanonicalURL(raw string) string {
	s := strings.TrimSpace(raw)
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return s
	}
	u.Scheme = strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Host)
	if (u.Scheme == "http" && strings.HasSuffix(host, ":80")) || (u.Scheme == "https" && strings.HasSuffix(host, ":443")) {
		host = host[:strings.LastIndexByte(host, ':')]
	}
	if host = strings.TrimRight(host, "."); host == "" || strings.HasPrefix(host, ":") {
		return s
	}
	u.Host = host
	u.Fragment, u.RawFragment = "", ""
	if u.Path == "" {
		u.Path, u.RawPath = "/", ""
	}
	u.RawQuery = cleanQuery(u.RawQuery)
	u.ForceQuery = false
	return u.String()
}

// cleanQuery drops tracking parameters and sorts the rest, keeping the
// parameters' own encoding.
func cleanQuery(q string) string {
	if q == "" {
		return ""
	}
	parts := strings.FieldsFunc(q, func(r rune) bool { return r == '&' || r == ';' })
	kept := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		k, _, _ := strings.Cut(p, "=")
		if dk, err := url.QueryUnescape(k); err == nil {
			k = dk
		}
		k = strings.ToLower(k)
		if tracking(k) {
			continue
		}
		kept = append(kept, p)
	}
	slices.Sort(kept)
	return strings.Join(kept, "&")
}

package demo

import (
	"fmt"
	"html/template"
	"time"
)

func templateFuncs() template.FuncMap {
	return template.FuncMap{
		"date":   func(layout string, t time.Time) string { return t.Format(layout) },
		"iso":    func(t time.Time) string { return t.Format(time.RFC3339) },
		"ardate": arDate,
		"first":  func(n int, ps []string) []string { return ps[:min(n, len(ps))] },
		"after":  func(n int, ps []string) []string { return ps[min(n, len(ps)):] },
	}
}

// arDate writes t the way Arabic outlets do: "28 كانون الثاني 2022" in the
// "levant" style, "28 يناير 2022" in the "eg" style; with clock when asked.
func arDate(style string, clock bool, t time.Time) string {
	months := [12]string{"يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"}
	if style == "levant" {
		months = [12]string{"كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول"}
	}
	s := fmt.Sprintf("%d %s %d", t.Day(), months[t.Month()-1], t.Year())
	if clock {
		s += t.Format(" 15:04")
	}
	return s
}

package dedup

import (
	"os"
	"testing"
)

func TestOrigin(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"reuters dateline", "LONDON (Reuters) - Shares fell on Monday.\n\nMore text here.", "Reuters"},
		{"xinhua dateline with date", "By Olga Ivanova\n\nLONDON, July 21 (Xinhua) - The Liberal Democrats have unveiled plans.", "Xinhua"},
		{"afp reporting credit", "The party said so.\n\nIt added more.\n\n(Reporting by Sarah Jones for AFP; Editing by Sarah Jones)", "AFP"},
		{"ap weak in parentheses", "WASHINGTON (AP) — The senate voted.", "AP"},
		{"arabic afp initials", "بيروت - ا ف ب: استقبلت مواقع احتفالات العيد", "AFP"},
		{"spa in parentheses", "الرياض (واس) أعلنت الوزارة اليوم", "SPA"},
		{"spa dateline dash", "الرياض - واس: أعلنت الوزارة اليوم", "SPA"},
		{"sputnik source line", "نص الخبر.\n\nالمصدر: سبوتنيك", "Sputnik"},
		{"sputnik vocalised", "نص الخبر.\n\nالمصدر: سبوتنّيك", "Sputnik"},
		{"sputnik via urdupoint", "( أردو بوینت نتورك ۔ / سبوتنيك - 28 كانون الثاني 2022ء) أعلن الأمين العام", "Sputnik"},
		{"kuna source", "نص\n\nالمصدر: كونا", "KUNA"},
		{"no credit", "The minister said the plan would work.\n\nNo agency here.", ""},
		{"weak name in running text", "The spa town of Bath welcomed visitors and ap is a word.", ""},
		{"arabic weak word in text", "قال إن قنا السويس مهمة", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Origin(tc.text); got != tc.want {
				t.Errorf("Origin = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestOriginFixture(t *testing.T) {
	b, err := os.ReadFile("../../shared/fixtures/sputnik-via-urdupoint-ar.txt")
	if os.IsNotExist(err) {
		t.Skip("fixture ../shared/fixtures/sputnik-via-urdupoint-ar.txt not found")
	}
	if err != nil {
		t.Fatal(err)
	}
	if got := Origin(string(b)); got != "Sputnik" {
		t.Errorf("Origin(UrduPoint copy) = %q, want Sputnik", got)
	}
}

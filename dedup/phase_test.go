package dedup

import "testing"

func BenchmarkPhases(b *testing.B) {
	docs := loadDev(b)
	b.Run("features", func(b *testing.B) {
		fp := newFingerprinter()
		cpu := processCPU()
		for b.Loop() {
			for i := range docs {
				fp.features(docs[i].Text)
			}
		}
		b.ReportMetric(float64(len(docs)*b.N)/(processCPU()-cpu).Seconds(), "docs/cpu-s")
	})
	b.Run("origin", func(b *testing.B) {
		m := newOriginMatcher()
		cpu := processCPU()
		for b.Loop() {
			for i := range docs {
				m.find(docs[i].Text)
			}
		}
		b.ReportMetric(float64(len(docs)*b.N)/(processCPU()-cpu).Seconds(), "docs/cpu-s")
	})
	b.Run("url", func(b *testing.B) {
		cpu := processCPU()
		for b.Loop() {
			for i := range docs {
				CanonicalURL(docs[i].URL)
			}
		}
		b.ReportMetric(float64(len(docs)*b.N)/(processCPU()-cpu).Seconds(), "docs/cpu-s")
	})
	b.Run("add", func(b *testing.B) {
		cpu := processCPU()
		for b.Loop() {
			runStream(docs, Options{})
		}
		b.ReportMetric(float64(len(docs)*b.N)/(processCPU()-cpu).Seconds(), "docs/cpu-s")
	})
}

package plaintext_test

import (
	"testing"
	"unicode"

	"github.com/collabmeet/collabmeet/internal/plaintext"
	"github.com/stretchr/testify/assert"
)

func TestLine(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "room booked by the clinic", "room booked by the clinic"},
		{"empty", "", ""},
		{"Norwegian", "rommet er booket av klinikken, ærlig og ødt", "rommet er booket av klinikken, ærlig og ødt"},
		{"line breaks and tabs", " a\r\n\tb\v\fc ", "a b c"},
		{"line separator", "a\u2028b", "a b"},
		{"paragraph separator", "a\u2029b", "a b"},
		{"next line", "a\u0085b", "a b"},
		{"byte order mark", "\ufeffa\ufeffb", "ab"},
		{"soft hyphen", "kon\u00adsul\u00adta\u00adsjon", "konsultasjon"},
		{"bidi override", "msg \u202egnp.exe", "msg gnp.exe"},
		{"bidi isolates and marks", "a\u2066\u2067\u2068\u2069\u200e\u200f\u061cb", "ab"},
		{"zero width", "a\u200b\u200c\u200d\u2060b", "ab"},
		{"escape", "ok \x1b[31mred\x1b[0m", "ok [31mred[0m"},
		{"C1 control", "a\u009bb", "ab"},
		{"NUL and DEL", "a\x00b\x7fc", "abc"},
		{"interlinear annotation", "a\ufff9b\ufffbc", "abc"},
		{"invalid UTF-8", "a\xffb", "a\ufffdb"},
		{"double space", "a  b", "a b"},
		{"only format characters", "\u200b\ufeff", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, plaintext.Line(tt.in))
		})
	}
}

// TestLineRemovesEveryFormatAndControl: no character of the categories Cc,
// Cf, Zl or Zp survives, nor any white space but the single space.
func TestLineRemovesEveryFormatAndControl(t *testing.T) {
	for _, table := range []*unicode.RangeTable{unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp, unicode.White_Space} {
		var in []rune
		for r := rune(0); r <= unicode.MaxRune; r++ {
			if unicode.Is(table, r) {
				in = append(in, 'x', r)
			}
		}
		assert.NotEmpty(t, in)
		out := plaintext.Line(string(in) + "x")
		for _, r := range out {
			assert.False(t, r != ' ' && (unicode.IsSpace(r) || unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp)), "U+%04X", r)
		}
	}
}

func TestLineDoesNotAllocateForCleanText(t *testing.T) {
	s := "room booked by the clinic – ærlig"
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = plaintext.Line(s) }))
}

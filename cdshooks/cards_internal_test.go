package cdshooks

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestCDSTruncate(t *testing.T) {
	long := strings.Repeat("ord ", 60) // 240 characters
	for _, tc := range []struct {
		name, in string
		n        int
		want     string
	}{
		{"short", "A short summary.", 139, "A short summary."},
		{"exactly n", strings.Repeat("é", 139), 139, strings.Repeat("é", 139)},
		{"cut at a word", "one two three four", 12, "one two…"},
		{"no space", strings.Repeat("x", 20), 10, strings.Repeat("x", 9) + "…"},
		{"trailing punctuation", "one two, three", 10, "one two…"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := truncate(tc.in, tc.n)
			assert.Equal(t, tc.want, got)
			assert.LessOrEqual(t, utf8.RuneCountInString(got), tc.n)
		})
	}
	got := truncate(long, MaxSummary)
	assert.LessOrEqual(t, utf8.RuneCountInString(got), MaxSummary)
	assert.True(t, strings.HasSuffix(got, "ord…"), got)
}

func TestCDSMarkdown(t *testing.T) {
	assert.Equal(t, `Let the patient lead \*item\* \[3\] \<b\> \| \_x\_ \`+"`"+`a\`+"`", markdown("Let the patient lead *item* [3] <b> | _x_ `a`"))
	assert.Equal(t, "two lines", markdown("two\nlines"))
	assert.Equal(t, "Agenda item 4", capitalized("agenda item 4"))
	assert.Equal(t, "Ærlig", capitalized("ærlig"))
	assert.Equal(t, "", capitalized(""))
	assert.Equal(t, "a'b", code("a`b"))
}

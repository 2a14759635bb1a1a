package validation_test

import (
	"strings"
	"testing"

	"github.com/collabmeet/collabmeet/validation"
	"github.com/stretchr/testify/assert"
)

// TestDescribed: each description Quote shows instead of a value is found
// again by Described, with its message and args, so that a renderer can
// word it in another language; a quoted code is not a description.
func TestDescribed(t *testing.T) {
	for _, tc := range []struct {
		name, value string
		id          string
		args        map[string]string
	}{
		{"free text", "Kari Nordmann", "quote.not_code", nil},
		{"a long text", strings.Repeat("a", 41), "quote.long_text", nil},
		{"one digit", "7", "quote.digit", nil},
		{"a personal number", "01017012345", "quote.digits", map[string]string{"n": "11"}},
		{"forty digits", strings.Repeat("9", 40), "quote.digits", map[string]string{"n": "40"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			shown := validation.Quote(tc.value)
			assert.NotContains(t, shown, tc.value, "the value is described, not shown")
			id, args, ok := validation.Described(shown)
			assert.True(t, ok, shown)
			assert.Equal(t, tc.id, id)
			assert.Equal(t, tc.args, args)
		})
	}
	for _, shown := range []string{validation.Quote("PC-05"), "", "(something else)", "plain"} {
		_, _, ok := validation.Described(shown)
		assert.False(t, ok, shown)
	}
}

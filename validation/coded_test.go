package validation_test

import (
	"testing"

	"github.com/collabmeet/collabmeet/internal/terminology"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/validation"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCodedRendersEnglish: a coded problem's Message is the English text of
// its code, with its args; an arg with a vocabulary message is shown by it;
// an unknown code is its own message.
func TestCodedRendersEnglish(t *testing.T) {
	tests := []struct {
		name string
		got  validation.Problem
		want string
	}{
		{"no args", validation.Coded("a.b", "required"), "a.b: is required"},
		{"an arg", validation.Coded("a", "at_least", "limit", "3"), "a: must be at least 3"},
		{"vocabularies", validation.Coded("", "wrong_type", "got", "string", "want", "whole_number"), "got a string, want a whole number"},
		{"a value with no vocabulary message is shown as it is", validation.Coded("x", "unknown_value", "value", `"zz"`, "allowed", "a, b"),
			`x: unknown value "zz" (want one of a, b)`},
		{"unknown code", validation.Coded("x", "no_such_code"), "x: no_such_code"},
		{"an odd key is dropped", validation.Coded("x", "at_least", "limit"), "x: must be at least "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.got.String())
		})
	}
	var l validation.List
	l.AddCoded("p", "not_uuid")
	require.Len(t, l.Problems, 1)
	assert.Equal(t, validation.Problem{Path: "p", Message: "is not a UUID", Code: "not_uuid"}, l.Problems[0])
}

// TestMessagesFiles: the message files of the codes are checked as a
// translator's work is (recommend.CheckMessages: the same IDs, placeholders
// and plural forms in every language, none left in English, every one
// renders) and use no word the bokmål terminology avoids.
func TestMessagesFiles(t *testing.T) {
	fsys := validation.Messages()
	require.NotNil(t, fsys)
	require.NoError(t, recommend.CheckMessages(fsys))
	avoided, err := terminology.CheckBokmal(fsys)
	require.NoError(t, err)
	assert.Empty(t, avoided)
}

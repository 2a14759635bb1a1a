package main

import (
	"bytes"
	"io/fs"
	"testing"

	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out))
	got := out.String()
	assert.Contains(t, got, "default hours (en): ")
	assert.Contains(t, got, "ACME-01 The meeting starts within opening hours: gap")
	assert.Contains(t, got, "[ACME-01.too_late] The meeting starts at 15:xx, after the last start hour 14.")
	assert.Regexp(t, `late opening on Mondays \(en\): \d+ results`, got)
	assert.Contains(t, got, "ACME-01 The meeting starts within opening hours: pass")
	assert.Contains(t, got, "[ACME-02.gp_misses_discussion]")
	assert.Contains(t, got, "fix: Let the GP attend from the first agenda item. (1 operations)")
	assert.Contains(t, got, "standard åpningstid (nb): ")
	assert.Contains(t, got, "ACME-01 Møtet starter innenfor åpningstiden: gap")
	assert.Contains(t, got, "fix: La fastlegen delta fra første punkt på agendaen.")
	assert.Contains(t, got, "a rule named MC-99: ")
	assert.Contains(t, got, "catalogue prefix MC")
}

// TestMessages: the clinic's message files are complete in English and
// bokmål, as recommend.CheckMessages checks a translator's work.
func TestMessages(t *testing.T) {
	texts, err := fs.Sub(messages, "messages")
	require.NoError(t, err)
	assert.NoError(t, recommend.CheckMessages(texts))
}

// TestSourceInGo: a rule's source set in Go, with no message
// "ACME-01.source", is its source in every language.
func TestSourceInGo(t *testing.T) {
	texts, err := fs.Sub(messages, "messages")
	require.NoError(t, err)
	engine, err := recommend.New(catalogue.Builtin(), recommend.Policy{},
		recommend.WithRules(OpeningHours, GPInDiscussion), recommend.WithMessages(texts))
	require.NoError(t, err)
	rec, ok := engine.Recommendation("ACME-01")
	require.True(t, ok)
	assert.Equal(t, "ACME clinic routine 12.3", rec.Source)
	for _, lang := range recommend.EngineTexts().Langs() {
		assert.Equal(t, "ACME clinic routine 12.3", engine.Texts().Source(lang, &rec), lang)
	}
}

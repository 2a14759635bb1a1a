package recommend_test

import (
	"os"
	"slices"
	"testing"

	"github.com/collabmeet/collabmeet/internal/terminology"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMessagesEngine: the engine's message files (recommend/messages: report
// labels, subjects, units, vocabularies) are complete in every language,
// with the same placeholders and plural forms as English, none left in
// English, none using a word the bokmål terminology avoids.
func TestMessagesEngine(t *testing.T) {
	messages := os.DirFS("messages")
	require.NoError(t, recommend.CheckMessages(messages))
	avoided, err := terminology.CheckBokmal(messages)
	require.NoError(t, err)
	assert.Empty(t, avoided)

	texts, err := recommend.NewTexts()
	require.NoError(t, err)
	engine := recommend.EngineTexts()
	for _, lang := range recommend.EngineTexts().Langs() {
		assert.NotEmpty(t, engine.IDs(lang))
		assert.True(t, slices.Equal(engine.IDs(lang), texts.IDs(lang)), "%s: EngineTexts and NewTexts() agree", lang)
	}
}

// TestSubjectsInBokmal: subjects read as a clinic coordinator says them.
func TestSubjectsInBokmal(t *testing.T) {
	engine := recommend.EngineTexts()
	assert.Equal(t, "punkt 4 på agendaen (drøfting)",
		engine.Text(recommend.Bokmal, "subject.item", recommend.Args{"item_kind": meeting.ItemDiscussion, "position": 4}))
	assert.Equal(t, "NAV-veileder (deltaker 3)",
		engine.Text(recommend.Bokmal, "subject.participant", recommend.Args{"role": meeting.RoleSocialSecuritySupervisor, "position": 3}))
	assert.Equal(t, "tiltak 2 i tiltaksplanen", engine.Text(recommend.Bokmal, "subject.action", recommend.Args{"position": 2}))
	assert.Equal(t, "3 dager", engine.Text(recommend.Bokmal, "unit.days", recommend.Args{"count": 3}))
	assert.Equal(t, "1 dag", engine.Text(recommend.Bokmal, "unit.days", recommend.Args{"count": 1}))
}

// TestLabels: the public names of severities and outcomes, in each language
// of the engine's messages; an unknown message is an error of Render, and
// Text records it in Missing.
func TestLabels(t *testing.T) {
	texts, err := recommend.NewTexts()
	require.NoError(t, err)
	for _, lang := range texts.Langs() {
		for _, s := range recommend.Severities() {
			assert.Equal(t, texts.Text(lang, "severity."+string(s), nil), texts.Severity(lang, s))
			assert.NotEqual(t, string(s)+"x", texts.Severity(lang, s))
		}
		for _, o := range recommend.Outcomes() {
			assert.Equal(t, texts.Text(lang, "outcome."+string(o), nil), texts.Outcome(lang, o))
		}
	}
	assert.Equal(t, "må (påkrevd)", texts.Severity(recommend.Bokmal, recommend.SeverityRequired))
	assert.Equal(t, "not applicable", texts.Outcome(recommend.English, recommend.OutcomeNotApplicable))
	assert.Equal(t, "someday", texts.Outcome(recommend.English, "someday"), "an outcome no message names is its code")

	_, err = texts.Render(recommend.English, "no.such.message", nil)
	assert.ErrorIs(t, err, recommend.ErrNoMessage)
	assert.Empty(t, texts.Missing())
	assert.Equal(t, "no.such.message", texts.Text(recommend.Bokmal, "no.such.message", nil))
	assert.Equal(t, []string{"no.such.message"}, texts.Missing())
}

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

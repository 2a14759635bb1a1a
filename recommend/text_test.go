package recommend_test

import (
	"os"
	"slices"
	"testing"
	"testing/fstest"
	"time"

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
	for _, lang := range recommend.Langs() {
		assert.NotEmpty(t, engine.IDs(lang))
		assert.True(t, slices.Equal(engine.IDs(lang), texts.IDs(lang)), "%s: EngineTexts and NewTexts() agree", lang)
	}
}

// TestSubjectsInBokmal: subjects read as a clinic coordinator says them.
func TestSubjectsInBokmal(t *testing.T) {
	engine := recommend.EngineTexts()
	assert.Equal(t, "agendapunkt 4 (drøfting)",
		engine.Text(recommend.Bokmal, "subject.item", recommend.Args{"item_kind": meeting.ItemDiscussion, "position": 4}))
	assert.Equal(t, "NAV-veileder (deltaker 3)",
		engine.Text(recommend.Bokmal, "subject.participant", recommend.Args{"role": meeting.RoleSocialSecuritySupervisor, "position": 3}))
	assert.Equal(t, "tiltak 2 i tiltaksplanen", engine.Text(recommend.Bokmal, "subject.action", recommend.Args{"position": 2}))
	assert.Equal(t, "3 dager", engine.Text(recommend.Bokmal, "unit.days", recommend.Args{"count": 3}))
	assert.Equal(t, "1 dag", engine.Text(recommend.Bokmal, "unit.days", recommend.Args{"count": 1}))
}

// TestTimesInEachLanguage: a time in a text is shown as its language writes
// it, in the time's own zone: ISO 8601 in English, "30.04.2026 kl. 09.00"
// in bokmål; an unknown language is English.
func TestTimesInEachLanguage(t *testing.T) {
	at := time.Date(2026, 4, 30, 9, 0, 0, 0, time.FixedZone("", 2*60*60))
	tests := []struct {
		lang recommend.Lang
		want string
	}{
		{recommend.English, "2026-04-30 09:00"},
		{recommend.Bokmal, "30.04.2026 kl. 09.00"},
		{"sv", "2026-04-30 09:00"},
	}
	for _, tc := range tests {
		t.Run(string(tc.lang), func(t *testing.T) {
			assert.Equal(t, tc.want, tc.lang.FormatTime(at))
		})
	}
	texts, err := recommend.NewTexts(fstest.MapFS{
		"t.en.json": {Data: []byte(`{"t.sent": "sent {{.sent_at}}"}`)},
		"t.nb.json": {Data: []byte(`{"t.sent": "sendt {{.sent_at}}"}`)},
	})
	require.NoError(t, err)
	assert.Equal(t, "sent 2026-04-30 09:00", texts.Text(recommend.English, "t.sent", recommend.Args{"sent_at": at}))
	assert.Equal(t, "sendt 30.04.2026 kl. 09.00", texts.Text(recommend.Bokmal, "t.sent", recommend.Args{"sent_at": at}))
}

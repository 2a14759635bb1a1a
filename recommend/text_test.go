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
	"golang.org/x/text/language"
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
		{language.Swedish, "2026-04-30 09:00"},
	}
	engine, err := recommend.NewTexts()
	require.NoError(t, err)
	for _, tc := range tests {
		t.Run(tc.lang.String(), func(t *testing.T) {
			assert.Equal(t, tc.want, engine.FormatTime(tc.lang, at))
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

package recommendtest_test

import (
	"encoding/json"
	"io/fs"
	"os"
	"regexp"

	"golang.org/x/text/language"
	"testing"

	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/collabmeet/collabmeet/recommend/recommendtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEveryMessageIDExists checks this package's message files: every ID
// the source uses is in English, and every English ID is used, and every
// language is whole.
func TestEveryMessageIDExists(t *testing.T) {
	require.NoError(t, recommend.CheckMessages(recommendtest.Messages()))
	data, err := fs.ReadFile(recommendtest.Messages(), "recommendtest.en.json")
	require.NoError(t, err)
	var file map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(data, &file))
	src, err := os.ReadFile("recommendtest.go")
	require.NoError(t, err)
	used := map[string]bool{}
	for _, m := range regexp.MustCompile(`"(recommendtest\.[a-z_]+)"`).FindAllSubmatch(src, -1) {
		used[string(m[1])] = true
	}
	require.NotEmpty(t, used)
	for id := range used {
		assert.Contains(t, file, id)
	}
	for id := range file {
		assert.True(t, used[id], "%s is in recommendtest.en.json but nothing uses it", id)
	}
}

// TestCheckLang checks that the built-in catalogue is whole in every
// language it has, and that a language it lacks is reported ID by ID.
func TestCheckLang(t *testing.T) {
	cat := catalogue.Builtin()
	e, err := recommend.New(cat, recommend.Policy{})
	require.NoError(t, err)
	for _, lang := range e.Langs() {
		assert.NoError(t, recommendtest.CheckLang(cat, lang), lang)
	}
	err = recommendtest.CheckLang(cat, language.German)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "recommendtest.en.json: recommendtest.gaps: missing in de")
	assert.Contains(t, err.Error(), "report.en.json: report.col.meeting: missing in de")
}

package cdshooks_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/collabmeet/collabmeet/recommend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCDSAnswersGolden holds the service's answers to the request files of
// testdata, in each language of the service, byte for byte to the files
// in testdata/answers (go test ./cdshooks -run TestCDSAnswersGolden
// -update rewrites them): cards, texts, UUIDs and the suggested update.
// The service's speed work must leave its answers as they are.
func TestCDSAnswersGolden(t *testing.T) {
	srv := newServer(t, recommend.Policy{})
	langs := []string{"en", "nb"}
	for _, rf := range requestFiles {
		body, err := os.ReadFile(filepath.Join("testdata", rf.file))
		require.NoError(t, err)
		for _, lang := range langs {
			name := strings.TrimSuffix(rf.file, ".json") + "." + lang + ".json"
			t.Run(name, func(t *testing.T) {
				rep := do(t, srv, http.MethodPost, servicePath, body, "Content-Type", "application/json", "Accept-Language", lang)
				require.Equal(t, http.StatusOK, rep.status, "%s", rep.body)
				assert.Equal(t, lang, rep.header.Get("Content-Language"))
				path := filepath.Join("testdata", "answers", name)
				if *update {
					require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
					require.NoError(t, os.WriteFile(path, rep.body, 0o644))
				}
				want, err := os.ReadFile(path)
				require.NoError(t, err, "go test ./cdshooks -run TestCDSAnswersGolden -update writes it")
				assert.Equal(t, string(want), string(rep.body), "the answer changed (go test ./cdshooks -run TestCDSAnswersGolden -update, after checking why)")
			})
		}
	}
}

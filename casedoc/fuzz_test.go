package casedoc_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/validation"
	jsonv2 "github.com/go-json-experiment/json"
)

// FuzzUnmarshal: decoding and validating any input never panics; every error
// is a *validation.Error with at least one problem; a case that is accepted
// encodes and decodes to an equal, still valid case.
func FuzzUnmarshal(f *testing.F) {
	for _, pattern := range []string{"../examples/cases/*.json", "../examples/invalid/*.json", "testdata/*.json"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err == nil {
				f.Add(data)
			}
		}
	}
	for _, s := range []string{"", "null", "[]", "{}", `{"meeting":null}`, `{"meeting":{"participants":[null]}}`, "\xef\xbb\xbf{}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := casedoc.Decoder{MaxBytes: 1 << 20}.Unmarshal(data)
		if err != nil {
			var verr *validation.Error
			if !errors.As(err, &verr) || len(verr.Problems) == 0 {
				t.Fatalf("error is not a *validation.Error with problems: %v", err)
			}
			for _, p := range verr.Problems {
				if strings.TrimSpace(p.Message) == "" {
					t.Fatalf("problem without a message at %q", p.Path)
				}
			}
			return
		}
		again, err := jsonv2.Marshal(c)
		if err != nil {
			t.Fatalf("an accepted case does not encode: %v", err)
		}
		c2, err := casedoc.Unmarshal(again)
		if err != nil {
			t.Fatalf("an accepted case does not decode after encoding: %v", err)
		}
		third, err := jsonv2.Marshal(c2)
		if err != nil || string(third) != string(again) {
			t.Fatalf("encoding is not stable:\n%s\n%s", again, third)
		}
	})
}

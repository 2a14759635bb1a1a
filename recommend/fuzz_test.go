package recommend_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/recommend"
)

// FuzzCheck checks every valid case the fuzzer finds under the thorough
// profile: no catalogue rule may fail (outcome error), and the report is the
// same twice.
func FuzzCheck(f *testing.F) {
	files, _ := filepath.Glob("../examples/cases/*.json")
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
	e, err := recommend.New(recommend.Policy{Profile: recommend.ProfileThorough})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := casedoc.Unmarshal(data)
		if err != nil {
			return
		}
		rep := e.Check(c)
		for _, r := range rep.Results {
			if r.Outcome == recommend.OutcomeError {
				t.Fatalf("%s failed: %s", r.ID, r.Error)
			}
		}
		a, _ := json.Marshal(rep)
		b, _ := json.Marshal(e.Check(c))
		if string(a) != string(b) {
			t.Fatal("two checks of the same case differ")
		}
	})
}

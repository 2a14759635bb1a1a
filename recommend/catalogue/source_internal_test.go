package catalogue

import "testing"

// TestSourcesOnlyInMessages: the rules' definitions leave Source empty:
// each source lives once, as the message "<ID>.source" in the message
// files, which translate it; Builtin fills Source from the English one.
func TestSourcesOnlyInMessages(t *testing.T) {
	for _, theme := range themes() {
		for _, r := range theme {
			if r.Source != "" {
				t.Errorf("%s sets Source in Go (%q): keep it in messages/*.json as %s.source", r.ID, r.Source, r.ID)
			}
		}
	}
}

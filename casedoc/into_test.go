package casedoc_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/casegen"
	"github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestUnmarshalIntoMatchesUnmarshal decodes a run of documents, large and
// small, valid and not, into one reused case: each gives what Unmarshal
// gives (an empty list may come out nil), and nothing of an earlier case
// remains.
func TestUnmarshalIntoMatchesUnmarshal(t *testing.T) {
	var docs [][]byte
	files, err := filepath.Glob("../examples/cases/*.json")
	require.NoError(t, err)
	more, err := filepath.Glob("testdata/*.json")
	require.NoError(t, err)
	files = append(files, more...)
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		docs = append(docs, data)
	}
	g := casegen.New(9)
	for range 60 {
		data, err := json.Marshal(g.Case())
		require.NoError(t, err)
		docs = append(docs, data)
	}
	docs = append(docs,
		[]byte(`{"meeting":{}}`),
		[]byte(`{"meeting":{"participants":[]},"consents":[]}`),
		[]byte(`not json`),
		[]byte(`{"meeting":{"id":"not-a-uuid"}}`),
	)
	var c casedoc.Case
	for round := range 2 {
		for i, data := range docs {
			want, wantErr := casedoc.Unmarshal(data)
			gotErr := casedoc.Decoder{}.UnmarshalInto(data, &c)
			if wantErr != nil {
				require.Error(t, gotErr, "round %d, document %d", round, i)
				assert.Equal(t, wantErr.Error(), gotErr.Error(), "round %d, document %d", round, i)
				continue
			}
			require.NoError(t, gotErr, "round %d, document %d", round, i)
			if len(want.Meeting.Participants) == 0 {
				want.Meeting.Participants = nil
			}
			if len(want.Meeting.Agenda) == 0 {
				want.Meeting.Agenda = nil
			}
			if len(want.Consents) == 0 {
				want.Consents = nil
			}
			require.Equal(t, *want, c, "round %d, document %d", round, i)
		}
	}
}

// BenchmarkUnmarshalInto is Unmarshal reusing one case, as a stream does.
func BenchmarkUnmarshalInto(b *testing.B) {
	for _, d := range benchDocs {
		b.Run(d.name, func(b *testing.B) {
			data := readDoc(b, d.file)
			var c casedoc.Case
			dec := casedoc.Decoder{}
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if err := dec.UnmarshalInto(data, &c); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

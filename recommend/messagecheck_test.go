package recommend_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/validation"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCheckMessagesFindsEachProblem: each kind of translation problem is
// named by its file and ID.
func TestCheckMessagesFindsEachProblem(t *testing.T) {
	en := `{"a": "{{.days}} late", "b": {"one": "{{.count}} day", "other": "{{.count}} days"}, "c": "Hello", "d": "{{.n}} %", "e": "x"}`
	nb := `{"a": "{{.days}} for sent", "b": {"one": "{{.count}} dag", "other": "{{.count}} dager"}, "c": "Hei", "d": "{{.n}} %", "e": "y"}`
	tests := []struct {
		name, nb string
		files    map[string]string
		want     string // in the error; "" for none
	}{
		{name: "good", nb: `{"a": "{{.days}} for sent", "b": {"one": "{{.count}} dag", "other": "{{.count}} dager"}, "c": "Hei", "d": "{{.n}} %", "e": "y"}`},
		{name: "missing ID", nb: `{"a": "{{.days}} for sent", "b": {"one": "{{.count}} dag", "other": "{{.count}} dager"}, "d": "{{.n}} %", "e": "y"}`, want: "x.nb.json: c: missing"},
		{name: "extra ID", nb: `{"a": "{{.days}} for sent", "b": {"one": "{{.count}} dag", "other": "{{.count}} dager"}, "c": "Hei", "d": "{{.n}} %", "e": "y", "f": "z"}`, want: "x.nb.json: f: is not in x.en.json"},
		{name: "placeholder", nb: `{"a": "{{.dager}} for sent", "b": {"one": "{{.count}} dag", "other": "{{.count}} dager"}, "c": "Hei", "d": "{{.n}} %", "e": "y"}`, want: "x.nb.json: a: (other) reads [dager], the English text reads [days]"},
		{name: "plural lost", nb: `{"a": "{{.days}} for sent", "b": "{{.count}} dager", "c": "Hei", "d": "{{.n}} %", "e": "y"}`, want: "x.nb.json: b: plural forms in English: true, here: false"},
		{name: "left in English", nb: `{"a": "{{.days}} for sent", "b": {"one": "{{.count}} dag", "other": "{{.count}} dager"}, "c": "Hello", "d": "{{.n}} %", "e": "y"}`, want: "x.nb.json: c: (other) is the English text"},
		{name: "empty", nb: `{"a": "{{.days}} for sent", "b": {"one": "{{.count}} dag", "other": "{{.count}} dager"}, "c": " ", "d": "{{.n}} %", "e": "y"}`, want: "x.nb.json: c: (other) is empty"},
		{name: "bad template", nb: `{"a": "{{.days for sent", "b": {"one": "{{.count}} dag", "other": "{{.count}} dager"}, "c": "Hei", "d": "{{.n}} %", "e": "y"}`, want: "x.nb.json: a: (other) is not a template"},
		{name: "no nb file", files: map[string]string{"x.en.json": en, "y.en.json": en, "y.nb.json": nb}, want: "x.en.json: no nb file beside it (x.nb.json)"},
		{name: "no English file", files: map[string]string{"y.nb.json": `{"a": "b"}`}, want: "no English file y.en.json"},
		{name: "not a language", files: map[string]string{"x.en.json": en, "x.nb.json": nb, "x.!!.json": nb}, want: `language "!!"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			files := tt.files
			if files == nil {
				files = map[string]string{"x.en.json": en, "x.nb.json": tt.nb}
			}
			for name, data := range files {
				fsys[name] = &fstest.MapFile{Data: []byte(data)}
			}
			err := recommend.CheckMessages(fsys)
			if tt.want == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			var verr *validation.Error
			if errors.As(err, &verr) {
				var lines []string
				for _, p := range verr.Problems {
					lines = append(lines, p.String())
				}
				assert.Contains(t, strings.Join(lines, "\n"), tt.want)
				return
			}
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// TestCheckMessagesCitationKeys: a text of abbreviations in capitals alone,
// such as the citation keys of a source, may stay as it is; a text with
// words beside them may not.
func TestCheckMessagesCitationKeys(t *testing.T) {
	en := `{"a": "HD, SN, TR", "b": "TR", "c": "NCT07331766", "d": "N26 theme 1", "e": "SN (the number is the source's)"}`
	for _, tc := range []struct {
		nb   string
		want []string // problems; none when empty
	}{
		{nb: `{"a": "HD, SN, TR", "b": "TR", "c": "NCT07331766", "d": "N26 tema 1", "e": "SN (tallet er kildens)"}`},
		{nb: `{"a": "HD, SN, TR", "b": "TR", "c": "NCT07331766", "d": "N26 theme 1", "e": "SN (the number is the source's)"}`,
			want: []string{"x.nb.json: d: (other) is the English text", "x.nb.json: e: (other) is the English text"}},
	} {
		err := recommend.CheckMessages(fstest.MapFS{
			"x.en.json": {Data: []byte(en)},
			"x.nb.json": {Data: []byte(tc.nb)},
		})
		if len(tc.want) == 0 {
			assert.NoError(t, err, tc.nb)
			continue
		}
		var verr *validation.Error
		require.True(t, errors.As(err, &verr), "%v", err)
		var got []string
		for _, p := range verr.Problems {
			got = append(got, p.String())
		}
		assert.Equal(t, tc.want, got)
	}
}

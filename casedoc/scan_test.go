package casedoc

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/collabmeet/collabmeet/validation"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkScanning holds the fast path to the decoder over jsontext: whatever
// scanning accepts, decoding accepts too, with no ID that is not a UUID,
// and to an equal case; into a new case and into a reused one.
func checkScanning(t *testing.T, data []byte, reused *Case) (scanned bool) {
	t.Helper()
	fast := new(Case)
	if scan(data, fast) != nil {
		return false
	}
	var ids validation.List
	slow := new(Case)
	err := decodeWithJSONText(data, slow, &ids)
	require.NoError(t, err, "scanning accepts what decoding refuses: %q", data)
	require.NoError(t, ids.Err(), "scanning accepts an ID that decoding records as not a UUID: %q", data)
	if !reflect.DeepEqual(fast, slow) {
		require.Equal(t, slow, fast, "%q", data)
	}
	if reused != nil {
		participants, agenda, consents := reused.Meeting.Participants[:0], reused.Meeting.Agenda[:0], reused.Consents[:0]
		*reused = Case{}
		reused.Meeting.Participants, reused.Meeting.Agenda, reused.Consents = participants, agenda, consents
		require.NoError(t, scan(data, reused))
		normalizeLists(reused, slow)
		if !reflect.DeepEqual(reused, slow) {
			require.Equal(t, slow, reused, "into a reused case: %q", data)
		}
	}
	return true
}

// normalizeLists makes the empty top-level lists of got nil where want's
// are: a reused list's memory stays when the document's list is empty.
func normalizeLists(got, want *Case) {
	if len(got.Meeting.Participants) == 0 && len(want.Meeting.Participants) == 0 {
		got.Meeting.Participants = want.Meeting.Participants
	}
	if len(got.Meeting.Agenda) == 0 && len(want.Meeting.Agenda) == 0 {
		got.Meeting.Agenda = want.Meeting.Agenda
	}
	if len(got.Consents) == 0 && len(want.Consents) == 0 {
		got.Consents = want.Consents
	}
}

// scanningCorpus is the reference corpus and, for each of its documents, the
// same document written in other ways JSON allows and scanning must follow
// (whitespace, escapes), and, when broken is set, the document broken in
// each place: each of its first few hundred bytes dropped in turn.
func scanningCorpus(t testing.TB, broken bool) [][]byte {
	var docs [][]byte
	for _, data := range referenceCorpus(t) {
		docs = append(docs, data)
		docs = append(docs, variants(data)...)
		if broken {
			for i := range min(len(data), 300) {
				docs = append(docs, append(bytes.Clone(data[:i]), data[i+1:]...))
			}
		}
	}
	const id = `"0ba2cdb9-ae7b-51a0-95e2-e3ff7a1e4ec5"`
	for _, s := range []string{
		`{"meeting":{"platform":"a\"b\\c\/d\b\f\n\r\t\u00e6\ud83d\ude00"}}`, `{"meeting":{"platform":"\ud83d"}}`, `{"meeting":{"platform":"\ude00\ud83d"}}`,
		`{"meeting":{"platform":"\u00"}}`, `{"meeting":{"platform":"\x"}}`, `{"meeting":{"platform":"\"}}`, `{"meeting":{"platform":"\\"}}`,
		"{\"meeting\":{\"platform\":\"æøå 😀 \x7f\"}}", "{\"meeting\":{\"platform\":\"\x01\"}}", "{\"meeting\":{\"platform\":\"\t\"}}",
		"{\"meeting\":{\"platform\":\"\xc0\xaf\"}}", "{\"meeting\":{\"platform\":\"\xed\xa0\x80\"}}", "{\"meeting\":{\"platform\":\"\xf4\x90\x80\x80\"}}",
		"{\"meeting\":{\"platform\":\"\xe2\x82\"}}", "{\"meeting\":{\"platform\":\"\xef\xbf\xbe\"}}", "{\"meeting\":{\"platform\":\"a",
		`{"meeting":{"duration_minutes":01}}`, `{"meeting":{"duration_minutes":-}}`, `{"meeting":{"duration_minutes":-01}}`, `{"meeting":{"duration_minutes":1.}}`,
		`{"meeting":{"duration_minutes":1e}}`, `{"meeting":{"duration_minutes":00}}`, `{"meeting":{"duration_minutes":-0}}`, `{"meeting":{"duration_minutes":+1}}`,
		`{"meeting":{"duration_minutes":1-2}}`, `{"meeting":{"duration_minutes":0x10}}`, `{"meeting":{"duration_minutes":1 2}}`, `{"meeting":{"duration_minutes":1E2}}`,
		`{"meeting":{"id":` + id + `}}`, `{"meeting":{"id":` + id + ` }}`, `{"meeting":{"id":` + id[:36] + `}}`, `{"meeting":{"id":` + id + `"}}`,
		`{"meeting":{"id":` + id + `,"id":` + id + `}}`, `{"meeting":{"id":"` + id[1:37] + `x"}}`, `{"meeting":{"id":` + id,
		"{\f\"meeting\":{}}", "{\v\"meeting\":{}}", "\u00a0{}", " \t\r\n{ \t\r\n\"meeting\" \t\r\n: \t\r\n{ } \t\r\n} \t\r\n",
		`{,}`, `{"meeting":{},}`, `{,"meeting":{}}`, `{"meeting":{}"consents":[]}`, `{"consents":[,]}`, `{"consents":[{},,{}]}`, `{"consents":[{}{}]}`,
		`{"consents":[{} {}]}`, `{"consents":[{},{}],}`, `{"meeting":{"participants":[{"chose_location":tru}]}}`, `{"meeting":{"participants":[{"chose_location":truee}]}}`,
		`{"meeting":{"participants":[{"chose_location":True}]}}`, `{"meeting":{"participants":[{"chose_location":nul}]}}`, `{"meeting":{"participants":[{"chose_location":false}]}}`,
		`{"meeting":{"participants":[{"chose_location":null}]}}`, `{"meeting":{"participants":[{"chose_location":nulll}]}}`, `{"plan":nul}`, `{"plan":nullx}`,
		`{"meeting":{"start":"2026-05-04T09:00:00+02:00"}}`, `{"meeting":{"start":"2026-05-04T09:00:00+02:00" }}`, `{"meeting":{"start":"2026-13-04T09:00:00Z"}}`,
		`{"meeting":"x"}`, `{"meeting"}`, `{"meeting":`, `{"meeting`, `{`, `{"consents":[`, `{"consents":[{}`, `{"consents":[{}]`, `{}}`, `{}]`, `{} null`,
		`{"meeting":{"pathway":null,"preparation":null,"platform":null,"participants":null,"agenda":null},"consents":null,"plan":null}`,
	} {
		docs = append(docs, []byte(s))
	}
	return docs
}

// variants writes data again in other ways: with whitespace around every
// token (and within strings, which breaks some), and with every ASCII
// character of every string escaped.
func variants(data []byte) [][]byte {
	var out [][]byte
	wide := strings.NewReplacer(":", " :\t", ",", "\r\n,\n ", "{", "{ ", "}", " }", "[", "[\t", "]", "\n]").Replace(string(data))
	out = append(out, []byte(wide))
	var escaped bytes.Buffer
	inString := false
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case c == '\\' && i+1 < len(data):
			escaped.Write(data[i : i+2])
			i++
		case c == '"':
			inString = !inString
			escaped.WriteByte(c)
		case inString && c < 0x80:
			fmt.Fprintf(&escaped, `\u%04x`, c)
		default:
			escaped.WriteByte(c)
		}
	}
	return append(out, escaped.Bytes())
}

// TestScanningAgrees holds the fast path to the decoder that words errors
// on the corpus, and shows that it takes the valid documents itself.
func TestScanningAgrees(t *testing.T) {
	reused := new(Case)
	scanned, valid := 0, 0
	for _, data := range scanningCorpus(t, true) {
		if checkScanning(t, data, reused) {
			scanned++
		}
		var ids validation.List
		if decodeWithJSONText(data, new(Case), &ids) == nil && ids.Err() == nil && bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte("{")) {
			valid++
		}
	}
	assert.Equal(t, valid, scanned, "every valid document is decoded by scanning alone")
	assert.Positive(t, scanned)
}

// FuzzScanningAgrees: on any input, what scanning accepts decoding accepts,
// to an equal case.
func FuzzScanningAgrees(f *testing.F) {
	for _, data := range scanningCorpus(f, false) {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkScanning(t, data, nil)
	})
}

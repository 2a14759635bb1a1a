package casedoc

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/collabmeet/collabmeet/validation"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// referenceDecode is the decoder that the generated one replaced, kept as
// the reference of its behaviour: jsonv2 decoding into the case's types by
// reflection, strictly, with UUIDs in canonical form only. The generated
// decoder must accept exactly what it accepts, give equal cases, and fail
// with the same errors (FuzzDecoderMatchesReference).
func referenceDecode(data []byte) (*Case, error) {
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		return nil, syntaxError(validation.Coded("", "byte_order_mark"))
	}
	c := new(Case)
	var ids validation.List
	r := &referenceUUIDs{ids: &ids}
	opts := json.JoinOptions(json.RejectUnknownMembers(true), json.WithUnmarshalers(json.UnmarshalFromFunc(r.decodeUUID)))
	dec := jsontext.NewDecoder(bytes.NewBuffer(data)) // parsed in place, as the decoder it replaced did
	err := json.UnmarshalDecode(dec, c, opts)
	if err == nil {
		if _, terr := dec.ReadToken(); terr != io.EOF {
			err = terr
			if err == nil {
				err = &jsontext.SyntacticError{ByteOffset: dec.InputOffset(), Err: errTrailingData}
			}
		}
	}
	if err != nil {
		return nil, validation.JSONError(err, "", ErrSyntax)
	}
	return c, ids.Err()
}

type referenceUUIDs struct{ ids *validation.List }

func (r *referenceUUIDs) decodeUUID(dec *jsontext.Decoder, id *uuid.UUID) error {
	if dec.PeekKind() != '"' {
		return errors.ErrUnsupported
	}
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	raw := []byte(v)
	if bytes.IndexByte(raw, '\\') >= 0 {
		if unq, uerr := jsontext.AppendUnquote(nil, raw); uerr == nil {
			raw = append(append([]byte{'"'}, unq...), '"')
		}
	}
	if len(raw) == 38 && raw[0] == '"' && raw[37] == '"' {
		if u, perr := uuid.ParseBytes(raw[1:37]); perr == nil {
			*id = u
			return nil
		}
	}
	r.ids.AddCoded(validation.JSONPath("", dec.StackPointer()), "not_uuid")
	return nil
}

// checkAgainstReference decodes data without validation with both decoders
// and reports any difference.
func checkAgainstReference(t *testing.T, data []byte) {
	t.Helper()
	want, wantErr := referenceDecode(data)
	got, gotErr := Decoder{SkipValidation: true, MaxBytes: 1 << 30}.Unmarshal(data)
	if bytes.Equal(bytes.Trim(data, " \t\r\n"), []byte("null")) { // JSON's whitespace only
		// The one change: a null document is "got null", not a zero case.
		require.Error(t, gotErr)
		assert.Equal(t, "got null, want an object", gotErr.Error())
		return
	}
	if wantErr != nil || gotErr != nil {
		require.Error(t, gotErr, "the reference fails: %v", wantErr)
		require.Error(t, wantErr, "the reference accepts: %v", gotErr)
		assert.Equal(t, wantErr.Error(), gotErr.Error())
		assert.Equal(t, errors.Is(wantErr, ErrSyntax), errors.Is(gotErr, ErrSyntax))
		return
	}
	if !reflect.DeepEqual(want, got) {
		assert.Equal(t, want, got)
	}
}

// referenceCorpus is every document in the repository's examples and
// testdata, and variants that break it in each way the decoder knows.
func referenceCorpus(t testing.TB) [][]byte {
	var docs [][]byte
	for _, pattern := range []string{"../examples/cases/*.json", "../examples/invalid/*.json", "testdata/*.json"} {
		files, _ := filepath.Glob(pattern)
		for _, f := range files {
			data, err := os.ReadFile(f)
			require.NoError(t, err)
			docs = append(docs, data)
		}
	}
	for _, s := range []string{
		"", " ", "null", " null ", "null {}", "[]", "{}", "1", `"x"`, "true", `{"meeting":null}`, `{"meeting":[]}`, `{"meeting":{"participants":[null]}}`,
		`{"meeting":{"participants":{}}}`, `{"meeting":{"id":5}}`, `{"meeting":{"id":null}}`, `{"meeting":{"id":[1,2]}}`, `{"meeting":{"id":{"a":1}}}`,
		`{"meeting":{"duration_minutes":-0}}`, `{"meeting":{"duration_minutes":-9223372036854775808}}`, `{"meeting":{"duration_minutes":9223372036854775807}}`,
		`{"meeting":{"duration_minutes":9223372036854775808}}`, `{"meeting":{"duration_minutes":-9223372036854775809}}`, `{"meeting":{"duration_minutes":1.0}}`,
		`{"meeting":{"duration_minutes":1e2}}`, `{"meeting":{"duration_minutes":"1"}}`, `{"meeting":{"duration_minutes":true}}`, `{"meeting":{"duration_minutes":[]}}`,
		`{"meeting":{"start":"2026-05-04T9:00:00+02:00"}}`, `{"meeting":{"start":"2026-05-04T09:00:00,5+02:00"}}`, `{"meeting":{"start":"2026-05-04T09:00:00+24:00"}}`,
		`{"meeting":{"start":"2026-05-04T09:00:00+02:60"}}`, `{"meeting":{"start":"2026-05-04T09:00:00.123456789Z"}}`, `{"meeting":{"start":"0000-01-01T00:00:00Z"}}`,
		`{"meeting":{"start":12}}`, `{"meeting":{"start":null}}`, `{"meeting":{"start":"2026-05-04T09:00:00\u002b02:00"}}`, `{"meeting":{"start":"2026-05-04"}}`,
		`{"meeting":{"kind":null,"platform":null,"pathway":null,"preparation":null}}`, `{"meeting":{"pathway":{},"preparation":{"sent_to":[]}}}`,
		`{"meeting":{"preparation":{"sent_to":[null,"x",5]}}}`, `{"meeting":{"preparation":{"sent_to":{}}}}`, `{"meeting":{"pathway":[]}}`, `{"meeting":{"pathway":1}}`,
		`{"meeting":{"participants":[{"prior_contact":null,"chose_location":"true"}]}}`, `{"meeting":{"participants":[{"prior_contact":{}}]}}`,
		`{"meeting":{"participants":[{"\u0069d":"0ba2cdb9-ae7b-51a0-95e2-e3ff7a1e4ec5"}]}}`, `{"meeting":{"participants":[{"id":"\u0030ba2cdb9-ae7b-51a0-95e2-e3ff7a1e4ec5"}]}}`,
		`{"meeting":{"participants":[{"id":"0BA2CDB9-AE7B-51A0-95E2-E3FF7A1E4EC5"}]}}`, `{"meeting":{"id":"{0ba2cdb9-ae7b-51a0-95e2-e3ff7a1e4ec5}"}}`,
		`{"meeting":{"participants":[{"id":"a","id":"b"}]}}`, `{"meeting":{"participants":[{"Id":"a"}]}}`, `{"meeting":{},"meeting":{}}`, `{"meeting":{"id":"x"},"x":1}`,
		`{"meeting":{"id":"x"}} {}`, `{"meeting":{"id":"x"}} x`, `{"meeting":{"id":"x"}`, `{"meeting":{"id":"x",}}`, `{"meeting":{"participants":[1,]}}`,
		`{"consents":[{"scopes":["attend",null,5]}]}`, `{"consents":[{"scopes":null}]}`, `{"consents":[{"scopes":[]}]}`, `{"consents":null}`, `{"consents":[]}`,
		`{"plan":null}`, `{"plan":{}}`, `{"plan":{"patient_goals":["a","\u00e6"],"informed_only_sectors":["x"]}}`, `{"plan":{"follow_up":null}}`, `{"plan":{"actions":[{},{}]}}`,
		"{\"meeting\":{\"platform\":\"\xff\"}}", "\xef\xbb\xbf{}", `{"meeting":{"platform":"\ud800x"}}`, `{"meeting":{"\ud800":1}}`, `{"meeting":{"platform":[[[[1]]]]}}`,
		`{"extra":[[[[[[]]]]]]}`, `{1:2}`, `{"meeting" 1}`, `{"meeting":}`,
		`{"meeting":{"platform":{"a":1,"a":2}}}`, `{"meeting":{"id":{"a":1,"a":2}}}`, `{"meeting":{"platform":{"0000" 1}}}`,
		// A repeated name within an object or array that is cut short, where a
		// name is due or in a value of the wrong kind (found by the fuzzer).
		`{{"a":0,"a"`, `{{"a":0,"a":1}}`, `{"meeting":{},{"a":0,"a":1}}`, `{"meeting":{} , [{"a":0,"a":1}]}`, `{ [ {"b":[{"c":1,"c":2}]} ] }`,
		`{"meeting":{"id":null,{"x":{"b":1,"b":2}}}}`, `{"meeting":{"id":null,,{"a":1,"a":2}}}`, `{"meeting":{"id":null {"a":1,"a":2}}}`, `{{"a":1,"b":2}}`,
		`{"meeting":{"platform":{"a":0,"a"`, `{"meeting":{"id":[{"a":0,"a"`, `{"meeting":{"duration_minutes":{"a":0,"a"`, `{"meeting":{"start":[[{"a":0,"a":1`,
		`{"meeting":{"participants":[{"chose_location":{"a":1,"a"`, `{"consents":[{"scopes":[{"a":1,"a":2}`, `{"meeting":{"participants":[1,{"a":1,"a"`,
	} {
		docs = append(docs, []byte(s))
	}
	return docs
}

// TestDecoderMatchesReference: on every document of the corpus, the
// generated decoder gives what the reflective decoder it replaced gives.
func TestDecoderMatchesReference(t *testing.T) {
	for i, data := range referenceCorpus(t) {
		t.Run(string(rune('a'+i%26))+"-"+filepath.Base(string(data[:min(len(data), 20)])), func(t *testing.T) {
			checkAgainstReference(t, data)
		})
	}
}

// FuzzDecoderMatchesReference: on any input, the generated decoder gives
// what the reflective decoder it replaced gives: the same error, or an
// equal case.
func FuzzDecoderMatchesReference(f *testing.F) {
	for _, data := range referenceCorpus(f) {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkAgainstReference(t, data)
	})
}

// TestParseCanonicalUUID: the parser of the decoder accepts what
// uuid.ParseBytes accepts of 36 characters, with the same value, and
// nothing else.
func TestParseCanonicalUUID(t *testing.T) {
	canonical := "0ba2cdb9-ae7b-51a0-95e2-e3ff7a1e4ec5"
	inputs := []string{canonical, strings.ToUpper(canonical), "{" + canonical + "}", "urn:uuid:" + canonical, "0ba2cdb9ae7b51a095e2e3ff7a1e4ec5",
		"", "0ba2cdb9-ae7b-51a0-95e2-e3ff7a1e4ec", "0ba2cdb9_ae7b_51a0_95e2_e3ff7a1e4ec5", "0ba2cdb9-ae7b-51a0-95e2-e3ff7a1e4ecg", "0ba2cdb9-ae7b-51a0-95e2-e3ff7a1e4e-5",
		"0ba2cdb9-ae7b-51a0-95e2-e3ff7a1e4ec\xff", "-ba2cdb9-ae7b-51a0-95e2-e3ff7a1e4ec5"}
	for i := range 256 {
		b := []byte(canonical)
		b[i%36] = byte(i)
		inputs = append(inputs, string(b))
	}
	for _, s := range inputs {
		want, werr := uuid.ParseBytes([]byte(s))
		got, ok := parseCanonicalUUID([]byte(s))
		if len(s) == 36 && werr == nil {
			assert.True(t, ok, "%q", s)
			assert.Equal(t, want, got, "%q", s)
		} else {
			assert.False(t, ok, "%q", s)
		}
	}
}

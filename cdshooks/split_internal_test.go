package cdshooks

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jsontextMembers and jsontextElements split with jsontext's decoder, which
// checks the JSON: what the splitter must agree with on valid JSON.
func jsontextMembers(v jsontext.Value) (object, error) {
	dec := jsontext.NewDecoder(bytes.NewReader(v))
	if tok, err := dec.ReadToken(); err != nil || tok.Kind() != '{' {
		return nil, errSplit
	}
	var obj object
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			return nil, err
		}
		name := tok.String()
		val, err := dec.ReadValue()
		if err != nil {
			return nil, err
		}
		end := int(dec.InputOffset())
		obj = append(obj, member{name, v[end-len(val) : end : end]})
	}
	return obj, nil
}

func jsontextElements(v jsontext.Value) ([]jsontext.Value, error) {
	dec := jsontext.NewDecoder(bytes.NewReader(v))
	if tok, err := dec.ReadToken(); err != nil || tok.Kind() != '[' {
		return nil, errSplit
	}
	var out []jsontext.Value
	for dec.PeekKind() != ']' {
		val, err := dec.ReadValue()
		if err != nil {
			return nil, err
		}
		end := int(dec.InputOffset())
		out = append(out, v[end-len(val):end:end])
	}
	return out, nil
}

// splitCorpus is every object and array of the request files, as they are
// (indented) and compacted, and a few written by hand to test the
// splitter's corners.
func splitCorpus(t testing.TB) []jsontext.Value {
	t.Helper()
	corpus := []jsontext.Value{
		jsontext.Value(`{}`), jsontext.Value(`[]`), jsontext.Value(` { } `), jsontext.Value("[ 1 ,\t2\n,\r3 ]"),
		jsontext.Value(`{"a\"b":"c\\\"}","d\u0065":[{"e":"]"},-1.5e3,true,false,null],"f":{"g":[[]]}}`),
		jsontext.Value(`["\\",  "\"" , {"url":"http://x/\u00e9"}]`),
		jsontext.Value(`{"a":"\\\\","url":"x\\\"y"}`),
	}
	var collect func(v jsontext.Value)
	collect = func(v jsontext.Value) {
		var parts []jsontext.Value
		switch v.Kind() {
		case '{':
			obj, err := jsontextMembers(v)
			require.NoError(t, err)
			for _, m := range obj {
				parts = append(parts, m.value)
			}
		case '[':
			arr, err := jsontextElements(v)
			require.NoError(t, err)
			parts = arr
		default:
			return
		}
		corpus = append(corpus, v)
		for _, p := range parts {
			collect(p)
		}
	}
	files, err := filepath.Glob("testdata/*.json")
	require.NoError(t, err)
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		collect(data) // indented
		compact := jsontext.Value(data).Clone()
		require.NoError(t, compact.Compact())
		collect(compact)
	}
	return corpus
}

// TestCDSSplitAgrees: on valid JSON the splitter gives the members and
// elements that jsontext's decoder gives; on every prefix and every
// one-byte deletion of the smaller ones, it gives an error or a split, never a panic.
func TestCDSSplitAgrees(t *testing.T) {
	corpus := splitCorpus(t)
	require.Greater(t, len(corpus), 100)
	for _, v := range corpus {
		switch v[bytes.IndexAny(v, "{[")] {
		case '{':
			want, err := jsontextMembers(v)
			require.NoError(t, err)
			got, err := objectMembers(v)
			require.NoError(t, err, "%s", v)
			assert.Equal(t, want, got)
			for _, m := range want {
				s := &splitter{v: v}
				ok, err := s.seekMember(m.name)
				require.NoError(t, err)
				require.True(t, ok, m.name)
				val, err := s.value()
				require.NoError(t, err)
				first, _ := want.get(m.name) // a repeated name: the first
				assert.Equal(t, string(first), string(val))
			}
			ok, err := (&splitter{v: v}).seekMember("\x00 no such member")
			assert.NoError(t, err)
			assert.False(t, ok)
		case '[':
			want, err := jsontextElements(v)
			require.NoError(t, err)
			got, err := elements(v)
			require.NoError(t, err, "%s", v)
			assert.Equal(t, want, got)
			for n := range len(want) + 1 {
				s := &splitter{v: v}
				ok, err := s.seekElement(n)
				require.NoError(t, err)
				require.Equal(t, n < len(want), ok)
				if ok {
					val, err := s.value()
					require.NoError(t, err)
					assert.Equal(t, string(want[n]), string(val))
				}
			}
		}
	}
	for _, bad := range []string{`{"url":,}`, `{"url":}`, `{"url"}`, `{"a":1,}`, `[1,]`, `[,1]`, `{"url":"x`, `["\\"]`} {
		_, err := urlOf(jsontext.Value(bad))
		_, err2 := objectMembers(jsontext.Value(bad))
		_, err3 := elements(jsontext.Value(bad))
		assert.True(t, err != nil || err2 != nil || err3 != nil, "%s", bad)
	}
	url, err := urlOf(jsontext.Value(`{"a":"\\\\","url":"x\\\"y"}`))
	require.NoError(t, err)
	assert.Equal(t, `x\"y`, url)
	for _, v := range corpus {
		if len(v) > 600 {
			continue
		}
		for i := range len(v) {
			for _, bad := range []jsontext.Value{v[:i], append(v[:i:i], v[i+1:]...)} {
				assert.NotPanics(t, func() {
					_, _ = objectMembers(bad)
					_, _ = elements(bad)
					_, _ = urlOf(bad)
					_, _ = rawResource{bundle: bad, entry: 1}.json()
				})
			}
		}
	}
}

// FuzzSplit: the splitter never panics, and where jsontext reads an object
// or array as valid, the splitter agrees with it.
func FuzzSplit(f *testing.F) {
	for _, v := range splitCorpus(f) {
		if len(v) <= 600 {
			f.Add([]byte(v))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		obj, err := objectMembers(data)
		if want, werr := jsontextMembers(data); werr == nil && jsontext.Value(data).IsValid() {
			require.NoError(t, err)
			assert.Equal(t, want, obj)
		}
		arr, err := elements(data)
		if want, werr := jsontextElements(data); werr == nil && jsontext.Value(data).IsValid() {
			require.NoError(t, err)
			assert.Equal(t, want, arr)
		}
		_, _ = urlOf(data)
		_, _ = rawResource{bundle: data}.json()
	})
}

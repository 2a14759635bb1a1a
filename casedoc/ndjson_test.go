package casedoc_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// compact returns the reference case on one line.
func compactReference(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile(reference)
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, compactJSON(&b, data))
	return b.Bytes()
}

func compactJSON(w *bytes.Buffer, data []byte) error {
	var out bytes.Buffer
	if err := jsonCompact(&out, data); err != nil {
		return err
	}
	w.Write(out.Bytes())
	return nil
}

type line struct {
	number int
	ok     bool
}

func readAll(t *testing.T, r *casedoc.Reader) []line {
	t.Helper()
	var got []line
	for r.Next() {
		_, err := r.Case()
		got = append(got, line{r.Line(), err == nil})
	}
	require.NoError(t, r.Err())
	return got
}

func TestReaderGoesOnAfterBadLines(t *testing.T) {
	good := string(compactReference(t))
	input := strings.Join([]string{
		good,
		`{"meeting": {`,
		"",
		"   ",
		good,
		`not json`,
		good + "\r",
		good, // no final newline
	}, "\n")
	got := readAll(t, casedoc.NewReader(strings.NewReader(input)))
	assert.Equal(t, []line{{1, true}, {2, false}, {5, true}, {6, false}, {7, true}, {8, true}}, got)
}

func TestReaderLineTooLong(t *testing.T) {
	good := string(compactReference(t))
	long := `{"meeting": {"platform": "` + strings.Repeat("x", 200<<10) + `"}}`
	r := casedoc.NewReader(strings.NewReader(good + "\n" + long + "\n" + good + "\n" + long))
	r.Decoder.MaxBytes = int64(len(good)) + 10
	var errs []error
	var lines []int
	for r.Next() {
		_, err := r.Case()
		errs = append(errs, err)
		lines = append(lines, r.Line())
	}
	require.NoError(t, r.Err())
	require.Len(t, errs, 4)
	assert.Equal(t, []int{1, 2, 3, 4}, lines)
	assert.NoError(t, errs[0])
	assert.ErrorIs(t, errs[1], casedoc.ErrTooLarge)
	assert.NoError(t, errs[2])
	assert.ErrorIs(t, errs[3], casedoc.ErrTooLarge)
}

type failingReader struct{ data io.Reader }

func (f failingReader) Read(p []byte) (int, error) {
	n, err := f.data.Read(p)
	if err == io.EOF {
		return n, errors.New("disk on fire")
	}
	return n, err
}

func TestReaderReportsReadErrors(t *testing.T) {
	good := string(compactReference(t))
	r := casedoc.NewReader(failingReader{strings.NewReader(good + "\n")})
	assert.True(t, r.Next())
	assert.False(t, r.Next())
	assert.ErrorContains(t, r.Err(), "disk on fire")
}

func TestReaderEmptyInput(t *testing.T) {
	r := casedoc.NewReader(strings.NewReader(""))
	assert.False(t, r.Next())
	assert.NoError(t, r.Err())
}

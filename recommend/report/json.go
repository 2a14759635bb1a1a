package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/collabmeet/collabmeet/recommend"
)

// JSON writes reps in the stable collabmeet.report/v1 schema
// ([recommend.ReportSchema]), one compact object per line (NDJSON): one
// report gives one line, many give one line each, in order. Output is
// deterministic: identical reports give byte-identical bytes. A report whose
// Schema is empty is written with [recommend.ReportSchema], and a nil Results
// as an empty array, so that consumers always see the same shape. Characters
// such as '<' and '&' are written as they are, not as \u escapes. opts is not
// used: JSON is for machines, which look titles up by ID themselves.
func JSON(w io.Writer, opts Options, reps ...*recommend.Report) error {
	if err := checkReports(reps); err != nil {
		return err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for _, rep := range reps {
		buf.Reset()
		if err := enc.Encode(normalized(rep)); err != nil { // Encode ends the line
			return fmt.Errorf("report: encode %s: %w", rep.MeetingID, err)
		}
		if _, err := w.Write(buf.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

// normalized returns rep with the schema name set and no nil Results.
func normalized(rep *recommend.Report) *recommend.Report {
	if rep.Schema != "" && rep.Results != nil {
		return rep
	}
	cp := *rep
	if cp.Schema == "" {
		cp.Schema = recommend.ReportSchema
	}
	if cp.Results == nil {
		cp.Results = []recommend.Result{}
	}
	return &cp
}

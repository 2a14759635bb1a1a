package report

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/collabmeet/collabmeet/recommend"
)

// AggregateJSON writes agg in the collabmeet.aggregate/v1 schema
// ([recommend.AggregateSchema]) as one indented JSON object followed by a
// newline; empty lists and maps are [] and {}, never null (see
// [recommend.Aggregate.MarshalJSON]). Output is deterministic. opts is not
// used.
func AggregateJSON(w io.Writer, opts Options, agg *recommend.Aggregate) error {
	if agg == nil {
		return ErrNilAggregate
	}
	data, err := json.MarshalIndent(agg, "", "  ")
	if err != nil {
		return fmt.Errorf("report: encode aggregate: %w", err)
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

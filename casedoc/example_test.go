package casedoc_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/validation"
)

func ExampleReadFile() {
	c, err := casedoc.ReadFile("../examples/cases/compliant-digital-meeting.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Meeting.Kind, c.Meeting.Format, len(c.Meeting.Participants), "participants")
	// Output: collaboration digital 7 participants
}

func ExampleUnmarshal_invalid() {
	_, err := casedoc.Unmarshal([]byte(`{"meeting": {
		"id": "0ba2cdb9-ae7b-51a0-95e2-e3ff7a1e4ec5",
		"patient_id": "7d89225d-2d53-52fa-aad8-57b002628bc3",
		"kind": "collaboration", "status": "planned", "format": "digital",
		"start": "2026-05-04T09:00:00+02:00", "duration_minutes": 60,
		"participants": [{"id": "10927a11-c11a-5c97-8e26-de4a06205b7b", "role": "nav", "sector": "social_security"}]
	}}`))
	var verr *validation.Error
	if errors.As(err, &verr) {
		for _, p := range verr.Problems {
			fmt.Println(p.Path)
		}
	}
	// Output: meeting.participants[0].role
}

func ExampleReader() {
	stream := `{"meeting": {"id": "not a uuid"}}

{"meeting": {"id": "0ba2cdb9-ae7b-51a0-95e2-e3ff7a1e4ec5", "patient_id": "7d89225d-2d53-52fa-aad8-57b002628bc3", "kind": "follow_up", "status": "held", "format": "in_person", "start": "2026-05-04T09:00:00+02:00", "duration_minutes": 30}}
`
	r := casedoc.NewReader(strings.NewReader(stream))
	for r.Next() {
		c, err := r.Case()
		if err != nil {
			fmt.Printf("line %d: invalid\n", r.Line())
			continue
		}
		fmt.Printf("line %d: %s meeting\n", r.Line(), c.Meeting.Kind)
	}
	if err := r.Err(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// line 1: invalid
	// line 3: follow_up meeting
}

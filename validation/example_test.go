package validation_test

import (
	"errors"
	"fmt"

	"github.com/collabmeet/collabmeet/validation"
)

func ExampleError() {
	var l validation.List
	l.Addf("meeting.participants[3].role", "unknown value %q", "nav")
	err := l.Err()

	var verr *validation.Error
	if errors.As(err, &verr) {
		for _, p := range verr.Problems {
			fmt.Println(p.Path, "->", p.Message)
		}
	}
	// Output: meeting.participants[3].role -> unknown value "nav"
}

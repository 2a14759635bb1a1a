package recommendtest_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/collabmeet/collabmeet/casegen"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend/recommendtest"
)

func ExampleCheck() {
	c := casegen.Typical()
	// The leader takes over the patient's own item.
	for i := range c.Meeting.Agenda {
		if c.Meeting.Agenda[i].Kind == meeting.ItemPatientPerspective {
			c.Meeting.Agenda[i].LeadID = c.Meeting.LeaderID
		}
	}
	err := recommendtest.Check(c)
	var gaps *recommendtest.GapError
	if errors.As(err, &gaps) {
		fmt.Println(gaps.IDs())
	}
	// Output: [PC-05]
}

func ExampleAssertCompliant() {
	t := &testing.T{} // in a test, the *testing.T of the test function
	ok := recommendtest.AssertCompliant(t, casegen.Typical())
	fmt.Println(ok)
	// Output: true
}

func ExampleAssertGap() {
	t := &testing.T{} // in a test, the *testing.T of the test function
	c := casegen.Typical()
	c.Meeting.Status = meeting.StatusHeld
	c.Plan = nil // the meeting was held, and no action plan was made
	fmt.Println(recommendtest.AssertGap(t, c, "AP-03"))
	// Output: true
}

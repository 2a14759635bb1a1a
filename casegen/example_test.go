package casegen_test

import (
	"fmt"

	"github.com/collabmeet/collabmeet/casegen"
)

func ExampleGenerator_Next() {
	g := casegen.New(42)
	for range 3 {
		c, defects := g.Next()
		if err := c.Validate(); err != nil {
			fmt.Println("invalid:", err)
			return
		}
		fmt.Printf("%d participants, defects:", len(c.Meeting.Participants))
		for _, d := range defects {
			fmt.Printf(" %s (%s)", d, d.Recommendation())
		}
		fmt.Println()
	}
	// Output:
	// 5 participants, defects:
	// 9 participants, defects:
	// 3 participants, defects: no_leader (MC-01)
}

func ExampleTypical() {
	c := casegen.Typical()
	fmt.Println(len(c.Meeting.Participants), "participants,", len(c.Meeting.Agenda), "agenda items,",
		len(c.Plan.Actions), "actions,", len(c.Consents), "consents")
	// Output: 8 participants, 8 agenda items, 6 actions, 3 consents
}

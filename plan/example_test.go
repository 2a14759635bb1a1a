package plan_test

import (
	"fmt"

	"github.com/collabmeet/collabmeet/plan"
	"github.com/google/uuid"
)

func ExamplePlan_ActionsOwnedBy() {
	gp := uuid.New()
	p := plan.Plan{Actions: []plan.Action{
		{ID: uuid.New(), Kind: plan.ActionWork, OwnerID: gp},
		{ID: uuid.New(), Kind: plan.ActionTreatment, OwnerID: uuid.New()},
	}}
	for _, a := range p.ActionsOwnedBy(gp) {
		fmt.Println(a.Kind)
	}
	// Output: work
}

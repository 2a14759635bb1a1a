package plan_test

import (
	"testing"

	"github.com/collabmeet/collabmeet/plan"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
)

func TestPlanLookups(t *testing.T) {
	gp, physio := uuid.New(), uuid.New()
	p := plan.Plan{
		Actions: []plan.Action{
			{ID: uuid.New(), Kind: plan.ActionTreatment, OwnerID: physio},
			{ID: uuid.New(), Kind: plan.ActionWork, OwnerID: gp},
			{ID: uuid.New(), Kind: plan.ActionHandover, OwnerID: gp},
		},
		Recipients: []uuid.UUID{gp},
	}
	owned := p.ActionsOwnedBy(gp)
	assert.Len(t, owned, 2)
	assert.Equal(t, plan.ActionWork, owned[0].Kind)
	assert.Empty(t, p.ActionsOwnedBy(uuid.New()))
	assert.True(t, p.HasAction(plan.ActionHandover))
	assert.False(t, p.HasAction(plan.ActionBenefits))
	assert.True(t, p.IsRecipient(gp))
	assert.False(t, p.IsRecipient(physio))

	var zero plan.Plan
	assert.Empty(t, zero.ActionsOwnedBy(gp))
	assert.False(t, zero.HasAction(plan.ActionOther))
}

func TestEnumsValid(t *testing.T) {
	for _, v := range plan.Statuses() {
		assert.True(t, v.Valid(), v)
	}
	for _, v := range plan.ActionKinds() {
		assert.True(t, v.Valid(), v)
	}
	for _, v := range plan.Intensities() {
		assert.True(t, v.Valid(), v)
	}
	for _, v := range plan.Initiators() {
		assert.True(t, v.Valid(), v)
	}
	assert.False(t, plan.Status("Agreed").Valid())
	assert.False(t, plan.Intensity("").Valid())
}

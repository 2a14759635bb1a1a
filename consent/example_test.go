package consent_test

import (
	"fmt"
	"time"

	"github.com/collabmeet/collabmeet/consent"
	"github.com/google/uuid"
)

func ExampleSet_Allows() {
	supervisor := uuid.New()
	start := time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)
	consents := consent.Set{{
		GranteeID:   supervisor,
		Scopes:      []consent.Scope{consent.ScopeAttend},
		GivenAt:     start.AddDate(0, 0, -10),
		WithdrawnAt: start.AddDate(0, 0, -1),
	}}
	fmt.Println(consents.Allows(supervisor, consent.ScopeAttend, start))
	fmt.Println(consents.Allows(supervisor, consent.ScopeAttend, start.AddDate(0, 0, -5)))
	fmt.Println(consents.Allows(supervisor, consent.ScopeHearClinicalInformation, start))
	// Output:
	// withdrawn
	// granted
	// no consent
}

package meeting_test

import (
	"fmt"
	"time"

	"github.com/collabmeet/collabmeet/meeting"
	"github.com/google/uuid"
)

func ExampleMeeting_Attends() {
	intro, summary, discussion := uuid.New(), uuid.New(), uuid.New()
	supervisor := uuid.New()
	m := meeting.Meeting{
		Start: time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC),
		Agenda: []meeting.AgendaItem{
			{ID: intro, Kind: meeting.ItemIntroductions, Minutes: 5},
			{ID: summary, Kind: meeting.ItemClinicalSummary, Minutes: 10},
			{ID: discussion, Kind: meeting.ItemDiscussion, Minutes: 20, Recap: true},
		},
		Participants: []meeting.Participant{{
			ID:          supervisor,
			Role:        meeting.RoleSocialSecuritySupervisor,
			Sector:      meeting.SectorSocialSecurity,
			JoinsAtItem: discussion,
		}},
	}
	fmt.Println("hears the clinical summary:", m.Attends(supervisor, summary))
	fmt.Println("takes part in the discussion:", m.Attends(supervisor, discussion))
	fmt.Println("minutes attended:", m.AttendedMinutes(supervisor))
	// Output:
	// hears the clinical summary: false
	// takes part in the discussion: true
	// minutes attended: 20
}

func ExampleRole_AllowsSector() {
	fmt.Println(meeting.RoleGP.AllowsSector(meeting.SectorPrimaryHealth))
	fmt.Println(meeting.RoleGP.AllowsSector(meeting.SectorSocialSecurity))
	fmt.Println(meeting.RoleCoordinator.AllowsSector(meeting.SectorSocialSecurity))
	// Output:
	// true
	// false
	// true
}

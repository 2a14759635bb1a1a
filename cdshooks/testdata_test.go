package cdshooks_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/cdshooks"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the request files in testdata/ from the example case")

// The requests in testdata, for curl sessions (see the package
// documentation): the example meeting booked as it is, without the NAV
// supervisor's consent, and with an empty agenda.
var requestFiles = []struct {
	file   string
	change func(c *casedoc.Case)
}{
	{"booking-compliant.json", func(*casedoc.Case) {}},
	{"booking-supervisor-without-consent.json", func(c *casedoc.Case) {
		withoutConsent(c, meeting.RoleSocialSecuritySupervisor)
	}},
	{"booking-empty-agenda.json", func(c *casedoc.Case) {
		c.Meeting.Agenda = nil
		for k := range c.Meeting.Participants {
			c.Meeting.Participants[k].JoinsAtItem = uuid.Nil
			c.Meeting.Participants[k].LeavesAfterItem = uuid.Nil
		}
	}},
}

// TestCDSTestdataRequests keeps the request files in testdata equal to the
// booking of the example case (go test -update rewrites them), and checks
// that the service answers each.
func TestCDSTestdataRequests(t *testing.T) {
	srv := newServer(t, recommend.Policy{})
	for _, rf := range requestFiles {
		t.Run(rf.file, func(t *testing.T) {
			c := loadCase(t)
			rf.change(c)
			want := jsontext.Value(mustJSON(t, booking(t, c)))
			require.NoError(t, want.Indent(jsontext.WithIndent("  ")))
			want = append(want, '\n')
			path := filepath.Join("testdata", rf.file)
			if *update {
				require.NoError(t, os.WriteFile(path, want, 0o644))
			}
			got, err := os.ReadFile(path)
			require.NoError(t, err, "go test ./cdshooks -run TestCDSTestdataRequests -update writes it")
			assert.Equal(t, string(want), string(got), "stale: go test ./cdshooks -run TestCDSTestdataRequests -update")
			var req cdshooks.Request
			require.NoError(t, json.Unmarshal(got, &req))
			call(t, srv, &req)
		})
	}
}

package consent_test

import (
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/consent"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
)

var (
	start   = time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)
	grantee = uuid.New()
)

func TestAllows(t *testing.T) {
	tests := []struct {
		name    string
		set     consent.Set
		grantee uuid.UUID
		scope   consent.Scope
		want    consent.Decision
	}{
		{"no consent at all", nil, grantee, consent.ScopeAttend, consent.NoConsent},
		{"valid", consent.Set{{GranteeID: grantee, Scopes: []consent.Scope{consent.ScopeAttend}, GivenAt: start.Add(-time.Hour)}}, grantee, consent.ScopeAttend, consent.Granted},
		{"given exactly at the moment", consent.Set{{GranteeID: grantee, Scopes: []consent.Scope{consent.ScopeAttend}, GivenAt: start}}, grantee, consent.ScopeAttend, consent.Granted},
		{"given after the moment", consent.Set{{GranteeID: grantee, Scopes: []consent.Scope{consent.ScopeAttend}, GivenAt: start.Add(time.Second)}}, grantee, consent.ScopeAttend, consent.NotYetGiven},
		{"other scope only", consent.Set{{GranteeID: grantee, Scopes: []consent.Scope{consent.ScopeReceivePlan}, GivenAt: start.Add(-time.Hour)}}, grantee, consent.ScopeAttend, consent.NoConsent},
		{"other grantee only", consent.Set{{GranteeID: uuid.New(), Scopes: []consent.Scope{consent.ScopeAttend}, GivenAt: start.Add(-time.Hour)}}, grantee, consent.ScopeAttend, consent.NoConsent},
		{"nil grantee never", consent.Set{{Scopes: []consent.Scope{consent.ScopeAttend}, GivenAt: start.Add(-time.Hour)}}, uuid.Nil, consent.ScopeAttend, consent.NoConsent},
		{"withdrawn exactly at the moment", consent.Set{{GranteeID: grantee, Scopes: []consent.Scope{consent.ScopeAttend}, GivenAt: start.Add(-time.Hour), WithdrawnAt: start}}, grantee, consent.ScopeAttend, consent.Withdrawn},
		{"withdrawn after the moment", consent.Set{{GranteeID: grantee, Scopes: []consent.Scope{consent.ScopeAttend}, GivenAt: start.Add(-time.Hour), WithdrawnAt: start.Add(time.Minute)}}, grantee, consent.ScopeAttend, consent.Granted},
		{"expired exactly at the moment", consent.Set{{GranteeID: grantee, Scopes: []consent.Scope{consent.ScopeAttend}, GivenAt: start.Add(-time.Hour), ExpiresAt: start}}, grantee, consent.ScopeAttend, consent.Expired},
		{"expires later", consent.Set{{GranteeID: grantee, Scopes: []consent.Scope{consent.ScopeAttend}, GivenAt: start.Add(-time.Hour), ExpiresAt: start.Add(time.Hour)}}, grantee, consent.ScopeAttend, consent.Granted},
		{"one withdrawn, a newer one valid", consent.Set{
			{GranteeID: grantee, Scopes: []consent.Scope{consent.ScopeAttend}, GivenAt: start.Add(-48 * time.Hour), WithdrawnAt: start.Add(-24 * time.Hour)},
			{GranteeID: grantee, Scopes: []consent.Scope{consent.ScopeAttend}, GivenAt: start.Add(-time.Hour)},
		}, grantee, consent.ScopeAttend, consent.Granted},
		{"old expired, newer withdrawn: the newer reason", consent.Set{
			{GranteeID: grantee, Scopes: []consent.Scope{consent.ScopeAttend}, GivenAt: start.Add(-48 * time.Hour), ExpiresAt: start.Add(-24 * time.Hour)},
			{GranteeID: grantee, Scopes: []consent.Scope{consent.ScopeAttend}, GivenAt: start.Add(-2 * time.Hour), WithdrawnAt: start.Add(-time.Hour)},
		}, grantee, consent.ScopeAttend, consent.Withdrawn},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.set.Allows(tt.grantee, tt.scope, start)
			assert.Equal(t, tt.want, got, "got %s", got)
			assert.Equal(t, tt.want == consent.Granted, got.Allowed())
		})
	}
}

func TestDecisionString(t *testing.T) {
	assert.Equal(t, "no consent", consent.NoConsent.String())
	assert.Equal(t, "withdrawn", consent.Withdrawn.String())
	assert.Equal(t, "granted", consent.Granted.String())
	assert.Equal(t, "unknown decision", consent.Decision(99).String())
	var zero consent.Decision
	assert.False(t, zero.Allowed(), "deny by default")
}

func TestScopesValid(t *testing.T) {
	for _, s := range consent.Scopes() {
		assert.True(t, s.Valid(), s)
	}
	for _, m := range consent.Methods() {
		assert.True(t, m.Valid(), m)
	}
	assert.False(t, consent.Scope("Attend").Valid())
	assert.False(t, consent.Method("").Valid())
}

func TestGrantee(t *testing.T) {
	other := uuid.New()
	set := consent.Set{{GranteeID: grantee}, {GranteeID: other}, {GranteeID: grantee}}
	assert.Len(t, set.Grantee(grantee), 2)
	assert.Empty(t, set.Grantee(uuid.New()))
}

package casedoc

import (
	"reflect"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFastTypesMirrorCase checks that each type of the fast path has the
// memory layout and the JSON names of the case's type it stands for, field
// by field, so that a *Case may be decoded as a *fastCase. Adding a field to
// a type of the case fails this test until the fast type has it too.
func TestFastTypesMirrorCase(t *testing.T) {
	pairs := map[reflect.Type]reflect.Type{}
	var mirror func(fast, orig reflect.Type)
	mirror = func(fast, orig reflect.Type) {
		if pairs[fast] != nil {
			require.Equal(t, orig, pairs[fast])
			return
		}
		pairs[fast] = orig
		require.Equal(t, orig.Size(), fast.Size(), "%s and %s", fast, orig)
		require.Equal(t, orig.Align(), fast.Align(), "%s and %s", fast, orig)
		switch {
		case fast == reflect.TypeFor[strictUUID]():
			require.Equal(t, reflect.TypeFor[uuid.UUID](), orig)
			return
		case fast == orig:
			return
		}
		require.Equal(t, orig.Kind(), fast.Kind(), "%s and %s", fast, orig)
		switch fast.Kind() {
		case reflect.Pointer, reflect.Slice:
			mirror(fast.Elem(), orig.Elem())
		case reflect.Struct:
			require.Equal(t, orig.NumField(), fast.NumField(), "%s and %s", fast, orig)
			for i := range fast.NumField() {
				ff, of := fast.Field(i), orig.Field(i)
				assert.Equal(t, of.Name, ff.Name, "%s", orig)
				assert.Equal(t, of.Offset, ff.Offset, "%s.%s", orig, of.Name)
				assert.Equal(t, of.Tag.Get("json"), ff.Tag.Get("json"), "%s.%s", orig, of.Name)
				mirror(ff.Type, of.Type)
			}
		default:
			require.Failf(t, "not mirrored", "%s stands for %s", fast, orig)
		}
	}
	mirror(reflect.TypeFor[fastCase](), reflect.TypeFor[Case]())
	structs := 0
	for fast := range pairs {
		if fast.Kind() == reflect.Struct && fast != reflect.TypeFor[strictUUID]() && fast.PkgPath() == reflect.TypeFor[fastCase]().PkgPath() {
			structs++
		}
	}
	assert.Equal(t, 10, structs, "case, meeting, pathway, participant, agenda item, preparation, consent, plan, action, follow-up")
}

// TestFastPathRejectsWhatStrictRejects: every form of UUID that uuid.Parse
// accepts but the case does not (braces, URN, no hyphens) fails the fast
// path too, so that the strict path reports it.
func TestFastPathRejectsWhatStrictRejects(t *testing.T) {
	canonical := "0ba2cdb9-ae7b-51a0-95e2-e3ff7a1e4ec5"
	var u strictUUID
	require.NoError(t, u.UnmarshalText([]byte(canonical)))
	assert.Equal(t, uuid.MustParse(canonical), uuid.UUID(u))
	for _, s := range []string{"{" + canonical + "}", "urn:uuid:" + canonical, "0ba2cdb9ae7b51a095e2e3ff7a1e4ec5", "", "0ba2cdb9-ae7b-51a0-95e2-e3ff7a1e4ec", "0ba2cdb9_ae7b_51a0_95e2_e3ff7a1e4ec5"} {
		_, err := uuid.Parse(s)
		assert.Error(t, u.UnmarshalText([]byte(s)), "%q (uuid.Parse error: %v)", s, err)
	}
}

//go:build casedocgen

package casedoc

import (
	"errors"
	"reflect"

	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/plan"
	"github.com/collabmeet/collabmeet/validation"
)

// This file stands in for decode_gen.go while it is generated (go generate
// builds with the tag casedocgen), so that a stale or broken generated file
// never stops its own generator. Nothing here decodes or checks anything.

const (
	timeTypeID typeID = 0
	uuidTypeID typeID = 1
)

func goType(typeID) reflect.Type { return nil }

type lists struct{}

func (*lists) trim(int) {}

func (d *decoding) decodeCase(*Case) error { return errors.New("built without the generated decoder") }

func tagsHoldMeeting(*meeting.Meeting) bool { return false }
func tagsHoldConsent(*consent.Consent) bool { return false }
func tagsHoldPlan(*plan.Plan) bool          { return false }
func timesInRangeCase(*Case) bool           { return false }

func timeProblemsCase(*Case, string, *validation.List) {}

func (s *scanning) decodeCase(*Case) error { return errors.New("built without the generated decoder") }

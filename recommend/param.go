package recommend

import (
	"strconv"
	"time"

	"github.com/collabmeet/collabmeet/validation"
)

// Unit is what a parameter measures. It fixes the parameter's type and the
// range a policy may set (see Range): no value in range can overflow a time
// computation.
type Unit string

// The units.
const (
	UnitDays    Unit = "days"    // whole days of 24 hours, 0–3650
	UnitWeeks   Unit = "weeks"   // whole weeks of 7 such days, 0–520
	UnitMinutes Unit = "minutes" // whole minutes, 0–1440
	UnitCount   Unit = "count"   // a number of things, 0–1000
	UnitSwitch  Unit = "switch"  // true or false
)

// Day and Week are the lengths of UnitDays and UnitWeeks: whole 24-hour days
// and 7 such days, so that no calendar or time zone is involved.
const (
	Day  = 24 * time.Hour
	Week = 7 * Day
)

// Range returns the least and the greatest value a parameter of unit u may
// take (0 and 1 for a switch), and whether u is a known unit.
func (u Unit) Range() (lo, hi int, ok bool) {
	switch u {
	case UnitDays:
		return 0, 3650, true
	case UnitWeeks:
		return 0, 520, true
	case UnitMinutes:
		return 0, 1440, true
	case UnitCount:
		return 0, 1000, true
	case UnitSwitch:
		return 0, 1, true
	}
	return 0, 0, false
}

// Param is one parameter of a recommendation: a number or a switch that a
// policy may change. Build it with ParamDays, ParamWeeks, ParamMinutes,
// ParamCount or ParamSwitch. Its description for people is a message (see
// Texts), keyed "param." + Name.
type Param struct {
	// Name is snake_case, such as "notice_days". Names share one namespace
	// across a rule set: a policy sets notice_days once for every
	// recommendation that declares it.
	Name string `json:"name"`
	// Unit fixes the type and the range.
	Unit Unit `json:"unit"`
	// Default is the value when the policy does not set it; for a switch, 1
	// is on and 0 off.
	Default int `json:"default"`
}

// ParamDays declares a parameter of whole days.
func ParamDays(name string, def int) Param { return Param{name, UnitDays, def} }

// ParamWeeks declares a parameter of whole weeks.
func ParamWeeks(name string, def int) Param { return Param{name, UnitWeeks, def} }

// ParamMinutes declares a parameter of whole minutes.
func ParamMinutes(name string, def int) Param { return Param{name, UnitMinutes, def} }

// ParamCount declares a parameter that counts things.
func ParamCount(name string, def int) Param { return Param{name, UnitCount, def} }

// ParamSwitch declares a parameter that is on or off.
func ParamSwitch(name string, def bool) Param {
	p := Param{Name: name, Unit: UnitSwitch}
	if def {
		p.Default = 1
	}
	return p
}

// DefaultValue returns the default as a policy writes it: a bool for a
// switch, an int otherwise.
func (p Param) DefaultValue() any {
	if p.Unit == UnitSwitch {
		return p.Default != 0
	}
	return p.Default
}

// check says what is wrong with value v of p, as the code and args of a
// problem (validation.Coded), or "".
func (p Param) check(v int) (code string, kv []string) {
	lo, hi, ok := p.Unit.Range()
	switch {
	case !ok:
		return "param_unknown_unit", []string{"measure", validation.Quote(string(p.Unit))}
	case v < lo || v > hi:
		return "param_out_of_range", []string{"given", strconv.Itoa(v), "measure", string(p.Unit), "low", strconv.Itoa(lo), "high", strconv.Itoa(hi)}
	}
	return "", nil
}

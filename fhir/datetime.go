package fhir

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// dateTimeGrammar is the regular expression of the FHIR R4 dateTime type
// (http://hl7.org/fhir/R4/datatypes.html#dateTime), anchored. An instant is a
// dateTime with every part present, which is what the case needs of every
// time; the grammar is matched first so that the message can tell a partial
// date from a malformed one.
var dateTimeGrammar = regexp.MustCompile(`^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)` +
	`(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])` +
	`(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?$`)

// Errors of ParseDateTime; the error names what is wrong, never the value.
var (
	errNotDateTime  = errors.New("is not a FHIR dateTime, such as 2026-05-04T09:00:00+02:00")
	errPartial      = errors.New("is a date without a time: the case needs a time with offset, such as 2026-05-04T09:00:00+02:00")
	errNoSuchDay    = errors.New("is a day that the month does not have")
	errLeapSecond   = errors.New("is a leap second (second 60), which the case cannot represent")
	errFirstInstant = errors.New("is the first instant of year 1 (UTC), which the case cannot tell from a time that is not set")
	errNotWritable  = errors.New("cannot be written as a FHIR dateTime")
	maxFHIROffset   = 14 * 60 * 60
	firstFHIRYear   = 1
	lastFHIRYear    = 9999
	maxFractionDigs = 9
)

// ParseDateTime parses a FHIR R4 dateTime or instant that has every part
// (date, time and offset), by the grammar of the FHIR specification rather
// than the more lenient time.Parse: an offset beyond ±14:00 (+24:00), an hour
// of one digit (T9:00:00), a comma before the fraction (,5) and a minute of
// offset of 60 (+02:60) are refused. The time keeps the offset as written:
// its location is UTC for Z, +00:00 and -00:00, and a fixed zone of the
// offset otherwise, never time.Local, so that a Bundle read on a machine in
// Europe/Oslo writes back the same offsets. Digits of the fraction beyond
// nanoseconds are dropped. The error never quotes s.
func ParseDateTime(s string) (time.Time, error) {
	if !dateTimeGrammar.MatchString(s) {
		return time.Time{}, errNotDateTime
	}
	if len(s) < len("2006-01-02T15:04:05Z") {
		return time.Time{}, errPartial
	}
	num := func(from, to int) int { n, _ := strconv.Atoi(s[from:to]); return n }
	year, month, day := num(0, 4), time.Month(num(5, 7)), num(8, 10)
	hour, minute, sec := num(11, 13), num(14, 16), num(17, 19)
	if sec == 60 {
		return time.Time{}, errLeapSecond
	}
	if day > daysIn(month, year) {
		return time.Time{}, errNoSuchDay
	}
	rest := s[19:]
	nsec := 0
	if rest[0] == '.' {
		k := 1
		for k < len(rest) && rest[k] >= '0' && rest[k] <= '9' {
			k++
		}
		digits := rest[1:k]
		for i := range maxFractionDigs {
			nsec *= 10
			if i < len(digits) {
				nsec += int(digits[i] - '0')
			}
		}
		rest = rest[k:]
	}
	loc := time.UTC
	if rest != "Z" {
		off := (int(rest[1]-'0')*10+int(rest[2]-'0'))*3600 + (int(rest[4]-'0')*10+int(rest[5]-'0'))*60
		if rest[0] == '-' {
			off = -off
		}
		if off != 0 {
			loc = time.FixedZone("", off)
		}
	}
	t := time.Date(year, month, day, hour, minute, sec, nsec, loc)
	if t.IsZero() {
		return time.Time{}, errFirstInstant
	}
	return t, nil
}

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// FormatDateTime writes t as a FHIR dateTime with its offset. It refuses a
// time that FHIR cannot carry as it is: a year outside 0001–9999, an offset
// beyond ±14:00, or an offset that is not a whole number of minutes. The
// zero time gives "".
func FormatDateTime(t time.Time) (string, error) {
	if t.IsZero() {
		return "", nil
	}
	_, off := t.Zone()
	switch {
	case t.Year() < firstFHIRYear || t.Year() > lastFHIRYear:
		return "", fmt.Errorf("%w: the year is outside 0001-9999", errNotWritable)
	case off > maxFHIROffset || off < -maxFHIROffset:
		return "", fmt.Errorf("%w: the offset is beyond ±14:00", errNotWritable)
	case off%60 != 0:
		return "", fmt.Errorf("%w: the offset is not a whole number of minutes", errNotWritable)
	}
	return t.Format(time.RFC3339Nano), nil
}

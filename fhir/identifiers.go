package fhir

import (
	"slices"
	"strings"
)

// The identifier systems of HL7 Norway's basis profiles (no-basis, and the
// NamingSystems of HL7 Norway's kodeverk) for people and organisations. A
// Bundle from a Norwegian EHR carries them in Patient.identifier,
// Practitioner.identifier, PractitionerRole.identifier, RelatedPerson.identifier and
// Organization.identifier. The mapping recognises them and carries none
// into the case (data minimisation: the case identifies people by UUID);
// their values are never printed, in errors and warnings included.
const (
	// SystemFodselsnummer is the Norwegian national identity number (fødselsnummer, FNR).
	SystemFodselsnummer = "urn:oid:2.16.578.1.12.4.1.4.1"
	// SystemDNummer is the D-number given to people without a fødselsnummer.
	SystemDNummer = "urn:oid:2.16.578.1.12.4.1.4.2"
	// SystemFellesHjelpenummer is the common auxiliary number (felles hjelpenummer, FH-nummer).
	SystemFellesHjelpenummer = "urn:oid:2.16.578.1.12.4.1.4.3"
	// SystemHPRNummer is the number of the Health Personnel Register (helsepersonellnummer, HPR-nummer).
	SystemHPRNummer = "urn:oid:2.16.578.1.12.4.1.4.4"
	// SystemDUFNummer is the DUF number of the immigration authorities.
	SystemDUFNummer = "urn:oid:2.16.578.1.12.4.1.4.5"
	// SystemOrganisasjonsnummer is the organisation number of the Central Coordinating Register for Legal Entities (ENH).
	SystemOrganisasjonsnummer = "urn:oid:2.16.578.1.12.4.1.4.101"
	// SystemRESHID is the id of the Register of Health Enterprises (RESH).
	SystemRESHID = "urn:oid:2.16.578.1.12.4.1.4.102"
	// SystemHERID is the id of a communication party in the address register of Norsk helsenett (HER-id).
	SystemHERID = "urn:oid:2.16.578.1.12.4.1.2"
)

// NorwegianIdentifierSystems returns the systems IsNorwegianIdentifier
// recognises (a fresh slice): the OIDs above and the URIs that older
// versions of the basis profiles used for HPR-nummer and HER-id.
func NorwegianIdentifierSystems() []string { return slices.Clone(norwegianSystems[:]) }

var norwegianSystems = [...]string{
	SystemFodselsnummer, SystemDNummer, SystemFellesHjelpenummer, SystemHPRNummer, SystemDUFNummer,
	SystemOrganisasjonsnummer, SystemRESHID, SystemHERID,
	"http://hl7.no/fhir/NamingSystem/HPR", "http://nhn.no/fhir/NamingSystem/her-id",
}

// IsNorwegianIdentifier reports whether system is one of
// NorwegianIdentifierSystems.
func IsNorwegianIdentifier(system string) bool {
	return slices.Contains(norwegianSystems[:], system)
}

// looksLikeNationalID reports whether s is shaped like a fødselsnummer or
// D-nummer: 11 digits whose two check digits are right (modulus 11).
func looksLikeNationalID(s string) bool {
	if len(s) != 11 {
		return false
	}
	var d [11]int
	for i := range 11 {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		d[i] = int(s[i] - '0')
	}
	check := func(weights []int) int {
		sum := 0
		for i, w := range weights {
			sum += w * d[i]
		}
		k := 11 - sum%11
		if k == 11 {
			k = 0
		}
		return k
	}
	return check([]int{3, 7, 6, 1, 8, 9, 4, 5, 2}) == d[9] && check([]int{5, 4, 3, 2, 7, 6, 5, 4, 3, 2}) == d[10]
}

// personalIDIn reports whether the id or fullUrl of a resource exposes a
// personal identifier: it is shaped like a fødselsnummer or D-nummer, or it
// is the value of one of the resource's Norwegian identifiers. The ids of a
// Bundle are kept in a Source and may reach a report, so such an entry is
// refused.
func personalIDIn(s string, ids []Identifier) bool {
	if s == "" {
		return false
	}
	last := s[strings.LastIndexAny(s, "/:")+1:]
	if looksLikeNationalID(last) {
		return true
	}
	for _, id := range ids {
		if id.Value != "" && IsNorwegianIdentifier(id.System) && (last == id.Value || len(id.Value) >= 6 && strings.Contains(s, id.Value)) {
			return true
		}
	}
	return false
}

// identifiersOf returns the identifiers of a resource of the subset.
func identifiersOf(res Resource) []Identifier {
	switch x := res.(type) {
	case *Patient:
		return x.Identifier
	case *Practitioner:
		return x.Identifier
	case *PractitionerRole:
		return x.Identifier
	case *RelatedPerson:
		return x.Identifier
	case *Organization:
		return x.Identifier
	}
	return nil
}

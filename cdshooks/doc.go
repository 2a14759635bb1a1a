// Package cdshooks is a CDS Hooks 2.0 service for the appointment-book hook:
// an EHR that books a digital collaboration meeting asks collabmeet, at the
// moment of booking, whether the meeting follows the recommendations, and
// shows the answer as cards.
//
// TODO: curl session
package cdshooks

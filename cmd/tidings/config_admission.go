package main

import (
	"fmt"

	"github.com/tidings-social/tidings/storage"
)

// admissionProblems checks the waiting list's keys of [registration].
func (r RegistrationConfig) admissionProblems() []problem {
	var ps []problem
	if r.AdmitPerDay < 0 || r.AdmitPerDay > 10000 {
		ps = append(ps, problem{"registration.admit_per_day", fmt.Sprintf("%d must be between 0 (admins admit by hand) and 10000", r.AdmitPerDay)})
	}
	if r.InvitesPerMember < 0 || r.InvitesPerMember > 1000 {
		ps = append(ps, problem{"registration.invites_per_member", fmt.Sprintf("%d must be between 0 (only admins invite) and 1000", r.InvitesPerMember)})
	}
	return ps
}

// applyAdmission gives the database the admission policy of
// [registration].
func (c *Config) applyAdmission(db *storage.DB) {
	db.Admission = storage.AdmissionPolicy{AdmitPerDay: c.Registration.AdmitPerDay, InvitesPerMember: c.Registration.InvitesPerMember}
}

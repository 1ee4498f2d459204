package main

import "github.com/tidings-social/tidings/storage"

// approvalMailNote says, after "admin approve", how the member learns of
// it: the approval queued a mail, which the running server sends.
func approvalMailNote(db *storage.DB) string {
	if db.SendsMail {
		return "; an email tells them (the running server sends it)"
	}
	return "; this server sends no email, so tell them yourself"
}

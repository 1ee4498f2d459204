package storage

import "context"

// AuthenticateToSupport checks a username and password like Authenticate,
// with the same limits, but lets a member who waits in line (registration
// mode waitlist) through as well: paying is how they may skip it. It
// starts no session; the caller uses the member only to start their
// payment.
func (db *DB) AuthenticateToSupport(ctx context.Context, username, password, ip string) (*Member, error) {
	m, err := db.checkPassword(ctx, username, password, ip)
	if err != nil {
		return nil, err
	}
	if m.Status == MemberPending && db.Registration != RegistrationWaitlist {
		// In approval mode an admin decides; paying would not let them in.
		return nil, Errorf(EForbidden, "Your account is waiting for an admin's approval. You can support the instance once it is approved.")
	}
	if err := db.mustNotBeSuspended(ctx, m.ID); err != nil {
		return nil, err
	}
	return m, nil
}

package storage

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Password rules and argon2id parameters (RFC 9106 recommends at least
// 19 MiB of memory and 2 passes when memory is scarce).
const (
	minPasswordLength = 8
	maxPasswordBytes  = 256

	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// checkPassword enforces the password rules.
func checkPassword(password string) error {
	if utf8.RuneCountInString(password) < minPasswordLength {
		return Errorf(EInvalid, "The password must be at least %d characters long.", minPasswordLength)
	}
	if len(password) > maxPasswordBytes {
		return Errorf(EInvalid, "The password must be at most %d bytes long.", maxPasswordBytes)
	}
	return nil
}

// hashPassword returns the argon2id hash of password in the PHC string
// format, with a random salt.
func hashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt),
		base64.RawStdEncoding.EncodeToString(key)), nil
}

// passwordMatches reports whether password hashes to encoded, using the
// parameters stored in encoded.
func passwordMatches(encoded, password string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	var memory, time uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &time, &threads); err != nil {
		return false
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, time, memory, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyPasswordHash is checked against when no member has the name, so
// that a sign-in takes as long whether or not the name exists.
var dummyPasswordHash = sync.OnceValue(func() string {
	h, err := hashPassword("no member has this password")
	if err != nil {
		panic(err)
	}
	return h
})

// hashGate caps the password hashes that run at once. Each takes 19 MiB
// and a core for tens of milliseconds, so a burst of sign-ins would
// otherwise take the server's memory; past the cap, a request waits a
// moment for its turn and is then asked to come back.
type hashGate chan struct{}

// maxHashWait is the longest a request waits for its turn to hash.
const maxHashWait = 3 * time.Second

// newHashGate lets as many hashes run at once as there are cores, at
// least two and at most eight.
func newHashGate() hashGate {
	return make(hashGate, max(2, min(runtime.NumCPU(), 8)))
}

// enter waits for a turn to hash, for at most maxHashWait and while ctx
// lasts; leave must follow a nil return.
func (g hashGate) enter(ctx context.Context) error {
	select {
	case g <- struct{}{}:
		return nil
	default:
	}
	timer := time.NewTimer(maxHashWait)
	defer timer.Stop()
	select {
	case g <- struct{}{}:
		return nil
	case <-ctx.Done():
	case <-timer.C:
	}
	return retryLater(Errorf(ERateLimited, "The server is busy checking other passwords. Please try again in a few seconds."), 5*time.Second)
}

func (g hashGate) leave() { <-g }

// hashPassword hashes password when its turn under the gate comes.
func (db *DB) hashPassword(ctx context.Context, password string) (string, error) {
	if err := db.hashing.enter(ctx); err != nil {
		return "", err
	}
	defer db.hashing.leave()
	return hashPassword(password)
}

// passwordMatches checks password when its turn under the gate comes.
func (db *DB) passwordMatches(ctx context.Context, encoded, password string) (bool, error) {
	if err := db.hashing.enter(ctx); err != nil {
		return false, err
	}
	defer db.hashing.leave()
	return passwordMatches(encoded, password), nil
}

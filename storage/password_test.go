package storage

import (
	"strings"
	"testing"
)

func TestPasswordHash(t *testing.T) {
	hash, err := hashPassword("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not an argon2id PHC string with our parameters", hash)
	}
	again, _ := hashPassword("correct horse")
	if again == hash {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	if !passwordMatches(hash, "correct horse") {
		t.Error("the password does not match its hash")
	}
	for _, wrong := range []string{"", "correct horse ", "Correct horse"} {
		if passwordMatches(hash, wrong) {
			t.Errorf("%q matches", wrong)
		}
	}
	// Stored hashes keep their own parameters.
	cheap := "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0$"
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA", cheap + "!!!", "$argon2id$v=1$m=64,t=1,p=1$c2FsdA$aGFzaA"} {
		if passwordMatches(bad, "correct horse") {
			t.Errorf("malformed hash %q matches", bad)
		}
	}
}

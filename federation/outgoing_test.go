package federation

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/go-fed/activity/streams/vocab"

	"github.com/tidings-social/tidings/storage"
)

// TestOutgoingWithBadIDs: activities built around an id that is not a
// URL (as another server could have sent one) are refused when encoded,
// and nothing panics; a bad recipient is left out.
func TestOutgoingWithBadIDs(t *testing.T) {
	const bad = "http://[::1" // url.Parse refuses it
	sender := &storage.Actor{URI: "https://tidings.test/users/alice", Followers: "https://tidings.test/users/alice/followers"}
	post := &storage.Post{URI: bad, Kind: storage.KindNews}
	tests := []struct {
		name  string
		build func() vocab.Type
	}{
		{"a like of a post with a bad id", func() vocab.Type {
			return likeOf(&storage.OutboxEvent{Kind: storage.EventLike,
				Payload: storage.OutboxPayload{ObjectURI: bad, ActivityURI: sender.URI + "#likes/1"}}, sender)
		}},
		{"the undo of a like with a short id", func() vocab.Type {
			return likeOf(&storage.OutboxEvent{Kind: storage.EventUndoLike,
				Payload: storage.OutboxPayload{ObjectURI: "https://elsewhere.example/p/1", ActivityURI: "x"}}, sender)
		}},
		{"a follow of an actor with a bad id", func() vocab.Type { return followOf(sender.URI+"#follows/1", sender.URI, bad) }},
		{"the deletion of a post with a bad id", func() vocab.Type { return deleteOf(bad, sender) }},
		{"a proposal for a post with a bad id", func() vocab.Type {
			return offerOf(&storage.Proposal{ActivityURI: "https://tidings.test/activities/1", Headline: "h"}, post, sender,
				&storage.Actor{URI: "https://elsewhere.example/users/bob"})
		}},
		{"a collection with a bad id", func() vocab.Type { return collection(bad, 1, true) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("panicked: %v", r)
				}
			}()
			if body, err := encode(tt.build(), nil); err == nil {
				t.Errorf("encoded %s; want a refusal", body)
			}
		})
	}
	t.Run("a bad recipient", func(t *testing.T) {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("panicked: %v", r)
			}
		}()
		bob := "https://elsewhere.example/users/bob"
		f := followOf(sender.URI+"#follows/1", sender.URI, bob)
		f.SetActivityStreamsTo(toProperty(bad, bob))
		body, err := encode(f, nil)
		if err != nil {
			t.Fatal(err)
		}
		var got struct{ To []string }
		if err := json.Unmarshal(body, &got); err != nil || !slices.Equal(got.To, []string{bob}) {
			t.Errorf("addressed to %q (%v), want only %s", got.To, err, bob)
		}
	})
}

package federation

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestReadBanFixtures reads the bans Lemmy and Mbin send: a Block with a
// target, and its Undo; a Block without a target is not a ban.
func TestReadBanFixtures(t *testing.T) {
	dir := corpusDir(t)
	end := time.Date(2021, 11, 1, 12, 23, 50, 151874000, time.UTC)
	tests := []struct {
		file                   string
		account, group, reason string
		until                  time.Time
		lifted                 bool
	}{
		{"lemmy/activities-block/lemmy__activities__block__block_user.json",
			"http://ds9.lemmy.ml/u/lemmy_alpha", "http://enterprise.lemmy.ml/c/main", "spam post", end, false},
		{"lemmy/activities-undo/lemmy__activities__block__undo_block_user.json",
			"http://ds9.lemmy.ml/u/lemmy_alpha", "http://enterprise.lemmy.ml/c/main", "spam post", end, true},
		{"mbin/activities-block/BlockTest__testBlockUser.json",
			"SCRUBBED_ID", "https://kbin.test/m/test", "some test", time.Time{}, false},
	}
	for _, tt := range tests {
		body, err := os.ReadFile(filepath.Join(dir, tt.file))
		if err != nil {
			t.Fatal(err)
		}
		var raw map[string]any
		if err := json.Unmarshal(body, &raw); err != nil {
			t.Fatal(err)
		}
		n, ok := readBan(raw)
		if !ok || n.account != tt.account || n.group != tt.group || n.reason != tt.reason ||
			!n.until.Equal(tt.until) || n.lifted != tt.lifted || n.via {
			t.Errorf("%s: got %+v, %v; want a ban of %s from %s", tt.file, n, ok, tt.account, tt.group)
		}
		// Passed on by the group, it is the same ban.
		announced, ok := readBan(map[string]any{"type": "Announce", "actor": tt.group, "object": raw})
		if !ok || !announced.via || announced.account != tt.account {
			t.Errorf("%s announced: got %+v, %v", tt.file, announced, ok)
		}
	}
	memberBlock := map[string]any{"type": "Block", "id": "https://m.example/b/1", "actor": "https://m.example/users/a",
		"object": "https://tidings.test/users/bob"}
	if n, ok := readBan(memberBlock); ok {
		t.Errorf("a Block without a target read as a ban: %+v", n)
	}
}

// TestInboxStoresBansInEveryShape: a ban, its Undo, and a group's
// Announce of either are accepted and kept for processing, not refused
// as malformed.
func TestInboxStoresBansInEveryShape(t *testing.T) {
	in := newInboxTestInstance(t)
	keys := inboxTestKeys()
	rs := newRemoteServer(t, keys[0])
	group := rs.URL + "/c/town"
	block := map[string]any{"id": rs.URL + "/activities/block/1", "type": "Block", "actor": rs.actorURI(),
		"object": in.fed.cfg.Site.ActorURI("alice"), "target": group, "summary": "spam",
		"to": []any{"https://www.w3.org/ns/activitystreams#Public"}, "cc": []any{group}}
	undo := map[string]any{"id": rs.URL + "/activities/undo/1", "type": "Undo", "actor": rs.actorURI(), "object": block}
	shapes := []map[string]any{
		block,
		undo,
		{"id": rs.URL + "/activities/announce/1", "type": "Announce", "actor": rs.actorURI(), "object": block},
		{"id": rs.URL + "/activities/announce/2", "type": "Announce", "actor": rs.actorURI(), "object": undo},
	}
	for i, activity := range shapes {
		activity["@context"] = "https://www.w3.org/ns/activitystreams"
		status, reason := in.deliver(t, activity, rs.keyID(), keys[0])
		if status != 202 || in.pending(t) != i+1 {
			t.Errorf("%s: status %d (%s), %d stored; want 202 and %d", activity["id"], status, reason, in.pending(t), i+1)
		}
	}
}

package federation

import (
	"context"
	"slices"
	"testing"
)

// TestRemovalGoesOutAsLemmySendsIt: a moderator's removal of a post from
// elsewhere in a subwiki here is the moderator's Delete with the reason
// as summary, for the subwiki; Lemmy gets it announced by the subwiki,
// GoToSocial the boost taken back, and the author's server the Delete.
func TestRemovalGoesOutAsLemmySendsIt(t *testing.T) {
	in, gts, lemmy, note := newSubwikiWithFollowers(t, "Buy pills", "<p>Cheap.</p>")
	ctx := context.Background()
	in.fed.expandOutbox(ctx)
	in.deliverDue(t)
	in.remote.mu.Lock()
	before := len(in.remote.received)
	in.remote.mu.Unlock()
	lemmyBefore, gtsBefore := len(lemmy.activities()), len(gts.activities())

	if err := in.db.RemovePost(ctx, in.alice.ID, note.ID, "Advertising"); err != nil {
		t.Fatal(err)
	}
	in.fed.expandOutbox(ctx)
	in.deliverDue(t)

	if got, want := lemmy.activities()[lemmyBefore:], []string{"Announce Delete " + note.URI}; !slices.Equal(got, want) {
		t.Errorf("Lemmy received %q; want %q", got, want)
	}
	if got, want := gts.activities()[gtsBefore:], []string{"Undo Announce " + note.URI}; !slices.Equal(got, want) {
		t.Errorf("GoToSocial received %q; want %q", got, want)
	}
	in.remote.mu.Lock()
	sent := append([]map[string]any(nil), in.remote.received[before:]...)
	in.remote.mu.Unlock()
	if len(sent) != 1 {
		t.Fatalf("the author's server received %d activities, want the Delete", len(sent))
	}
	del := sent[0]
	alice := in.db.Site.ActorURI("alice")
	if del["type"] != "Delete" || del["actor"] != alice || del["object"] != note.URI || del["summary"] != "Advertising" ||
		del["audience"] != in.db.Site.SubwikiURI("climate") {
		t.Errorf("the author's server received %v; want alice's Delete of the post with the reason, for s/climate", del)
	}
	lemmy.mu.Lock()
	defer lemmy.mu.Unlock()
	announce := lemmy.received[len(lemmy.received)-1]
	if inner, _ := announce["object"].(map[string]any); inner["id"] != del["id"] || inner["summary"] != "Advertising" {
		t.Errorf("Lemmy was announced %v; want the same Delete", inner)
	}
}

package federation

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

func TestMemberDocumentCarriesProfile(t *testing.T) {
	in := newInboxTestInstance(t)
	ctx := context.Background()
	site := in.fed.cfg.Site
	alice, _ := in.db.MemberByUsername(ctx, "alice")
	bio := "Covers **the river**."
	fields := []storage.ProfileField{{Name: "Website", Value: "https://alice.example"}, {Name: "Beat", Value: "Floods"}}
	if _, err := in.db.UpdateProfile(ctx, alice.ID, storage.ProfileUpdate{Bio: &bio, Fields: &fields}); err != nil {
		t.Fatal(err)
	}
	_, person := in.getJSON(t, "/users/alice")
	if got, want := person["summary"], "<p>Covers <strong>the river</strong>.</p>"; got != want {
		t.Errorf("summary = %v, want %v", got, want)
	}
	if source, _ := person["source"].(map[string]any); source["content"] != bio || source["mediaType"] != "text/markdown" {
		t.Errorf("source = %v, want the Markdown as text/markdown", person["source"])
	}
	if got, want := person["featured"], site.ActorURI("alice")+"/featured"; got != want {
		t.Errorf("featured = %v, want %v", got, want)
	}
	attachments, _ := person["attachment"].([]any)
	if len(attachments) != 2 {
		t.Fatalf("attachment = %v, want two PropertyValues", person["attachment"])
	}
	for i, want := range []map[string]any{
		{"type": "PropertyValue", "name": "Website",
			"value": `<a href="https://alice.example" rel="me nofollow noopener noreferrer" target="_blank">https://alice.example</a>`},
		{"type": "PropertyValue", "name": "Beat", "value": "Floods"},
	} {
		got, _ := attachments[i].(map[string]any)
		for k, v := range want {
			if got[k] != v {
				t.Errorf("attachment %d %s = %v, want %v", i, k, got[k], v)
			}
		}
	}
	terms := contextTerms(person)
	for term, want := range map[string]any{
		"schema": "http://schema.org#", "PropertyValue": "schema:PropertyValue", "value": "schema:value",
	} {
		if terms[term] != want {
			t.Errorf("@context %s = %v, want %v", term, terms[term], want)
		}
	}
	if featured, _ := terms["featured"].(map[string]any); featured["@id"] != "toot:featured" || featured["@type"] != "@id" {
		t.Errorf("@context featured = %v", terms["featured"])
	}
}

// contextTerms merges the term definitions of a document's @context.
func contextTerms(doc map[string]any) map[string]any {
	terms := map[string]any{}
	list, _ := doc["@context"].([]any)
	for _, item := range list {
		if m, ok := item.(map[string]any); ok {
			for k, v := range m {
				terms[k] = v
			}
		}
	}
	return terms
}

func TestEveryCollectionOfEveryActorAnswers(t *testing.T) {
	in := newInboxTestInstance(t)
	ctx := context.Background()
	alice, _ := in.db.MemberByUsername(ctx, "alice")
	if _, err := in.db.CreateSubwiki(ctx, storage.SubwikiCreate{Name: "river", Title: "River"}, alice.ID); err != nil {
		t.Fatal(err)
	}
	collections := []string{"outbox", "followers", "following", "featured", "attributedTo"}
	for _, path := range []string{"/users/alice", "/s/river", "/actor"} {
		status, doc := in.getJSON(t, path)
		if status != http.StatusOK {
			t.Fatalf("%s: %d", path, status)
		}
		named := 0
		for _, key := range collections {
			uri, ok := doc[key].(string)
			if !ok {
				continue
			}
			named++
			rel, found := strings.CutPrefix(uri, in.srv.URL)
			if !found {
				t.Errorf("%s %s = %q is not on this server", path, key, uri)
				continue
			}
			status, c := in.getJSON(t, rel)
			if status != http.StatusOK || c["type"] != "OrderedCollection" || c["id"] != uri {
				t.Errorf("%s %s (%s): %d %v, want 200 and an OrderedCollection with that id", path, key, uri, status, c)
			}
		}
		if named < 3 {
			t.Errorf("%s names %d collections, want at least outbox, followers, following", path, named)
		}
	}
}

func TestFeaturedCollection(t *testing.T) {
	in := newInboxTestInstance(t)
	ctx := context.Background()
	site := in.fed.cfg.Site
	alice, _ := in.db.MemberByUsername(ctx, "alice")
	var posts []*storage.Post
	for _, headline := range []string{"First", "Second"} {
		p, err := in.db.Publish(ctx, storage.PostCreate{AuthorID: alice.ID, Kind: storage.KindNews,
			Headline: headline, LinkURL: "https://example.org/" + headline})
		if err != nil {
			t.Fatal(err)
		}
		posts = append(posts, p)
		if err := in.db.PinPost(ctx, alice.ID, p.ID); err != nil {
			t.Fatal(err)
		}
	}
	status, featured := in.getJSON(t, "/users/alice/featured")
	if status != http.StatusOK || featured["id"] != site.ActorURI("alice")+"/featured" || featured["totalItems"] != float64(2) {
		t.Fatalf("featured: %d %v", status, featured)
	}
	items, _ := featured["orderedItems"].([]any)
	if len(items) != 2 {
		t.Fatalf("orderedItems = %v, want the two posts", featured["orderedItems"])
	}
	for i, want := range []*storage.Post{posts[1], posts[0]} {
		item, _ := items[i].(map[string]any)
		if item["id"] != want.URI || item["attributedTo"] != site.ActorURI("alice") || item["type"] == nil {
			t.Errorf("item %d = %v, want the object of %s", i, item, want.URI)
		}
	}
	if err := in.db.DeletePost(ctx, alice.ID, posts[1].ID); err != nil {
		t.Fatal(err)
	}
	if _, featured := in.getJSON(t, "/users/alice/featured"); featured["totalItems"] != float64(1) {
		t.Errorf("after a delete, featured = %v", featured)
	}
	if status, _ := in.getJSON(t, "/users/nobody/featured"); status != http.StatusNotFound {
		t.Errorf("featured of nobody: %d", status)
	}
}

func TestPinFederatesAsAddAndRemove(t *testing.T) {
	in := newInboxTestInstance(t)
	ctx := context.Background()
	site := in.fed.cfg.Site
	rs := newRemoteServer(t, inboxTestKeys()[0])
	alice, _ := in.db.MemberByUsername(ctx, "alice")
	bob, err := in.db.SaveRemoteActor(ctx, storage.RemoteActor{URI: rs.actorURI(), Kind: storage.KindPerson,
		Username: "bob", Inbox: rs.actorURI() + "/inbox", KeyID: rs.keyID(), PublicKeyPEM: publicPEM(t, inboxTestKeys()[0])})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := in.db.ReceiveFollow(ctx, bob.ID, alice.ID, rs.URL+"/follows/1"); err != nil {
		t.Fatal(err)
	}
	p, err := in.db.Publish(ctx, storage.PostCreate{AuthorID: alice.ID, Kind: storage.KindDiscussion, Headline: "Pinned", Text: "Read me."})
	if err != nil {
		t.Fatal(err)
	}
	if err := in.db.PinPost(ctx, alice.ID, p.ID); err != nil {
		t.Fatal(err)
	}
	if err := in.db.UnpinPost(ctx, alice.ID, p.ID); err != nil {
		t.Fatal(err)
	}
	events, err := in.db.PendingOutbox(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range events {
		if e.Kind != storage.EventPinPost && e.Kind != storage.EventUnpinPost {
			continue
		}
		body, inboxes, err := in.fed.build(ctx, e)
		if err != nil {
			t.Fatalf("build %s: %v", e.Kind, err)
		}
		var activity map[string]any
		if err := json.Unmarshal(body, &activity); err != nil {
			t.Fatal(err)
		}
		kinds = append(kinds, activity["type"].(string))
		for key, want := range map[string]any{
			"actor": site.ActorURI("alice"), "object": p.URI, "target": site.ActorURI("alice") + "/featured",
		} {
			if activity[key] != want {
				t.Errorf("%s %s = %v, want %v", activity["type"], key, activity[key], want)
			}
		}
		if id, _ := activity["id"].(string); !strings.HasPrefix(id, site.ActorURI("alice")+"#") {
			t.Errorf("%s id = %q, want one under the actor", activity["type"], id)
		}
		if !slices.Contains(inboxes, bob.Inbox) {
			t.Errorf("%s goes to %v, want the follower's inbox %s", activity["type"], inboxes, bob.Inbox)
		}
	}
	if !slices.Equal(kinds, []string{"Add", "Remove"}) {
		t.Errorf("activities = %v, want Add then Remove", kinds)
	}
}

func TestRemoteActorFieldsFromMastodonShape(t *testing.T) {
	body, err := os.ReadFile("testdata/profiles/mastodon-fields.json")
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatal(err)
	}
	typed, err := toType(context.Background(), raw)
	if err != nil {
		t.Fatal(err)
	}
	actor, err := parseActor(typed, "")
	if err != nil {
		t.Fatal(err)
	}
	names := []string{}
	for _, f := range actor.Fields {
		names = append(names, f.Name)
	}
	if want := []string{"Website", "Beat", "Tricky", "No value", "XMPP: chat"}; !slices.Equal(names, want) {
		t.Fatalf("field names = %v, want %v (PropertyValues with a text name, in order)", names, want)
	}
	if v := actor.Fields[0].ValueHTML; !strings.Contains(v, `href="https://ada.example/"`) {
		t.Errorf("Website value = %q, want the link", v)
	}
	if v := actor.Fields[1].ValueHTML; v != "Transport &amp; planning" {
		t.Errorf("Beat value = %q", v)
	}
	if v := actor.Fields[3].ValueHTML; v != "" {
		t.Errorf("a field without value reads as %q", v)
	}

	// Stored, the values are sanitized.
	in := newInboxTestInstance(t)
	a, err := in.db.SaveRemoteActor(context.Background(), actor)
	if err != nil {
		t.Fatal(err)
	}
	profile, err := in.db.ProfileOf(context.Background(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(profile.Fields) != 5 || strings.Contains(profile.Fields[2].ValueHTML, "script") {
		t.Errorf("stored fields = %+v", profile.Fields)
	}
}

// TestActorUpdateChangesFields: a Mastodon-shaped Update of an actor
// brings its fields; one without them clears them.
func TestActorUpdateChangesFields(t *testing.T) {
	in := newInboxTestInstance(t)
	in.runWorkers(t)
	keys := inboxTestKeys()
	rs := newRemoteServer(t, keys[0])
	alice := in.fed.cfg.Site.ActorURI("alice")
	if status, reason := in.deliver(t, followActivity(rs, alice, "1"), rs.keyID(), keys[0]); status != http.StatusAccepted {
		t.Fatalf("follow: %d %s", status, reason)
	}
	update := func(n string, attachment []any) {
		t.Helper()
		person := map[string]any{
			"id": rs.actorURI(), "type": "Person", "preferredUsername": "bob", "inbox": rs.actorURI() + "/inbox",
			"publicKey": map[string]any{"id": rs.keyID(), "owner": rs.actorURI(), "publicKeyPem": publicPEM(t, keys[0])},
		}
		if attachment != nil {
			person["attachment"] = attachment
		}
		activity := map[string]any{
			"@context": []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1",
				map[string]any{"schema": "http://schema.org#", "PropertyValue": "schema:PropertyValue", "value": "schema:value"}},
			"id": rs.URL + "/users/bob#updates/" + n, "type": "Update", "actor": rs.actorURI(),
			"to": []any{"https://www.w3.org/ns/activitystreams#Public"}, "object": person,
		}
		if status, reason := in.deliver(t, activity, rs.keyID(), keys[0]); status != http.StatusAccepted {
			t.Fatalf("update %s: %d %s", n, status, reason)
		}
		in.settle(t)
	}
	fields := func() []storage.ProfileField {
		t.Helper()
		bob, err := in.db.ActorByURI(context.Background(), rs.actorURI())
		if err != nil {
			t.Fatal(err)
		}
		p, err := in.db.ProfileOf(context.Background(), bob.ID)
		if err != nil {
			t.Fatal(err)
		}
		return p.Fields
	}

	update("1", []any{
		map[string]any{"type": "PropertyValue", "name": "Pronouns", "value": "he/him"},
		map[string]any{"type": "PropertyValue", "name": "Site", "value": `<a href="https://bob.example" rel="me">bob.example</a>`},
	})
	got := fields()
	if len(got) != 2 || got[0].Name != "Pronouns" || got[0].ValueHTML != "he/him" || !strings.Contains(got[1].ValueHTML, `href="https://bob.example"`) {
		t.Errorf("fields after the update = %+v", got)
	}
	update("2", nil)
	if got := fields(); len(got) != 0 {
		t.Errorf("fields after an update without them = %+v", got)
	}
}

// TestPinOfADeletedPostSendsNothing: a pin whose post is deleted before
// the event is expanded has nothing to send.
func TestPinOfADeletedPostSendsNothing(t *testing.T) {
	in := newInboxTestInstance(t)
	ctx := context.Background()
	alice, _ := in.db.MemberByUsername(ctx, "alice")
	p, err := in.db.Publish(ctx, storage.PostCreate{AuthorID: alice.ID, Kind: storage.KindDiscussion, Headline: "Soon gone", Text: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if err := in.db.PinPost(ctx, alice.ID, p.ID); err != nil {
		t.Fatal(err)
	}
	if err := in.db.DeletePost(ctx, alice.ID, p.ID); err != nil {
		t.Fatal(err)
	}
	events, err := in.db.PendingOutbox(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events {
		if e.Kind != storage.EventPinPost {
			continue
		}
		if _, _, err := in.fed.build(ctx, e); storage.ErrorCode(err) != storage.ENotFound {
			t.Errorf("build of the pin of a deleted post: %v, want not found", err)
		}
	}
}

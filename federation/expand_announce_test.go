package federation

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// softwareServer is another server on loopback that names its software
// in NodeInfo and keeps the activities its shared inbox is sent.
type softwareServer struct {
	*httptest.Server
	mu             sync.Mutex
	received       []map[string]any
	nodeInfoReads  int
	nodeInfoAnswer bool
}

func newSoftwareServer(t *testing.T, software string) *softwareServer {
	s := &softwareServer{nodeInfoAnswer: true}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/nodeinfo", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.nodeInfoReads++
		answer := s.nodeInfoAnswer
		s.mu.Unlock()
		if !answer {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"links": []any{map[string]any{
			"rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": s.URL + "/nodeinfo/2.1"}}})
	})
	mux.HandleFunc("GET /nodeinfo/2.1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", `application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"`)
		json.NewEncoder(w).Encode(map[string]any{"version": "2.1",
			"software": map[string]any{"name": software, "version": "1.0"}, "protocols": []string{"activitypub"}})
	})
	mux.HandleFunc("POST /inbox", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var activity map[string]any
		json.Unmarshal(body, &activity)
		s.mu.Lock()
		s.received = append(s.received, activity)
		s.mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	})
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

// activities lists what the server was sent as describeAnnounce says it.
func (s *softwareServer) activities() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var list []string
	for _, a := range s.received {
		list = append(list, describeAnnounce(a))
	}
	return list
}

// describeAnnounce is an activity's type, and what it is of: "Announce
// Create <post>" for a wrapped activity, "Announce <post>" for a boost,
// "Undo Announce <post>" for a boost taken back.
func describeAnnounce(a map[string]any) string {
	switch object := a["object"].(type) {
	case string:
		return str(a["type"]) + " " + object
	case map[string]any:
		if _, isActivity := object["object"]; !isActivity {
			return str(a["type"]) + " " + str(object["id"])
		}
		return str(a["type"]) + " " + describeAnnounce(object)
	}
	return str(a["type"])
}

// followGroup makes an account on the server follow the subwiki.
func (in *outboxTestInstance) followGroup(t *testing.T, s *softwareServer, name, groupID string) {
	t.Helper()
	uri := s.URL + "/users/" + name
	a, err := in.db.SaveRemoteActor(context.Background(), storage.RemoteActor{
		URI: uri, Kind: storage.KindPerson, Username: name,
		Inbox: uri + "/inbox", SharedInbox: s.URL + "/inbox",
		KeyID: uri + "#main-key", PublicKeyPEM: publicPEM(t, inboxTestKeys()[0]),
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := in.db.ReceiveFollow(context.Background(), a.ID, groupID, uri+"/follows/1"); err != nil {
		t.Fatal(err)
	}
}

func TestSubwikiAnnouncesAsEachFollowerReadsThem(t *testing.T) {
	in := newOutboxTestInstance(t)
	ctx := context.Background()
	climate, err := in.db.CreateSubwiki(ctx, storage.SubwikiCreate{Name: "climate", Title: "Climate"}, in.alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	gts, lemmy, silent := newSoftwareServer(t, "gotosocial"), newSoftwareServer(t, "lemmy"), newSoftwareServer(t, "")
	silent.nodeInfoAnswer = false
	in.followGroup(t, gts, "gina", climate.ID)
	in.followGroup(t, lemmy, "lee", climate.ID)
	in.followGroup(t, silent, "sam", climate.ID)
	in.fed.expandOutbox(ctx)

	p, err := in.db.Publish(ctx, storage.PostCreate{AuthorID: in.alice.ID, SubwikiID: climate.ID, Kind: storage.KindNews,
		Headline: "Glacier retreat doubles", LinkURL: "https://paper.example/glaciers"})
	if err != nil {
		t.Fatal(err)
	}
	in.fed.expandOutbox(ctx)
	in.deliverDue(t)
	in.clock.Advance(time.Hour)
	if _, err := in.db.ReviseHeadline(ctx, storage.HeadlineEdit{PostID: p.ID, EditorID: in.alice.ID, BaseRevision: 1,
		Headline: "Glacier retreat doubles in one region", Reason: "The survey covers one region."}); err != nil {
		t.Fatal(err)
	}
	in.fed.expandOutbox(ctx)
	in.deliverDue(t)
	if err := in.db.DeletePost(ctx, in.alice.ID, p.ID); err != nil {
		t.Fatal(err)
	}
	in.fed.expandOutbox(ctx)
	in.deliverDue(t)

	// The author's Update reaches those who read only the boost: Mastodon
	// and GoToSocial apply an edit from the post's author alone.
	boost := []string{"Announce " + p.URI, "Update " + p.URI, "Undo Announce " + p.URI}
	for _, c := range []struct {
		name   string
		server *softwareServer
		want   []string
	}{
		{"GoToSocial", gts, boost},
		{"a server whose NodeInfo does not answer", silent, boost},
		{"Lemmy", lemmy, []string{"Announce Create " + p.URI, "Announce Update " + p.URI, "Announce Delete " + p.URI}},
	} {
		if got := c.server.activities(); !slices.Equal(got, c.want) {
			t.Errorf("%s received %q; want %q", c.name, got, c.want)
		}
	}

	lemmy.mu.Lock()
	if len(lemmy.received) > 0 {
		create, _ := lemmy.received[0]["object"].(map[string]any)
		page, _ := create["object"].(map[string]any)
		if page["name"] != "Glacier retreat doubles" {
			t.Errorf("Lemmy was sent a post named %v; want the headline as a plain name, which Mbin reads alone", page["name"])
		}
	}
	lemmy.mu.Unlock()

	gts.mu.Lock()
	defer gts.mu.Unlock()
	if len(gts.received) != 3 {
		return
	}
	announce, undo := gts.received[0], gts.received[2]
	if announce["published"] == nil {
		t.Errorf("the boost %v has no published; GoToSocial needs it", announce)
	}
	if inner, _ := undo["object"].(map[string]any); inner["id"] != announce["id"] {
		t.Errorf("the Undo takes back %v; want the boost %v", inner["id"], announce["id"])
	}
	if gts.nodeInfoReads != 1 {
		t.Errorf("GoToSocial's NodeInfo was read %d times for four activities; want once, then remembered", gts.nodeInfoReads)
	}
}

func TestSubwikiUpdateOfAPostFromElsewhereGoesToGroupAwareServersOnly(t *testing.T) {
	in, gts, lemmy, note := newSubwikiWithFollowers(t, "Glaciers gone by 2030", "<p>Says a blog.</p>")
	ctx := context.Background()
	in.fed.expandOutbox(ctx)
	in.deliverDue(t)
	in.clock.Advance(time.Hour)
	if _, err := in.db.ReviseHeadline(ctx, storage.HeadlineEdit{PostID: note.ID, EditorID: in.alice.ID, BaseRevision: 1,
		Headline: "A blog says glaciers could be gone by 2030", Reason: "It is one blog's claim."}); err != nil {
		t.Fatal(err)
	}
	in.fed.expandOutbox(ctx)
	in.deliverDue(t)
	if got := gts.activities(); len(got) != 0 {
		t.Errorf("GoToSocial received %q; want nothing (it takes edits from a post's author only)", got)
	}
	if got, want := lemmy.activities(), []string{"Update " + note.URI}; !slices.Equal(got, want) {
		t.Errorf("Lemmy received %q; want %q, the subwiki's Update with the revision", got, want)
	}
}

// newSubwikiWithFollowers is an instance whose subwiki s/climate (by
// alice) is followed from a GoToSocial and a Lemmy server, holding a
// public discussion by carl, on another server, with the headline and
// content given.
func newSubwikiWithFollowers(t *testing.T, headline, content string) (*outboxTestInstance, *softwareServer, *softwareServer, *storage.Post) {
	t.Helper()
	in := newOutboxTestInstance(t)
	ctx := context.Background()
	climate, err := in.db.CreateSubwiki(ctx, storage.SubwikiCreate{Name: "climate", Title: "Climate"}, in.alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	gts, lemmy := newSoftwareServer(t, "gotosocial"), newSoftwareServer(t, "lemmy")
	in.followGroup(t, gts, "gina", climate.ID)
	in.followGroup(t, lemmy, "lee", climate.ID)
	carl := in.remoteActor(t, "carl")
	note, err := in.db.SaveRemotePost(ctx, storage.RemotePost{URI: carl.URI + "/notes/1", AuthorID: carl.ID,
		Kind: storage.KindDiscussion, Headline: headline, Content: content,
		Visibility: storage.Public, SubwikiID: climate.ID, Published: in.clock.Now()})
	if err != nil {
		t.Fatal(err)
	}
	return in, gts, lemmy, note
}

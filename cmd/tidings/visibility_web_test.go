package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// visibilities are the four a post can have, in the order of the table.
var visibilities = []string{storage.Public, storage.Unlisted, storage.Followers, storage.Direct}

// TestVisibilityOnEveryPage is the table of who sees what, on the real
// pages: a post of each visibility by carl, an account on another
// server, in the subwiki s/town, and a comment of each visibility in a
// thread of s/town, each naming ada, against each kind of viewer. Every
// page must agree with the rule in storage (docs/decisions.md, "Who
// sees a post"): a public or unlisted post is for everyone; a
// followers-only one for carl's followers and those it names; a direct
// one for those it names. Moderators and admins see no more than other
// members. Feeds (home, profile, subwiki) leave direct posts out. Carl
// himself is not among the viewers: he has no account here to sign in
// with.
func TestVisibilityOnEveryPage(t *testing.T) {
	ctx := context.Background()
	inst := startInstance(t, nil)
	moderator := member(t, inst, "max")
	createSubwiki(t, moderator, "town", "Town", nil)
	town := subwikiID(t, inst, "town")
	viewers := map[string]*visitor{
		"stranger":  newVisitor(t, inst),
		"member":    member(t, inst, "mia"),
		"follower":  member(t, inst, "finn"),
		"addressee": member(t, inst, "ada"),
		"moderator": moderator,
	}
	for _, name := range []string{"member", "follower", "addressee"} {
		viewers[name].get("/s/town")
		wantStatus(t, viewers[name].post("/s/town/join", nil), http.StatusSeeOther)
	}
	// Mia's discussion in s/town, where carl comments.
	root := publish(t, viewers["member"], url.Values{"kind": {"discussion"}, "subwiki": {town},
		"headline": {"Town hall meets tonight"}, "text": {"Agenda inside."}})
	rootPost, err := inst.DB.PostByID(ctx, root)
	if err != nil {
		t.Fatal(err)
	}

	carlURI := "https://carl.example/users/carl"
	carl, err := inst.DB.SaveRemoteActor(ctx, storage.RemoteActor{URI: carlURI, Kind: storage.KindPerson, Username: "carl",
		Inbox: carlURI + "/inbox", Followers: carlURI + "/followers", KeyID: carlURI + "#main-key",
		PublicKeyPEM: hostilePublicPEM(t)})
	if err != nil {
		t.Fatal(err)
	}
	finn := memberOf(t, inst, "finn")
	if _, err := inst.DB.Follow(ctx, finn.ID, carl.ID); err != nil {
		t.Fatal(err)
	}
	if err := inst.DB.ReceiveAccept(ctx, carl.ID, "", finn.ID); err != nil {
		t.Fatal(err)
	}
	ada := inst.DB.Site.ActorURI("ada")
	tops := map[string]*storage.Post{}
	for _, v := range visibilities {
		tops[v], err = inst.DB.SaveRemotePost(ctx, storage.RemotePost{URI: "https://carl.example/posts/top-" + v,
			AuthorID: carl.ID, Kind: storage.KindDiscussion, Headline: "Carl on " + v, Content: "<p>carl-top-" + v + "</p>",
			Visibility: v, SubwikiID: town, Mentioned: []string{ada}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := inst.DB.SaveRemotePost(ctx, storage.RemotePost{URI: "https://carl.example/posts/comment-" + v,
			AuthorID: carl.ID, Content: "<p>carl-comment-" + v + "</p>", Visibility: v, InReplyTo: rootPost.URI,
			Mentioned: []string{ada}}); err != nil {
			t.Fatal(err)
		}
	}

	// mayShow is the rule for carl's posts, as the table of the decision
	// gives it.
	mayShow := func(viewer, v string) bool {
		switch v {
		case storage.Public, storage.Unlisted:
			return true
		case storage.Followers:
			return viewer == "follower" || viewer == "addressee"
		}
		return viewer == "addressee"
	}
	type view struct {
		name    string
		path    string
		members bool // only for those signed in
		feed    bool // leaves direct posts out
		shows   func(page, v string) bool
	}
	headline := func(page, v string) bool { return strings.Contains(page, "Carl on "+v) }
	views := []view{
		{"home feed", "/", true, true, headline},
		{"profile", "/@carl@carl.example", false, true, headline},
		{"subwiki", "/s/town", false, true, headline},
		{"thread", "/posts/" + root, false, false, func(page, v string) bool { return strings.Contains(page, "carl-comment-"+v) }},
		{"notifications", "/notifications", true, false, func(page, v string) bool { return strings.Contains(page, "carl-comment-"+v) }},
	}
	for viewer, visitor := range viewers {
		for _, vw := range views {
			if vw.members && viewer == "stranger" {
				continue
			}
			page := visitor.get(vw.path)
			wantStatus(t, page, http.StatusOK)
			for _, v := range visibilities {
				want := mayShow(viewer, v) && !(vw.feed && v == storage.Direct)
				if vw.name == "notifications" && viewer != "member" && viewer != "addressee" {
					want = false // only mia, whose post carl replied to, and ada, whom he named, are told
				}
				if got := vw.shows(page.Body, v); got != want {
					t.Errorf("%s of the %s shows the %s post: %v, want %v", vw.name, viewer, v, got, want)
				}
			}
		}
		for _, v := range visibilities {
			want := http.StatusNotFound
			if mayShow(viewer, v) {
				want = http.StatusOK
			}
			if got := visitor.get("/posts/" + tops[v].ID).Status; got != want {
				t.Errorf("the %s post's page for the %s: status %d, want %d", v, viewer, got, want)
			}
			if got := visitor.get("/posts/" + tops[v].ID + "/history").Status; got != want {
				t.Errorf("the %s post's history for the %s: status %d, want %d", v, viewer, got, want)
			}
		}
	}

	// ActivityPub, unsigned: the subwiki's outbox lists what strangers see.
	outbox := newVisitor(t, inst)
	req, _ := http.NewRequest(http.MethodGet, inst.URL+"/s/town/outbox?page=true", nil)
	req.Header.Set("Accept", "application/activity+json")
	page := outbox.do(req)
	wantStatus(t, page, http.StatusOK)
	for _, v := range visibilities {
		listed := v == storage.Public || v == storage.Unlisted
		if got := strings.Contains(page.Body, tops[v].URI); got != listed {
			t.Errorf("the subwiki's outbox lists the %s post: %v, want %v", v, got, listed)
		}
	}
}

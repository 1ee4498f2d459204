package storage

import (
	"context"
	"slices"
	"testing"
)

// visibilityWorld has a post of each visibility by carl, an account on
// another server, in the subwiki s/town, and a comment of each in mia's
// thread there, each addressed to ada (the posts in to or cc, the
// comments by mention), and the viewers of the table.
type visibilityWorld struct {
	db       *DB
	town     *Subwiki
	root     *Post
	carl     *Actor
	tops     map[string]*Post // carl's posts, by visibility
	comments map[string]*Post // carl's comments, by visibility
	viewers  map[string]string
	members  map[string]*Member
}

var allVisibilities = []string{Public, Unlisted, Followers, Direct}

func newVisibilityWorld(t *testing.T) *visibilityWorld {
	t.Helper()
	ctx := context.Background()
	db, _ := openTestDB(t)
	w := &visibilityWorld{db: db, tops: map[string]*Post{}, comments: map[string]*Post{}, members: map[string]*Member{}}
	for _, name := range []string{"mia", "finn", "ada", "max"} {
		w.members[name] = mustCreateMember(t, db, name)
	}
	admin, err := db.CreateMember(ctx, MemberCreate{Username: "ruth", Email: "ruth@example.org", Password: "correct horse", IsAdmin: true})
	if err != nil {
		t.Fatal(err)
	}
	w.members["ruth"] = admin
	w.town = mustCreateSubwiki(t, db, "town", w.members["max"], false)
	for _, name := range []string{"mia", "finn", "ada", "ruth"} {
		if _, err := db.Follow(ctx, w.members[name].ID, w.town.ID); err != nil {
			t.Fatal(err)
		}
	}
	w.carl = saveRemote(t, db, "carl", "carl.example")
	if _, err := db.Follow(ctx, w.members["finn"].ID, w.carl.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.ReceiveAccept(ctx, w.carl.ID, "", w.members["finn"].ID); err != nil {
		t.Fatal(err)
	}
	if w.root, err = db.Publish(ctx, PostCreate{AuthorID: w.members["mia"].ID, SubwikiID: w.town.ID, Kind: KindDiscussion,
		Headline: "Town hall meets tonight", Text: "Agenda inside."}); err != nil {
		t.Fatal(err)
	}
	ada := testSite.ActorURI("ada")
	for _, v := range allVisibilities {
		if w.tops[v], err = db.SaveRemotePost(ctx, RemotePost{URI: "https://carl.example/posts/top-" + v, AuthorID: w.carl.ID,
			Kind: KindDiscussion, Headline: "Carl on " + v, Content: "<p>top</p>", Visibility: v, SubwikiID: w.town.ID,
			Recipients: []string{"https://carl.example/users/carl/followers", ada}}); err != nil {
			t.Fatal(err)
		}
		if w.comments[v], err = db.SaveRemotePost(ctx, RemotePost{URI: "https://carl.example/posts/comment-" + v,
			AuthorID: w.carl.ID, Content: "<p>comment</p>", Visibility: v, InReplyTo: w.root.URI,
			Mentioned: []string{ada}}); err != nil {
			t.Fatal(err)
		}
	}
	w.viewers = map[string]string{
		"stranger": Stranger, "member": w.members["mia"].ID, "follower": w.members["finn"].ID,
		"addressee": w.members["ada"].ID, "author": w.carl.ID, "moderator": w.members["max"].ID, "admin": admin.ID,
	}
	return w
}

// visibilityTable is the rule of docs/decisions.md ("Who sees a post"):
// who may see a post of each visibility. Moderators and admins are
// members like any other.
var visibilityTable = map[string][]string{ // viewer: the visibilities they may see
	"stranger":  {Public, Unlisted},
	"member":    {Public, Unlisted},
	"follower":  {Public, Unlisted, Followers},
	"addressee": {Public, Unlisted, Followers, Direct},
	"author":    {Public, Unlisted, Followers, Direct},
	"moderator": {Public, Unlisted},
	"admin":     {Public, Unlisted},
}

// ids lists the ids of posts.
func ids(posts []*Post) []string {
	var list []string
	for _, p := range posts {
		list = append(list, p.ID)
	}
	return list
}

func TestVisibilityTable(t *testing.T) {
	ctx := context.Background()
	w := newVisibilityWorld(t)
	for viewer, viewerID := range w.viewers {
		thread, err := w.db.Thread(ctx, viewerID, w.root.ID)
		if err != nil {
			t.Fatal(err)
		}
		by, err := w.db.PostsBy(ctx, viewerID, w.carl.ID, "", 50)
		if err != nil {
			t.Fatal(err)
		}
		count, err := w.db.CountPostsBy(ctx, viewerID, w.carl.ID)
		if err != nil || count != len(by.Posts) {
			t.Errorf("%s: CountPostsBy = %d, %v; PostsBy lists %d", viewer, count, err, len(by.Posts))
		}
		town, err := w.db.SubwikiFeed(ctx, viewerID, w.town.ID, "", 50)
		if err != nil {
			t.Fatal(err)
		}
		var home []string
		if viewer != "stranger" && viewer != "author" {
			feed, err := w.db.HomeFeed(ctx, viewerID, "", 50)
			if err != nil {
				t.Fatal(err)
			}
			home = ids(feed.Posts)
		}
		for _, v := range allVisibilities {
			want := slices.Contains(visibilityTable[viewer], v)
			inFeeds := want && v != Direct // feeds leave direct posts out
			top, comment := w.tops[v], w.comments[v]
			for _, p := range []*Post{top, comment} {
				if got, err := w.db.MaySee(ctx, viewerID, p.ID); err != nil || got != want {
					t.Errorf("MaySee(%s, %s %s) = %v, %v; want %v", viewer, v, p.Kind, got, err, want)
				}
				_, err := w.db.VisiblePost(ctx, viewerID, p.ID)
				if got := err == nil; got != want {
					t.Errorf("VisiblePost(%s, %s %s): found %v (%v), want %v", viewer, v, p.Kind, got, err, want)
				}
			}
			for _, view := range []struct {
				name  string
				list  []string
				post  *Post
				wants bool
			}{
				{"thread", ids(thread), comment, want},
				{"profile", ids(by.Posts), top, inFeeds},
				{"subwiki feed", ids(town.Posts), top, inFeeds},
				{"home feed", home, top, inFeeds && home != nil},
			} {
				if got := slices.Contains(view.list, view.post.ID); got != view.wants {
					t.Errorf("%s of the %s has the %s post: %v, want %v", view.name, viewer, v, got, view.wants)
				}
			}
		}
	}
}

func TestNotificationsOfPostsOneMaySee(t *testing.T) {
	ctx := context.Background()
	w := newVisibilityWorld(t)
	// Ada is named in all: she is told of all. Mia is replied to by every
	// comment, but may see only those for everyone.
	for name, want := range map[string][]string{
		"ada": {Public, Unlisted, Followers, Direct},
		"mia": {Public, Unlisted},
	} {
		id := w.members[name].ID
		unread, err := w.db.UnreadNotifications(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		list, err := noticeList(w.db.Notifications(ctx, id, "", 50))
		if err != nil {
			t.Fatal(err)
		}
		if unread != len(list) {
			t.Errorf("%s: %d unread, %d listed", name, unread, len(list))
		}
		var comments []string
		for _, n := range list {
			if n.Post.Kind == KindComment {
				comments = append(comments, n.Post.Visibility)
			}
		}
		slices.Sort(comments)
		slices.Sort(want)
		if !slices.Equal(comments, want) {
			t.Errorf("%s is told of the comments %v, want %v", name, comments, want)
		}
	}
	// Once mia follows carl, she may see his followers-only reply, and is
	// told of it.
	mia := w.members["mia"].ID
	if _, err := w.db.Follow(ctx, mia, w.carl.ID); err != nil {
		t.Fatal(err)
	}
	if err := w.db.ReceiveAccept(ctx, w.carl.ID, "", mia); err != nil {
		t.Fatal(err)
	}
	if n, err := w.db.UnreadNotifications(ctx, mia); err != nil || n != 1 {
		t.Errorf("mia, following carl: %d unread, %v; want 1, his followers-only reply", n, err)
	}
}

// TestActingNeedsSeeing: liking, replying to or correcting a post one may
// not see is refused as if it were not there.
func TestActingNeedsSeeing(t *testing.T) {
	ctx := context.Background()
	w := newVisibilityWorld(t)
	w.db.Corrections.MinAccountAge = 0
	mia, ada := w.members["mia"].ID, w.members["ada"].ID
	private := w.tops[Followers]
	wantCode(t, w.db.LikePost(ctx, mia, private.ID), ENotFound)
	_, err := w.db.Comment(ctx, CommentCreate{AuthorID: mia, ParentID: private.ID, Text: "Hm."})
	wantCode(t, err, ENotFound)
	_, err = w.db.ReviseHeadline(ctx, HeadlineEdit{PostID: private.ID, EditorID: mia, BaseRevision: 1,
		Headline: "Carl on something else", Reason: "Not what it says."})
	wantCode(t, err, ENotFound)
	wantCode(t, w.db.LockHeadline(ctx, w.members["max"].ID, private.ID, true, "Settled"), ENotFound)
	// Ada, whom it names, may do all of it.
	if err := w.db.LikePost(ctx, ada, private.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.Comment(ctx, CommentCreate{AuthorID: ada, ParentID: private.ID, Text: "Indeed."}); err != nil {
		t.Fatal(err)
	}
}

// TestSubwikiRelaysOnlyPostsForEveryone: a subwiki of ours passes on a
// post sent to it, and what happens to the post afterwards, only when the
// post is public or unlisted. Others stay with those they are for, and
// the subwiki does not decide on their headlines, which it would relay.
func TestSubwikiRelaysOnlyPostsForEveryone(t *testing.T) {
	ctx := context.Background()
	for _, v := range allVisibilities {
		t.Run(v, func(t *testing.T) {
			db, _ := openTestDB(t)
			mod := mustCreateMember(t, db, "max")
			town := mustCreateSubwiki(t, db, "town", mod, false)
			carl := saveRemote(t, db, "carl", "carl.example")
			uri := "https://carl.example/posts/1"
			post := RemotePost{URI: uri, AuthorID: carl.ID, Kind: KindDiscussion, Headline: "Carl on " + v,
				Content: "<p>text</p>", Visibility: v, SubwikiID: town.ID, RelayInboundID: "create",
				Recipients: []string{testSite.SubwikiURI("town")}}
			p, err := db.SaveRemotePost(ctx, post)
			if err != nil {
				t.Fatal(err)
			}
			post.Updated, post.Content, post.RelayInboundID = p.Published.Add(60e9), "<p>edited</p>", "update"
			if _, err := db.SaveRemotePost(ctx, post); err != nil {
				t.Fatal(err)
			}
			if err := db.React(ctx, carl.ID, uri, Like, "https://carl.example/likes/1", "like"); err != nil {
				t.Fatal(err)
			}
			if err := db.Unreact(ctx, carl.ID, Like, "https://carl.example/likes/1", uri, "undo"); err != nil {
				t.Fatal(err)
			}
			if err := db.DeleteRemotePost(ctx, carl.ID, uri, "delete"); err != nil {
				t.Fatal(err)
			}
			want := 0
			if Listed(v) {
				want = 7 // the Create and the post itself, the Update, the Like, its Undo, the Delete and the boost taken back
			}
			var n int
			for _, kind := range outboxKinds(t, db) {
				if kind == EventGroupAnnounce {
					n++
				}
			}
			if n != want {
				t.Errorf("the subwiki announced %d activities about a %s post, want %d", n, v, want)
			}
		})
	}
}

func TestCorrectionsOfPostsNotForEveryone(t *testing.T) {
	ctx := context.Background()
	w := newVisibilityWorld(t)
	for v, want := range map[string]string{Public: AuthorityHere, Followers: AuthorityLocalOnly, Direct: AuthorityLocalOnly} {
		if got, err := w.db.CorrectionAuthority(ctx, w.tops[v].ID); err != nil || got != want {
			t.Errorf("CorrectionAuthority of the %s post in s/town = %q, %v; want %q", v, got, err, want)
		}
	}
}

// TestThreadCountsCommentsForEveryone: the comment count, shown to all,
// counts only the comments everyone may see, as Mastodon counts replies.
func TestThreadCountsCommentsForEveryone(t *testing.T) {
	ctx := context.Background()
	w := newVisibilityWorld(t)
	root, err := w.db.PostByID(ctx, w.root.ID)
	if err != nil {
		t.Fatal(err)
	}
	if root.CommentCount != 2 {
		t.Errorf("comment count %d, want 2 (the public and the unlisted comment)", root.CommentCount)
	}
	for _, v := range allVisibilities {
		if err := w.db.DeleteRemotePost(ctx, w.carl.ID, w.comments[v].URI, ""); err != nil {
			t.Fatal(err)
		}
	}
	if root, _ = w.db.PostByID(ctx, w.root.ID); root.CommentCount != 0 {
		t.Errorf("comment count after the comments are deleted: %d, want 0", root.CommentCount)
	}
}

// TestReplyToAPrivatePostStaysPrivate: a member's answer to a post not
// for everyone is direct, for the post's author and those here it was
// for, and for whom the answer mentions; an answer to a public post is
// public.
func TestReplyToAPrivatePostStaysPrivate(t *testing.T) {
	ctx := context.Background()
	w := newVisibilityWorld(t)
	ada, finn, mia := w.members["ada"], w.members["finn"], w.members["mia"]
	for _, v := range []string{Followers, Direct} {
		reply, err := w.db.Comment(ctx, CommentCreate{AuthorID: ada.ID, ParentID: w.tops[v].ID, Text: "Noted."})
		if err != nil {
			t.Fatal(err)
		}
		if reply.Visibility != Direct {
			t.Errorf("a reply to a %s post is %s, want direct", v, reply.Visibility)
		}
		// carl, on his server, gets it by delivery (federation's tests).
		for viewer, want := range map[string]bool{"ada": true, "mia": false, "finn": false, "stranger": false} {
			id := map[string]string{"ada": ada.ID, "mia": mia.ID, "finn": finn.ID}[viewer]
			if _, err := w.db.VisiblePost(ctx, id, reply.ID); (err == nil) != want {
				t.Errorf("%s sees the reply to the %s post: %v, want %v", viewer, v, err == nil, want)
			}
		}
	}
	// Answering ada's own direct answer brings in whom it mentions.
	answer, err := w.db.Comment(ctx, CommentCreate{AuthorID: ada.ID, ParentID: w.tops[Direct].ID, Text: "Ask @mia"})
	if err != nil {
		t.Fatal(err)
	}
	mentioning, err := w.db.Comment(ctx, CommentCreate{AuthorID: ada.ID, ParentID: answer.ID, Text: "@mia see this",
		Mentions: []Mention{{Handle: "mia", URI: testSite.ActorURI("mia")}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.VisiblePost(ctx, mia.ID, mentioning.ID); err != nil {
		t.Errorf("mia, mentioned, may not see the answer: %v", err)
	}
	public, err := w.db.Comment(ctx, CommentCreate{AuthorID: ada.ID, ParentID: w.root.ID, Text: "Coming."})
	if err != nil {
		t.Fatal(err)
	}
	if public.Visibility != Public {
		t.Errorf("a reply to a public post is %s, want public", public.Visibility)
	}
}

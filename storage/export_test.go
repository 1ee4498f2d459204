package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
)

// exportAll reads every page of an export operation.
func exportAll[T any](t *testing.T, pages func(after string) ([]T, string, error)) []T {
	t.Helper()
	var all []T
	after := ""
	for {
		items, next, err := pages(after)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, items...)
		if next == "" {
			return all
		}
		after = next
	}
}

// column lists a query's one text column, sorted.
func column(t *testing.T, db *DB, query string, args ...any) []string {
	t.Helper()
	rows, err := db.reader.QueryContext(context.Background(), query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var list []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		list = append(list, s)
	}
	sort.Strings(list)
	return list
}

func sameList(t *testing.T, what string, got, want []string) {
	t.Helper()
	sort.Strings(got)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s: got %d %v, want %d %v", what, len(got), got, len(want), want)
	}
}

// The archive's pages hold every post, comment, like, follow, flag and
// correction of the member, as the database has them, over several
// pages, and nothing private of anyone else.
func TestExportMatchesTheDatabase(t *testing.T) {
	w := newCorrectionWorld(t)
	ctx := context.Background()
	db, bob := w.db, w.bob
	if _, err := w.edit(bob, 1, "Early trial shows modest effect"); err != nil {
		t.Fatal(err)
	}
	for i := range ExportPageSize + 5 {
		publishNews(t, db, bob.ID, fmt.Sprintf("bob-%d", i))
	}
	if _, err := db.Comment(ctx, CommentCreate{AuthorID: bob.ID, ParentID: w.post.ID, Text: "Source?"}); err != nil {
		t.Fatal(err)
	}
	if err := db.LikePost(ctx, bob.ID, w.post.ID); err != nil {
		t.Fatal(err)
	}
	carols := publishNews(t, db, w.carol.ID, "carols")
	if err := db.LikePost(ctx, bob.ID, carols.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.LikePost(ctx, w.alice.ID, carols.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Follow(ctx, bob.ID, w.carol.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Follow(ctx, w.carol.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	remote := saveRemote(t, db, "erin", "remote.example")
	if _, err := db.ReceiveFollow(ctx, remote.ID, bob.ID, "https://remote.example/follows/9"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FlagItem(ctx, FlagCreate{ReporterID: bob.ID, PostID: carols.ID, Category: FlagSpam, Comment: "ads"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FlagItem(ctx, FlagCreate{ReporterID: w.alice.ID, PostID: carols.ID, Category: FlagSpam, Comment: "alice's secret"}); err != nil {
		t.Fatal(err)
	}

	profile, err := db.ExportOfProfile(ctx, bob.ID)
	if err != nil || profile.Username != "bob" || profile.Email != bob.Email {
		t.Fatalf("profile = %+v, %v", profile, err)
	}
	posts := exportAll(t, func(after string) ([]*ExportPost, string, error) { return db.ExportPosts(ctx, bob.ID, after) })
	var uris []string
	for _, p := range posts {
		uris = append(uris, p.URI)
	}
	sameList(t, "posts", uris, column(t, db, `SELECT uri FROM posts WHERE author_id = ?`, bob.ID))
	if len(posts) != ExportPageSize+6 {
		t.Errorf("posts = %d, want %d", len(posts), ExportPageSize+6)
	}
	for _, p := range posts {
		if p.Kind != KindComment && (len(p.Revisions) != 1 || p.Revisions[0].Headline != p.Headline) {
			t.Errorf("post %s revisions = %+v", p.URI, p.Revisions)
		}
	}

	corrections := exportAll(t, func(after string) ([]ExportCorrection, string, error) { return db.ExportRevisions(ctx, bob.ID, after) })
	if len(corrections) != 1 || corrections[0].PostURI != w.post.URI || corrections[0].Previous != "Miracle cure found" ||
		corrections[0].Headline != "Early trial shows modest effect" || corrections[0].Number != 2 {
		t.Errorf("corrections = %+v", corrections)
	}
	alicePosts := exportAll(t, func(after string) ([]*ExportPost, string, error) { return db.ExportPosts(ctx, w.alice.ID, after) })
	if len(alicePosts) != 1 || len(alicePosts[0].Revisions) != 2 || alicePosts[0].Revisions[1].Editor != db.Site.ActorURI("bob") {
		t.Errorf("alice's post history = %+v", alicePosts)
	}

	likes := exportAll(t, func(after string) ([]ExportLike, string, error) { return db.ExportLikes(ctx, bob.ID, after) })
	var liked []string
	for _, l := range likes {
		liked = append(liked, l.PostURI)
		if l.Headline == "" {
			t.Errorf("like of %s has no headline", l.PostURI)
		}
	}
	sameList(t, "likes", liked, column(t, db, `SELECT p.uri FROM reactions r JOIN posts p ON p.id = r.post_id
		WHERE r.actor_id = ? AND r.kind = 'like'`, bob.ID))

	for _, followers := range []bool{false, true} {
		list := exportAll(t, func(after string) ([]ExportFollow, string, error) {
			return db.ExportFollows(ctx, bob.ID, followers, after)
		})
		var got []string
		for _, f := range list {
			got = append(got, f.ActorURI)
		}
		q := `SELECT a.uri FROM follows f JOIN actors a ON a.id = f.followee_id WHERE f.follower_id = ?`
		if followers {
			q = `SELECT a.uri FROM follows f JOIN actors a ON a.id = f.follower_id WHERE f.followee_id = ?`
		}
		sameList(t, fmt.Sprintf("follows (followers %v)", followers), got, column(t, db, q, bob.ID))
	}

	flags := exportAll(t, func(after string) ([]ExportFlag, string, error) { return db.ExportFlags(ctx, bob.ID, after) })
	if len(flags) != 1 || flags[0].TargetURI != carols.URI || flags[0].Comment != "ads" {
		t.Errorf("flags = %+v", flags)
	}

	all, err := json.Marshal([]any{profile, posts, corrections, likes, flags})
	if err != nil {
		t.Fatal(err)
	}
	for _, private := range []string{w.alice.Email, w.carol.Email, "alice's secret"} {
		if strings.Contains(string(all), private) {
			t.Errorf("bob's archive holds %q", private)
		}
	}
}

// The uploads of an archive are the member's own images in use, never
// another's or a remote address.
func TestExportUploads(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	alice, bob := mustCreateMember(t, db, "alice"), mustCreateMember(t, db, "bob")
	mine := db.Site.UploadURL(strings.Repeat("a", 32) + ".jpg")
	if _, err := db.SetProfileImage(ctx, alice.ID, MediaAvatar, mine); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetProfileImage(ctx, bob.ID, MediaAvatar, db.Site.UploadURL(strings.Repeat("b", 32)+".jpg")); err != nil {
		t.Fatal(err)
	}
	got, err := db.ExportUploads(ctx, alice.ID)
	if err != nil || len(got) != 1 || got[0] != mine {
		t.Errorf("uploads = %v, %v; want [%s]", got, err, mine)
	}
}

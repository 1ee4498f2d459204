package storage

import (
	"context"
	"strings"
	"testing"
)

// TestEarlyRepliesJoinTheirThread: a reply, and a reply to it, arrive
// before the post they answer; when the post comes, both are comments in
// its thread, counted, and the early reply is no longer a post of its own.
func TestEarlyRepliesJoinTheirThread(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	carl := saveRemote(t, db, "carl", "carl.example")
	dana := saveRemote(t, db, "dana", "dana.example")
	const postURI = "https://carl.example/posts/1"
	reply, err := db.SaveRemotePost(ctx, RemotePost{URI: "https://dana.example/notes/1", AuthorID: dana.ID,
		Kind: KindDiscussion, Headline: "Re: the bridge", Content: "<p>Agreed.</p>", Visibility: Public,
		InReplyTo: postURI})
	if err != nil {
		t.Fatal(err)
	}
	answer, err := db.SaveRemotePost(ctx, RemotePost{URI: "https://carl.example/notes/2", AuthorID: carl.ID,
		Content: "<p>Thanks.</p>", Visibility: Public, InReplyTo: reply.URI})
	if err != nil {
		t.Fatal(err)
	}
	if answer.RootID != reply.ID {
		t.Fatalf("the answer's root is %q, want the early reply %q", answer.RootID, reply.ID)
	}
	post, err := db.SaveRemotePost(ctx, RemotePost{URI: postURI, AuthorID: carl.ID, Kind: KindDiscussion,
		Headline: "The bridge reopens", Content: "<p>Monday.</p>", Visibility: Public})
	if err != nil {
		t.Fatal(err)
	}
	thread, err := db.Thread(ctx, Stranger, post.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(thread); len(got) != 2 || got[0] != reply.ID || got[1] != answer.ID {
		t.Errorf("the thread = %v, want the reply %s and the answer %s", got, reply.ID, answer.ID)
	}
	post, err = db.PostByID(ctx, post.ID)
	if err != nil {
		t.Fatal(err)
	}
	if post.CommentCount != 2 {
		t.Errorf("the post counts %d comments, want 2", post.CommentCount)
	}
	reply, err = db.PostByID(ctx, reply.ID)
	if err != nil {
		t.Fatal(err)
	}
	if reply.Kind != KindComment || reply.Headline != "" || reply.ParentID != post.ID || reply.RootID != post.ID {
		t.Errorf("the early reply is %s %q under %s/%s, want a comment under the post", reply.Kind, reply.Headline,
			reply.ParentID, reply.RootID)
	}
	if page, err := db.PostsBy(ctx, Stranger, dana.ID, "", 10); err != nil || len(page.Posts) != 0 {
		t.Errorf("dana's posts = %v, %v; want none (her reply is a comment now)", page, err)
	}
}

// TestEarlyRepliesPlan: finding a new post's early replies searches the
// index on in_reply_to; it runs for every post that arrives, and a scan
// of all posts would cost each one a million rows.
func TestEarlyRepliesPlan(t *testing.T) {
	db, _ := openTestDB(t)
	rows, err := db.reader.Query(`EXPLAIN QUERY PLAN `+earlyRepliesQuery, "https://a.example/p/1", "x")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if got := strings.Join(plan, "; "); !strings.Contains(got, "USING INDEX posts_in_reply_to") {
		t.Errorf("plan = %s, want a search of posts_in_reply_to", got)
	}
}

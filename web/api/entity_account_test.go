package api

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// signedUpMember creates an active member of the test API's instance.
func (ta *testAPI) signedUpMember(name string) *storage.Member {
	ta.t.Helper()
	m, err := ta.db.CreateMember(context.Background(), storage.MemberCreate{
		Username: name, Email: name + "@example.org", Password: "correct horse"})
	if err != nil {
		ta.t.Fatalf("create member %s: %v", name, err)
	}
	return m
}

// tokenOf signs the member in through an app allowed the scopes.
func (ta *testAPI) tokenOf(m *storage.Member, scopes string) string {
	ta.t.Helper()
	ctx := context.Background()
	app, err := ta.db.CreateOAuthApp(ctx, storage.OAuthAppCreate{Name: "Test app",
		RedirectURIs: []string{storage.OutOfBandRedirect}, Scopes: "read write follow push profile"})
	if err != nil {
		ta.t.Fatal(err)
	}
	token, err := ta.db.IssueMemberToken(ctx, app.ID, m.ID, scopes)
	if err != nil {
		ta.t.Fatal(err)
	}
	return token
}

// remoteAccount stores an account of another server.
func (ta *testAPI) remoteAccount(kind, username, host string, change func(*storage.RemoteActor)) *storage.Actor {
	ta.t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		ta.t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		ta.t.Fatal(err)
	}
	uri := "https://" + host + "/users/" + username
	r := storage.RemoteActor{URI: uri, Kind: kind, Username: username, DisplayName: strings.ToUpper(username),
		Inbox: uri + "/inbox", SharedInbox: "https://" + host + "/inbox", URL: "https://" + host + "/@" + username,
		KeyID: uri + "#main-key", PublicKeyPEM: string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))}
	if change != nil {
		change(&r)
	}
	a, err := ta.db.SaveRemoteActor(context.Background(), r)
	if err != nil {
		ta.t.Fatalf("save %s@%s: %v", username, host, err)
	}
	return a
}

// accountKeys are the keys every Account has, with the JSON type each
// must have ("string?" may also be null).
var accountKeys = map[string]string{
	"id": "string", "username": "string", "acct": "string", "display_name": "string",
	"locked": "bool", "bot": "bool", "discoverable": "bool", "group": "bool", "noindex": "bool",
	"created_at": "string", "note": "string", "url": "string", "uri": "string",
	"avatar": "string", "avatar_static": "string", "header": "string", "header_static": "string",
	"followers_count": "number", "following_count": "number", "statuses_count": "number",
	"last_status_at": "string?", "emojis": "array", "fields": "array",
}

// wantAccountShape fails unless v, decoded from JSON, has the shape of
// Mastodon's Account: every key with its type, times as Mastodon writes
// them, images absolute.
func wantAccountShape(t *testing.T, v any) map[string]any {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("account = %v, want an object", v)
	}
	wantKeys(t, fmt.Sprintf("account %v", m["acct"]), m, accountKeys)
	if s, _ := m["created_at"].(string); !isAPITime(s) {
		t.Errorf("created_at = %q, want ISO 8601 with milliseconds in UTC", s)
	}
	for _, key := range []string{"avatar", "header", "url"} {
		if s, _ := m[key].(string); !strings.HasPrefix(s, "http://") && !strings.HasPrefix(s, "https://") {
			t.Errorf("%s = %q, want an absolute URL", key, s)
		}
	}
	return m
}

// wantKeys fails for each key of keys that m lacks or holds with another
// JSON kind than keys names for it ("?" after the kind allows null too).
func wantKeys(t *testing.T, what string, m map[string]any, keys map[string]string) {
	t.Helper()
	for key, typ := range keys {
		val, present := m[key]
		if !present {
			t.Errorf("%s has no %q", what, key)
			continue
		}
		got, want := jsonKind(val), strings.TrimSuffix(typ, "?")
		if got != want && !(strings.HasSuffix(typ, "?") && got == "null") {
			t.Errorf("%s: %s is %s, want %s", what, key, got, typ)
		}
	}
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case bool:
		return "bool"
	case float64:
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "unknown"
}

func isAPITime(s string) bool {
	_, err := time.Parse("2006-01-02T15:04:05.000Z", s)
	return err == nil
}

// roundTripJSON is v as a client decodes it.
func roundTripJSON(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestAccountEntities(t *testing.T) {
	ta := startAPI(t, Config{})
	ctx := context.Background()
	a := New(ta.db, nil, Config{Scheme: "https", Domain: "news.example"}, slog.New(slog.DiscardHandler))
	alice, bob := ta.signedUpMember("alice"), ta.signedUpMember("bob")
	bio, fields := "I write **news**.", []storage.ProfileField{{Name: "Site", Value: "https://alice.example"}}
	if _, err := ta.db.UpdateProfile(ctx, alice.ID, storage.ProfileUpdate{Bio: &bio, Fields: &fields}); err != nil {
		t.Fatal(err)
	}
	climate, err := ta.db.CreateSubwiki(ctx, storage.SubwikiCreate{Name: "climate", Title: "Climate news", Description: "All about it."}, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	post, err := ta.db.Publish(ctx, storage.PostCreate{AuthorID: alice.ID, SubwikiID: climate.ID, Kind: storage.KindDiscussion,
		Headline: "Ice melts", Text: "Faster."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ta.db.CreatePost(ctx, alice.ID, "On my profile"); err != nil {
		t.Fatal(err)
	}
	if _, err := ta.db.Comment(ctx, storage.CommentCreate{AuthorID: bob.ID, ParentID: post.ID, Text: "Indeed"}); err != nil {
		t.Fatal(err)
	}
	if _, err := ta.db.Follow(ctx, bob.ID, alice.ID); err != nil {
		t.Fatal(err)
	}
	carol := ta.remoteAccount(storage.KindPerson, "carol", "remote.example", func(r *storage.RemoteActor) {
		r.Summary = `<p>Hi<script>alert(1)</script></p>`
		r.IconURL = "https://remote.example/carol.png"
		r.ManuallyApprovesFollowers = true
	})
	lemmy := ta.remoteAccount(storage.KindGroup, "rust", "lemmy.example", nil)
	bot := ta.remoteAccount(storage.KindService, "feeds", "remote.example", nil)

	var actors []*storage.Actor
	for _, id := range []string{alice.ID, climate.ID, carol.ID, lemmy.ID, bot.ID, bob.ID} {
		actor, err := ta.db.ActorByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		actors = append(actors, actor)
	}
	list, err := a.accountEntities(ctx, actors)
	if err != nil {
		t.Fatal(err)
	}
	decoded, _ := roundTripJSON(t, list).([]any)
	if len(decoded) != len(actors) {
		t.Fatalf("%d accounts, want %d", len(decoded), len(actors))
	}
	got := map[string]map[string]any{}
	for i, v := range decoded {
		m := wantAccountShape(t, v)
		if m["id"] != actors[i].ID {
			t.Errorf("account %d id = %v, want %s (in order)", i, m["id"], actors[i].ID)
		}
		got[m["acct"].(string)] = m
	}
	tests := []struct {
		acct, key string
		want      any
	}{
		{"alice", "username", "alice"},
		{"alice", "group", false},
		{"alice", "followers_count", 1.0},
		{"alice", "statuses_count", 2.0},
		{"alice", "url", ta.URL + "/@alice"},
		{"alice", "avatar", "https://news.example/static/avatar.png"},
		{"alice", "header", "https://news.example/static/header.png"},
		{"alice", "last_status_at", time.Now().UTC().Format(time.DateOnly)},
		{"bob", "statuses_count", 1.0},
		{"bob", "following_count", 1.0},
		{"climate", "group", true},
		{"climate", "display_name", "Climate news"},
		{"climate", "statuses_count", 1.0},
		{"climate", "note", "<p>All about it.</p>"},
		{"carol@remote.example", "username", "carol"},
		{"carol@remote.example", "locked", true},
		{"carol@remote.example", "note", "<p>Hi</p>"},
		{"carol@remote.example", "avatar", "https://news.example" + storage.MediaPath(storage.MediaAvatar, carol.ID, 0, carol.IconURL)},
		{"carol@remote.example", "url", "https://remote.example/@carol"},
		{"carol@remote.example", "statuses_count", 0.0},
		{"carol@remote.example", "last_status_at", nil},
		{"rust@lemmy.example", "group", true},
		{"feeds@remote.example", "bot", true},
	}
	for _, tt := range tests {
		m := got[tt.acct]
		if m == nil {
			t.Errorf("no account %s among %v", tt.acct, decoded)
			continue
		}
		if m[tt.key] != tt.want {
			t.Errorf("%s: %s = %#v, want %#v", tt.acct, tt.key, m[tt.key], tt.want)
		}
	}
	if note, _ := got["alice"]["note"].(string); !strings.Contains(note, "<strong>news</strong>") {
		t.Errorf("alice's note = %q, want her bio rendered", note)
	}
	if fields, _ := got["alice"]["fields"].([]any); len(fields) != 1 {
		t.Errorf("alice's fields = %v, want one", fields)
	} else if f := fields[0].(map[string]any); f["name"] != "Site" || !strings.Contains(f["value"].(string), `href="https://alice.example"`) ||
		f["verified_at"] != nil {
		t.Errorf("alice's field = %v, want Site linking her site, unverified", f)
	}
}

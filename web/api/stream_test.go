package api

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/tidings-social/tidings/storage"
)

// testStream is a WebSocket of the streaming API opened by a test.
type testStream struct {
	t    *testing.T
	conn *websocket.Conn
}

// openStream opens /api/v1/streaming with the query, the token offered
// as the subprotocol, as masto.js does.
func (ta *testAPI) openStream(token, query string) *testStream {
	ta.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(ta.URL, "http")+"/api/v1/streaming"+query,
		&websocket.DialOptions{Subprotocols: []string{token}})
	if err != nil {
		ta.t.Fatalf("open stream: %v", err)
	}
	if got := conn.Subprotocol(); got != token {
		ta.t.Errorf("chosen subprotocol = %q, want the token echoed", got)
	}
	ta.t.Cleanup(func() { conn.CloseNow() })
	return &testStream{t: ta.t, conn: conn}
}

// send sends a message such as a subscription.
func (s *testStream) send(msg string) {
	s.t.Helper()
	if err := s.conn.Write(context.Background(), websocket.MessageText, []byte(msg)); err != nil {
		s.t.Fatalf("send %s: %v", msg, err)
	}
}

// next reads the next message; a stream that sends nothing for a minute
// has failed (the test waits for an event it caused, never for time).
func (s *testStream) next() map[string]any {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, body, err := s.conn.Read(ctx)
	if err != nil {
		s.t.Fatalf("read stream: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		s.t.Fatalf("stream message %s: %v", body, err)
	}
	return m
}

// nextEvent reads the next message, which must be an event with string
// stream parts and a string payload, and answers its stream, name and
// payload.
func (s *testStream) nextEvent() (stream, event, payload string) {
	s.t.Helper()
	m := s.next()
	parts, ok := m["stream"].([]any)
	if !ok {
		s.t.Fatalf("message %v has no stream array", m)
	}
	var names []string
	for _, p := range parts {
		name, ok := p.(string)
		if !ok {
			s.t.Fatalf("stream part %v is not a string", p)
		}
		names = append(names, name)
	}
	event, _ = m["event"].(string)
	payload, ok = m["payload"].(string)
	if !ok {
		s.t.Fatalf("message %v: payload is not a string", m)
	}
	return strings.Join(names, " "), event, payload
}

// wantStatusEvent reads the next event and fails unless it is the event
// on the stream of the post, its payload a Status.
func (s *testStream) wantStatusEvent(stream, event, postID string) {
	s.t.Helper()
	gotStream, gotEvent, payload := s.nextEvent()
	var v any
	if err := json.Unmarshal([]byte(payload), &v); err != nil {
		s.t.Fatalf("%s payload %q is not JSON: %v", gotEvent, payload, err)
	}
	st := wantStatusShape(s.t, v)
	if gotStream != stream || gotEvent != event || st["id"] != postID {
		s.t.Errorf("got %s on %q of %v, want %s on %q of %s", gotEvent, gotStream, st["id"], event, stream, postID)
	}
}

// remoteNote stores a note of the remote author with the visibility.
func (ta *testAPI) remoteNote(author *storage.Actor, id, visibility string, hashtags ...string) *storage.Post {
	ta.t.Helper()
	p, err := ta.db.SaveRemotePost(context.Background(), storage.RemotePost{URI: author.URI + "/notes/" + id,
		AuthorID: author.ID, Content: "<p>Note " + id + "</p>", Visibility: visibility, Hashtags: hashtags,
		Published: time.Now().Add(-time.Minute)})
	if err != nil {
		ta.t.Fatal(err)
	}
	return p
}

// acceptedFollow makes the member follow the remote account, accepted.
func (ta *testAPI) acceptedFollow(m *storage.Member, remote *storage.Actor) {
	ta.t.Helper()
	ctx := context.Background()
	f, err := ta.db.Follow(ctx, m.ID, remote.ID)
	if err != nil {
		ta.t.Fatal(err)
	}
	if err := ta.db.ReceiveAccept(ctx, remote.ID, f.ActivityURI, m.ID); err != nil {
		ta.t.Fatal(err)
	}
}

// syncStream sends a subscription that fails and reads its answer: the
// subscriptions sent before it are then in place, and no event came
// between.
func (s *testStream) syncStream() {
	s.t.Helper()
	s.send(`{"type":"subscribe","stream":"nonsense"}`)
	if m := s.next(); m["error"] != unknownStreamText || m["status"] != float64(400) {
		s.t.Fatalf("got %v, want the unknown stream's error and nothing before it", m)
	}
}

func TestStreamUserTimelineAndNotifications(t *testing.T) {
	ta := startStatusAPI(t)
	ctx := context.Background()
	alice, bob := ta.signedUpMember("alice"), ta.signedUpMember("bob")
	carol := ta.remoteAccount(storage.KindPerson, "carol", "remote.example", nil)
	ta.acceptedFollow(bob, carol)
	bobStream := ta.openStream(ta.tokenOf(bob, "read"), "")
	bobStream.send(`{"type":"subscribe","stream":"user"}`)
	bobStream.syncStream()

	private := ta.remoteNote(carol, "1", storage.Followers)
	bobStream.wantStatusEvent("user", "update", private.ID)

	_, err := ta.db.SaveRemotePost(ctx, storage.RemotePost{URI: private.URI, AuthorID: carol.ID,
		Content: "<p>Note 1, corrected</p>", Visibility: storage.Followers, Published: private.Published,
		Updated: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	bobStream.wantStatusEvent("user", "status.update", private.ID)

	if err := ta.db.DeleteRemotePost(ctx, carol.ID, private.URI, ""); err != nil {
		t.Fatal(err)
	}
	if stream, event, payload := bobStream.nextEvent(); stream != "user" || event != "delete" || payload != private.ID {
		t.Errorf("got %s on %q of %q, want delete on user of %s", event, stream, payload, private.ID)
	}

	_, own := ta.postStatus(ta.tokenOf(bob, "write"), `{"status":"Bob's own news"}`)
	bobStream.wantStatusEvent("user", "update", own["id"].(string))
	if err := ta.db.LikePost(ctx, alice.ID, own["id"].(string)); err != nil {
		t.Fatal(err)
	}
	stream, event, payload := bobStream.nextEvent()
	var n any
	if err := json.Unmarshal([]byte(payload), &n); err != nil {
		t.Fatalf("notification payload %q: %v", payload, err)
	}
	got := wantNotificationShape(t, n)
	if stream != "user" || event != "notification" || got["type"] != "favourite" {
		t.Errorf("got %s on %q of type %v, want a favourite notification on user", event, stream, got["type"])
	}
}

func TestStreamShowsOnlyWhatTheTimelineWould(t *testing.T) {
	ta := startStatusAPI(t)
	ctx := context.Background()
	alice := ta.signedUpMember("alice")
	carol := ta.signedUpMember("carol")
	dave := ta.remoteAccount(storage.KindPerson, "dave", "remote.example", nil)
	carolStream := ta.openStream(ta.tokenOf(carol, "read:statuses"), "?stream=public")
	carolStream.send(`{"type":"subscribe","stream":"user"}`)
	carolStream.send(`{"type":"subscribe","stream":"hashtag","tag":"Floods"}`)
	carolStream.send(`{"type":"subscribe","stream":"hashtag"}`)
	if m := carolStream.next(); m["error"] != noTagText {
		t.Errorf("hashtag without tag answered %v", m)
	}

	// Carol follows nobody: dave's followers-only post, made, changed
	// and deleted, reaches none of her streams, nor does the like of
	// alice's post; dave's public post after them is the first event
	// she gets, on each stream that lists it.
	private := ta.remoteNote(dave, "1", storage.Followers, "floods")
	if err := ta.db.DeleteRemotePost(ctx, dave.ID, private.URI, ""); err != nil {
		t.Fatal(err)
	}
	if err := ta.db.LikePost(ctx, carol.ID, ta.publish(alice, "Not carol's", "").ID); err != nil {
		t.Fatal(err)
	}
	public := ta.remoteNote(dave, "2", storage.Public, "floods")
	seen := map[string]bool{}
	for {
		stream, event, payload := carolStream.nextEvent()
		if event == "update" && strings.Contains(payload, "Not carol") {
			continue // alice's public post is on the public stream
		}
		var st map[string]any
		json.Unmarshal([]byte(payload), &st)
		if event != "update" || st["id"] != public.ID {
			t.Fatalf("got %s of %q on %q, want only the public post %s (not %s)", event, payload, stream, public.ID, private.ID)
		}
		seen[stream] = true
		if len(seen) == 2 {
			break
		}
	}
	if !seen["public"] || !seen["hashtag Floods"] {
		t.Errorf("the public post came on %v, want public and hashtag Floods (the tag as asked)", seen)
	}

	// Unsubscribed, a stream no longer carries the posts.
	carolStream.send(`{"type":"unsubscribe","stream":"hashtag","tag":"Floods"}`)
	carolStream.syncStream()
	again := ta.remoteNote(dave, "3", storage.Public, "floods")
	carolStream.wantStatusEvent("public", "update", again.ID)
	carolStream.syncStream()
}

func TestStreamRefusals(t *testing.T) {
	ta := startAPI(t, Config{})
	alice := ta.signedUpMember("alice")
	read, write := ta.tokenOf(alice, "read"), ta.tokenOf(alice, "write")
	tests := []struct {
		path, token string
		status      int
		errText     string
	}{
		{"/api/v1/streaming/user", "", http.StatusUnauthorized, invalidTokenText},
		{"/api/v1/streaming/user", "wrong", http.StatusUnauthorized, invalidTokenText},
		{"/api/v1/streaming/user", write, http.StatusForbidden, outOfScopeText},
		{"/api/v1/streaming/public/media", read, http.StatusBadRequest, unknownStreamText},
		{"/api/v1/streaming/hashtag", read, http.StatusBadRequest, noTagText},
		{"/api/v1/streaming/list", read, http.StatusBadRequest, noListText},
		{"/api/v1/streaming/list?list=" + alice.ID, read, http.StatusNotFound, recordNotFound},
		{"/api/v1/streaming?stream=nonsense", read, http.StatusBadRequest, unknownStreamText},
	}
	for _, tt := range tests {
		ans := ta.call(http.MethodGet, tt.path, "", "", tt.token)
		wantJSONAnswer(t, ans, tt.status)
		var body apiError
		ans.json(t, &body)
		if body.Error != tt.errText {
			t.Errorf("%s: error %q, want %q", tt.path, body.Error, tt.errText)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, resp, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(ta.URL, "http")+"/api/v1/streaming",
		&websocket.DialOptions{Subprotocols: []string{"not-a-token"}})
	if err == nil || resp == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a WebSocket with a wrong token: err %v, response %v; want 401", err, resp)
	}
}

func TestStreamHealth(t *testing.T) {
	ta := startAPI(t, Config{})
	ans := ta.call(http.MethodGet, "/api/v1/streaming/health", "", "", "")
	if ans.Status != http.StatusOK || ans.Body != "OK" || !strings.HasPrefix(ans.Header.Get("Content-Type"), "text/plain") {
		t.Errorf("health: %d %q %q, want 200 OK as plain text", ans.Status, ans.Header.Get("Content-Type"), ans.Body)
	}
}

func TestStreamServerSentEvents(t *testing.T) {
	ta := startAPI(t, Config{})
	alice, bob := ta.signedUpMember("alice"), ta.signedUpMember("bob")
	req, err := http.NewRequest(http.MethodGet, ta.URL+"/api/v1/streaming/public/local", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+ta.tokenOf(bob, "read"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("SSE answered %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	lines := bufio.NewReader(resp.Body)
	if first, err := lines.ReadString('\n'); err != nil || !strings.HasPrefix(first, ":") {
		t.Fatalf("first line %q, %v; want a comment once the stream is open", first, err)
	}
	post := ta.publish(alice, "Heat wave ahead", "")
	event, _ := lines.ReadString('\n')
	data, _ := lines.ReadString('\n')
	blank, _ := lines.ReadString('\n')
	if event != "event: update\n" || !strings.HasPrefix(data, "data: {") || blank != "\n" {
		t.Fatalf("got %q %q %q, want an update event", event, data, blank)
	}
	var v any
	if err := json.Unmarshal([]byte(strings.TrimPrefix(data, "data: ")), &v); err != nil {
		t.Fatal(err)
	}
	if st := wantStatusShape(t, v); st["id"] != post.ID {
		t.Errorf("update of %v, want %s", st["id"], post.ID)
	}
}

func TestStreamHubEndsASlowStream(t *testing.T) {
	h := newStreamHub()
	slow, _ := h.open("slow")
	quick, _ := h.open("quick")
	for range streamQueue {
		h.publish(storage.Change{Kind: storage.ChangePostCreated, PostID: "p"})
	}
	for range streamQueue {
		<-quick.changes
	}
	h.publish(storage.Change{Kind: storage.ChangePostCreated, PostID: "q"})
	select {
	case <-slow.done:
	default:
		t.Error("a stream whose queue is full is still open")
	}
	select {
	case <-quick.done:
		t.Error("a stream that keeps up was ended")
	default:
	}
	if got := len(quick.changes); got != 1 {
		t.Errorf("quick stream has %d changes queued, want 1", got)
	}
	for i := 1; i < maxMemberStreams; i++ {
		if _, err := h.open("quick"); err != nil {
			t.Fatalf("stream %d of a member: %v", i+1, err)
		}
	}
	if _, err := h.open("quick"); err == nil || err.(*requestError).status != http.StatusTooManyRequests {
		t.Errorf("one stream too many: %v, want 429", err)
	}
	h.close()
	if _, err := h.open("late"); err == nil {
		t.Error("a closed hub opened a stream")
	}
	select {
	case <-quick.done:
	default:
		t.Error("closing the hub left a stream open")
	}
}

func TestParseSubscription(t *testing.T) {
	tests := []struct {
		name, tag, list string
		want            []string // the event's stream field; nil for an error
		status          int
	}{
		{"user", "", "", []string{"user"}, 0},
		{"user:notification", "", "", []string{"user:notification"}, 0},
		{"public:local", "", "", []string{"public:local"}, 0},
		{"hashtag", "Floods", "", []string{"hashtag", "Floods"}, 0},
		{"hashtag:local", "#floods", "", []string{"hashtag:local", "#floods"}, 0},
		{"hashtag", "", "", nil, http.StatusBadRequest},
		{"hashtag", "no spaces", "", nil, http.StatusBadRequest},
		{"list", "", "01ABC", []string{"list", "01ABC"}, 0},
		{"list", "", "", nil, http.StatusBadRequest},
		{"direct", "", "", []string{"direct"}, 0},
		{"public:media", "", "", nil, http.StatusBadRequest},
		{"", "", "", nil, http.StatusBadRequest},
	}
	for _, tt := range tests {
		sub, err := parseSubscription(tt.name, tt.tag, tt.list)
		if tt.want == nil {
			re, ok := err.(*requestError)
			if !ok || re.status != tt.status {
				t.Errorf("parseSubscription(%q, %q, %q) = %v, %v; want a %d", tt.name, tt.tag, tt.list, sub, err, tt.status)
			}
			continue
		}
		if err != nil || strings.Join(sub.names(), " ") != strings.Join(tt.want, " ") {
			t.Errorf("parseSubscription(%q, %q, %q) = %v, %v; want %v", tt.name, tt.tag, tt.list, sub.names(), err, tt.want)
		}
	}
}

// A list stream is a joined subwiki's feed, opened with the token in the
// query as Pinafore opens it; its events name the list.
func TestStreamListWithQueryToken(t *testing.T) {
	ta := startStatusAPI(t)
	ctx := context.Background()
	alice, bob, climate := ta.climateJoinedByBob()
	dial, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(dial, "ws"+strings.TrimPrefix(ta.URL, "http")+"/api/v1/streaming?stream=list&list="+
		climate.ID+"&access_token="+ta.tokenOf(bob, "read"), nil)
	if err != nil {
		t.Fatalf("open stream: %v", err)
	}
	defer conn.CloseNow()
	if got := conn.Subprotocol(); got != "" {
		t.Errorf("subprotocol %q chosen, none offered", got)
	}
	bobStream := &testStream{t: t, conn: conn}
	bobStream.syncStream()
	ta.publish(alice, "Outside the subwiki", "")
	inside := ta.publish(alice, "Inside the subwiki", climate.ID)
	bobStream.wantStatusEvent("list "+climate.ID, "update", inside.ID)
}

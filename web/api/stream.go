package api

import (
	"net/http"
	"sync"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// Streaming (mdoc methods/streaming.md): a member's open connection is
// told at once of what storage commits. Storage names each change
// (storage.OnChange); the hub hands it to every open stream's queue,
// and each stream, in its own goroutine, reads the post or notice again
// as its member through the timelines' own rules before it sends
// anything, so a stream shows nobody more than the timeline would.

const (
	// streamQueue is how many changes wait for one stream at most. A
	// client too slow to take them is disconnected (it reconnects and
	// reloads), so that it never holds up the writer or the others.
	streamQueue = 256
	// streamPing is how often a quiet stream is pinged (a WebSocket ping,
	// an SSE comment), so that proxies keep it and dead peers are found.
	streamPing = 30 * time.Second
	// streamWrite bounds the sending of one message.
	streamWrite = 10 * time.Second
	// maxMemberStreams is how many streams one member may hold open:
	// each costs a goroutine and reads for every change, and an app
	// needs a few (one a tab).
	maxMemberStreams = 16
)

// Texts of the streams that cannot be opened.
const (
	tooManyStreamsText = "Too many open streams: close some first."
	stoppingText       = "The server is stopping."
)

// streamHub hands each committed change to the open streams.
type streamHub struct {
	mu      sync.Mutex
	streams map[*stream]struct{}
	closed  bool
}

func newStreamHub() *streamHub {
	return &streamHub{streams: map[*stream]struct{}{}}
}

// publish queues c for every open stream; a stream whose queue is full
// is ended. It runs on storage's writer goroutine, so it never waits.
func (h *streamHub) publish(c storage.Change) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.streams {
		select {
		case s.changes <- c:
		default:
			s.end()
			delete(h.streams, s)
		}
	}
}

// open registers a new stream of the member. It refuses when the
// member holds maxMemberStreams already, or the hub is closed.
func (h *streamHub) open(memberID string) (*stream, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, &requestError{http.StatusServiceUnavailable, stoppingText}
	}
	open := 0
	for s := range h.streams {
		if s.memberID == memberID {
			open++
		}
	}
	if open >= maxMemberStreams {
		return nil, &requestError{http.StatusTooManyRequests, tooManyStreamsText}
	}
	s := &stream{memberID: memberID, changes: make(chan storage.Change, streamQueue),
		done: make(chan struct{}), subs: map[string]subscription{}}
	h.streams[s] = struct{}{}
	return s, nil
}

// leave forgets the stream.
func (h *streamHub) leave(s *stream) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.streams, s)
	s.end()
}

// close ends every stream and opens no more: the server is stopping.
func (h *streamHub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for s := range h.streams {
		s.end()
		delete(h.streams, s)
	}
}

// CloseStreams ends every open stream and accepts no more, so that the
// server's shutdown need not wait for them: call it when shutting down.
func (a *API) CloseStreams() { a.streams.close() }

// stream is one open connection of a member and its subscriptions.
type stream struct {
	memberID string
	changes  chan storage.Change
	done     chan struct{} // closed when the stream must end
	endOnce  sync.Once

	mu   sync.Mutex
	subs map[string]subscription // by subscription key
}

// end has the stream stop.
func (s *stream) end() { s.endOnce.Do(func() { close(s.done) }) }

// subscribe adds sub; unsubscribe removes it.
func (s *stream) subscribe(sub subscription) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.subs[sub.key()] = sub
}

func (s *stream) unsubscribe(sub subscription) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.subs, sub.key())
}

// subscriptions lists what the stream is subscribed to now.
func (s *stream) subscriptions() []subscription {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]subscription, 0, len(s.subs))
	for _, sub := range s.subs {
		out = append(out, sub)
	}
	return out
}

package federation

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// deliveriesTo makes n deliveries to host, of n posts made a second
// apart, their server failing or not.
func deliveriesTo(host string, n int, failing bool) []*storage.Delivery {
	var list []*storage.Delivery
	for i := range n {
		list = append(list, &storage.Delivery{ID: fmt.Sprintf("%s-%d", host, i), Host: host, HostFailing: failing,
			CreatedAt: time.Unix(int64(i), 0)}) // the i-th post's
	}
	return list
}

// dispatchAll takes deliveries until none may go, and counts them by host.
func dispatchAll(d *dispatcher) (map[string]int, []*storage.Delivery) {
	count := map[string]int{}
	var sent []*storage.Delivery
	for del := d.next(); del != nil; del = d.next() {
		count[del.Host]++
		sent = append(sent, del)
	}
	return count, sent
}

func TestDispatcherGivesFailingServersOneWorkerEach(t *testing.T) {
	d := newDispatcher()
	d.add(deliveriesTo("dead.example", 3, true))
	d.add(deliveriesTo("live.example", 6, false))
	full := d.fullHosts()
	slices.Sort(full)
	if want := []string{"dead.example", "live.example"}; !slices.Equal(full, want) {
		t.Errorf("full hosts %v, want %v", full, want)
	}
	count, sent := dispatchAll(d)
	if count["dead.example"] != 1 || count["live.example"] != perHostLimit {
		t.Fatalf("in flight %v, want 1 to the failing server and %d to the live one", count, perHostLimit)
	}
	// The failing server answers: it may take as many as any other.
	for _, del := range sent {
		if del.Host == "dead.example" {
			d.finished(del, storage.HostUp)
		}
	}
	if count, _ := dispatchAll(d); count["dead.example"] != 2 {
		t.Errorf("after it answered, %d more to the server, want its other 2", count["dead.example"])
	}
	// A live server that stops answering is failing from then on.
	d.finished(sent[len(sent)-1], storage.HostDown)
	if count, _ := dispatchAll(d); count["live.example"] != 0 {
		t.Errorf("%d more to a server that just failed with 3 in flight, want none", count["live.example"])
	}
}

func TestDispatcherCapsWorkersOnFailingServers(t *testing.T) {
	d := newDispatcher()
	for i := range failingWorkers + 10 {
		d.add(deliveriesTo(fmt.Sprintf("dead%d.example", i), 1, true))
	}
	d.add(deliveriesTo("live.example", 1, false))
	count, sent := dispatchAll(d)
	if count["live.example"] != 1 || len(sent) != failingWorkers+1 {
		t.Fatalf("sent %d, %d of them to the live server; want %d to failing servers and the live one", len(sent),
			count["live.example"], failingWorkers)
	}
	// One failing server gives its worker back: another may go.
	for _, del := range sent {
		if del.Host != "live.example" {
			d.finished(del, storage.HostDown)
			break
		}
	}
	if count, _ := dispatchAll(d); len(count) != 1 {
		t.Errorf("after one failing server finished, sent to %v; want one other failing server", count)
	}
}

func TestDispatcherForgetsServersWithNothingHeld(t *testing.T) {
	d := newDispatcher()
	d.add(deliveriesTo("dead.example", 1, true))
	_, sent := dispatchAll(d)
	d.finished(sent[0], storage.HostDown)
	if len(d.failing) != 0 || len(d.failingBusy) != 0 || d.held != 0 || d.free != deliveryWorkers {
		t.Errorf("after the only delivery finished: failing %v, in flight %v, held %d, free %d; want all empty",
			d.failing, d.failingBusy, d.held, d.free)
	}
}

// TestDispatcherSendsTheEarliestMadeFirst: with one worker free, a
// server's first post goes before other servers' later posts, though
// claimed after them, so that each post reaches everyone as early as it
// can, not all posts at the end together.
func TestDispatcherSendsTheEarliestMadeFirst(t *testing.T) {
	d := newDispatcher()
	posts := make([][]*storage.Delivery, 50) // to each server, posts 1, 2 and 3
	for i := range posts {
		posts[i] = deliveriesTo(fmt.Sprintf("s%d.example", i), 3, false)
		d.add(posts[i][:1])
		if del := d.next(); del != posts[i][0] {
			t.Fatalf("sent %v, want %s, the only one waiting", del, posts[i][0].ID)
		}
	}
	for post := 1; post <= 2; post++ { // claimed later, as they became due later
		for i := range posts {
			d.add(posts[i][post : post+1])
		}
	}
	late := deliveriesTo("late.example", 1, false)
	d.add(late)
	d.free = 1
	if got := d.next(); got != late[0] {
		t.Errorf("sent %s, want %s, the only first post waiting", got.ID, late[0].ID)
	}
	for i := range posts {
		d.finished(posts[i][0], storage.HostUp)
	}
	for range posts {
		if del := d.next(); del == nil || !strings.HasSuffix(del.ID, "-1") {
			t.Fatalf("sent %v while second posts wait", del)
		}
	}
}

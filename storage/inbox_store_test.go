package storage

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// TestInboundStoredTogetherShareACommit holds the writer while 20
// activities arrive, and checks that they wait as one group behind it,
// then are all stored, each duplicate id once.
func TestInboundStoredTogetherShareACommit(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()

	release, holding := make(chan struct{}), make(chan struct{})
	go db.write(ctx, func(tx *Tx) error {
		close(holding)
		<-release
		return nil
	})
	<-holding

	const n = 20
	stored := make([]bool, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			// Activities 0 and 1, 2 and 3 ... share an id: each pair is
			// one activity delivered twice.
			uri := fmt.Sprintf("https://r.example/a/%d", i/2)
			var err error
			if stored[i], err = db.StoreInbound(ctx, uri, "https://r.example/u/bob", "Create", "", []byte(`{}`)); err != nil {
				t.Error(err)
			}
		})
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		db.writes.mu.Lock()
		waiting := len(db.writes.waiting)
		db.writes.mu.Unlock()
		if waiting == n {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d activities wait behind the held write, want %d", waiting, n)
		}
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()

	for pair := 0; pair < n; pair += 2 {
		if stored[pair] == stored[pair+1] {
			t.Errorf("activity %d: stored %v and %v, want once", pair/2, stored[pair], stored[pair+1])
		}
	}
	var rows int
	if err := db.reader.QueryRow(`SELECT count(*) FROM inbox`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != n/2 {
		t.Errorf("%d inbound rows, want %d", rows, n/2)
	}
}

// TestInboundBatchesFollowOneAnother stores from many callers at once,
// over several batches, and checks that every caller returns with its
// activity stored.
func TestInboundBatchesFollowOneAnother(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 25 {
				uri := fmt.Sprintf("https://r.example/a/%d-%d", g, i)
				if ok, err := db.StoreInbound(ctx, uri, "https://r.example/u/bob", "Create", "", []byte(`{}`)); err != nil || !ok {
					t.Errorf("store %s = %v, %v", uri, ok, err)
				}
			}
		})
	}
	wg.Wait()
	if n, err := db.PendingInbound(ctx); err != nil || n != 200 {
		t.Errorf("pending = %d, %v; want 200", n, err)
	}
}

package federation

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"
)

// TestMediaCacheRemembersFailures: an image that 404s is asked for once
// within the failure window, whatever the number of page views; after
// it, the server is asked again, and an image that came back is shown.
func TestMediaCacheRemembersFailures(t *testing.T) {
	pic := testPNG(t, 4, 4)
	srv := startFileServer(t, map[string][2]string{
		"/pic.png":  {"image/png", string(pic)},
		"/page.png": {"image/png", "<html>not an image</html>"},
	})
	c := newTestMediaCache(t, true, 1<<20)
	ctx, now := context.Background(), time.Now()

	for i := range 3 {
		_, err := c.Image(ctx, srv.URL+"/gone.png", now.Add(time.Duration(i)*time.Minute))
		var status *StatusError
		if !errors.As(err, &status) || status.Code != http.StatusNotFound {
			t.Fatalf("view %d: err = %v, want the remote 404", i, err)
		}
		if _, err := c.Image(ctx, srv.URL+"/page.png", now); !errors.Is(err, ErrNotImage) {
			t.Fatalf("view %d: err = %v, want ErrNotImage", i, err)
		}
	}
	if got, want := srv.hitsOf("/gone.png"), 1; got != want {
		t.Errorf("fetches of the missing image within the window = %d, want %d", got, want)
	}
	if got, want := srv.hitsOf("/page.png"), 1; got != want {
		t.Errorf("fetches of the page named .png within the window = %d, want %d", got, want)
	}
	// A working image is not held back by another's failure.
	if _, err := c.Image(ctx, srv.URL+"/pic.png", now); err != nil {
		t.Fatal(err)
	}

	c.Image(ctx, srv.URL+"/gone.png", now.Add(11*time.Minute))
	if got, want := srv.hitsOf("/gone.png"), 2; got != want {
		t.Errorf("fetches after the window = %d, want %d", got, want)
	}
}

// TestMediaCacheFailuresBounded: endless broken images do not grow the
// memory of failures past its bound.
func TestMediaCacheFailuresBounded(t *testing.T) {
	c := newTestMediaCache(t, true, 1<<20)
	now := time.Now()
	c.mu.Lock()
	for i := range maxMediaFailures + 100 {
		c.rememberFailure(cacheName(fmt.Sprint(i)), errors.New("broken"), now)
	}
	n := len(c.failures)
	c.mu.Unlock()
	if n > maxMediaFailures {
		t.Errorf("failures remembered = %d, want at most %d", n, maxMediaFailures)
	}
	if err := c.failed(cacheName(fmt.Sprint(maxMediaFailures+99)), now); err == nil {
		t.Error("the latest failure is forgotten")
	}
}

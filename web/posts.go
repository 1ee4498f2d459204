package web

import (
	"net/http"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// FeedPageSize is how many entries a page of a feed lists before its
// link to older ones.
const FeedPageSize = 30

// deletePost deletes one of the member's posts or comments, and goes to
// the page named by next (the thread, for a comment), else the profile.
func (s *Server) deletePost(w http.ResponseWriter, r *http.Request) {
	me := currentMember(r)
	uploads, err := s.db.DeletePostUploads(r.Context(), me.ID, mux.Vars(r)["id"])
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, url := range uploads {
		s.removeUpload(url)
	}
	next := "/@" + me.Username
	if r.PostForm.Get("next") != "" {
		next = localPath(r.PostForm.Get("next"))
	}
	s.redirect(w, r, next, "Deleted.")
}

// postPage is the data of a post's page with its thread.
type postPage struct {
	Post    *storage.Post
	Mine    bool
	Liked   map[string]bool // by the viewer, of the post and its comments
	Boosted map[string]bool // by the viewer, of the post and its comments
	Thread  []*commentNode
	Comment commentForm // the top-level comment form
	Reply   commentForm // a reply form that failed, shown open under its comment
	// LocalCorrection: the current headline is a correction kept on
	// this instance only.
	LocalCorrection bool
	// CanLock: the viewer may lock and unlock the headline.
	CanLock bool
	// ParentPath leads to what a comment shown on its own page answers,
	// when the viewer may see it; "" otherwise.
	ParentPath string
	// Pinned: the viewer, its author, pinned the post to their profile.
	Pinned bool
	// CanRemove: the viewer may remove the post and its comments.
	CanRemove bool
}

// commentForm is what a member wrote in a comment form, sent again
// with the reason it was refused.
type commentForm struct {
	ParentID       string
	Text           string
	ContentWarning string
	Alts           []string // the descriptions typed in its image slots
	Error          string
}

// post shows a post and its thread to browsers; ActivityPub clients get
// the object from federation at the same address. A comment's address
// leads to its place in the thread.
func (s *Server) post(w http.ResponseWriter, r *http.Request) {
	page, err := s.loadPost(r, mux.Vars(r)["id"])
	if err != nil {
		s.failPost(w, r, err)
		return
	}
	if p := page.Post; p.RootID != "" {
		place, err := s.placeOf(r, p)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if place != ownPath(p) {
			http.Redirect(w, r, place, http.StatusSeeOther)
			return
		}
	}
	s.recordRead(r, page.Post)
	s.renderPost(w, r, http.StatusOK, page)
}

// ownPath is the address of a post's own page. A comment's leads to its
// place in the thread, or shows it alone to a viewer who may not see the
// post it is on.
func ownPath(p *storage.Post) string { return "/posts/" + p.ID }

// placeOf is where the viewer finds a post: a comment's place in its
// thread when they may see the thread's post, else its own page. A reply
// in a private conversation may be for someone who may not see the post
// it answers.
func (s *Server) placeOf(r *http.Request, p *storage.Post) (string, error) {
	if p.RootID == "" {
		return ownPath(p), nil
	}
	ok, err := s.db.MaySee(r.Context(), viewerOf(r), p.RootID)
	if err != nil || !ok {
		return ownPath(p), err
	}
	return postPath(p), nil
}

// viewerOf is who looks at a page: the member signed in, or a stranger.
// Storage decides what each may see.
func viewerOf(r *http.Request) string {
	if me := currentMember(r); me != nil {
		return me.ID
	}
	return storage.Stranger
}

// visiblePost returns a post the viewer may see, with its author and
// subwiki; any other is not found.
func (s *Server) visiblePost(r *http.Request, id string) (*storage.Post, error) {
	return s.db.VisiblePost(r.Context(), viewerOf(r), id)
}

// loadPost reads a post, its thread and the viewer's likes and boosts. A comment
// shown on its own page comes with the replies to it that the viewer
// may see, and a link to what it answers.
func (s *Server) loadPost(r *http.Request, id string) (*postPage, error) {
	ctx := r.Context()
	p, err := s.visiblePost(r, id)
	if err != nil {
		return nil, err
	}
	page := &postPage{Post: p, Liked: map[string]bool{}, Boosted: map[string]bool{}}
	var comments []*storage.Post
	if p.RootID == "" {
		comments, err = s.db.Thread(ctx, viewerOf(r), p.ID)
	} else if comments, err = s.db.Thread(ctx, viewerOf(r), p.RootID); err == nil {
		comments = repliesTo(p.ID, comments)
		page.ParentPath, err = s.parentPath(r, p)
	}
	if err != nil {
		return nil, err
	}
	page.Thread = buildThread(p.ID, comments)
	if me := currentMember(r); me != nil {
		page.Mine = p.AuthorID == me.ID
		if page.Pinned, err = s.db.IsPinned(ctx, me.ID, p.ID); err != nil {
			return nil, err
		}
		ids := []string{p.ID}
		for _, c := range comments {
			ids = append(ids, c.ID)
		}
		if page.Liked, err = s.db.LikedBy(ctx, me.ID, ids); err != nil {
			return nil, err
		}
		if page.Boosted, err = s.db.BoostedBy(ctx, me.ID, ids); err != nil {
			return nil, err
		}
	}
	if err := s.loadCorrections(ctx, page, currentMember(r)); err != nil {
		return nil, err
	}
	if page.CanRemove, err = s.canRemove(r, p); err != nil {
		return nil, err
	}
	return page, nil
}

// parentPath is where the viewer finds what the comment answers, "" when
// they may not see it.
func (s *Server) parentPath(r *http.Request, c *storage.Post) (string, error) {
	parent, err := s.visiblePost(r, c.ParentID)
	if storage.ErrorCode(err) == storage.ENotFound {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return s.placeOf(r, parent)
}

// failPost shows that a post is not here, or what else went wrong.
func (s *Server) failPost(w http.ResponseWriter, r *http.Request, err error) {
	if storage.ErrorCode(err) == storage.ENotFound {
		if s.showRemoval(w, r) {
			return
		}
		s.renderError(w, r, http.StatusNotFound, "There is no such post here.")
		return
	}
	s.fail(w, r, err)
}

// renderPost renders a post's page with the status.
func (s *Server) renderPost(w http.ResponseWriter, r *http.Request, status int, page *postPage) {
	p := page.Post
	title := p.Headline
	if title == "" {
		title = "Post by " + p.Author.Handle()
	}
	s.render(w, r, status, "post", title, page)
}

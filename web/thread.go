package web

import (
	"net/http"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// maxNesting is how deep replies are indented. Deeper replies are shown
// at the last level, in order, each saying whom it answers, so a long
// exchange stays readable on a phone.
const maxNesting = 6

// commentNode is a comment in a thread with the replies shown under it.
type commentNode struct {
	Post    *storage.Post
	ReplyTo *storage.Actor // whom a reply shown below its nesting level answers
	Replies []*commentNode
	Depth   int // 1 for a reply to the post
}

// repliesTo keeps of a thread's comments, oldest first, those below the
// comment id: the replies to it, and theirs.
func repliesTo(id string, comments []*storage.Post) []*storage.Post {
	below := map[string]bool{id: true}
	var out []*storage.Post
	for _, c := range comments {
		if below[c.ParentID] {
			below[c.ID] = true
			out = append(out, c)
		}
	}
	return out
}

// buildThread nests the comments of the post rootID, given oldest first,
// by the comment they reply to. A comment whose parent is gone (deleted,
// or never reached this server) is shown as a reply to the post.
func buildThread(rootID string, comments []*storage.Post) []*commentNode {
	nodes := map[string]*commentNode{}
	holder := map[string]*commentNode{} // the node whose Replies list a comment is in; nil at the top
	var top []*commentNode
	for _, c := range comments {
		node := &commentNode{Post: c, Depth: 1}
		nodes[c.ID] = node
		parent, ok := nodes[c.ParentID]
		switch {
		case !ok || c.ParentID == rootID:
			top = append(top, node)
		case parent.Depth < maxNesting:
			node.Depth = parent.Depth + 1
			parent.Replies = append(parent.Replies, node)
			holder[c.ID] = parent
		default:
			node.Depth, node.ReplyTo = parent.Depth, parent.Post.Author
			holder[c.ID] = holder[c.ParentID]
			holder[c.ID].Replies = append(holder[c.ID].Replies, node)
		}
	}
	return top
}

// comment publishes a member's comment on a post, or reply to a
// comment, and shows it in the thread.
func (s *Server) comment(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	form := commentForm{ParentID: mux.Vars(r)["id"], Text: r.PostForm.Get("text"),
		ContentWarning: r.PostForm.Get("content_warning"), Alts: altsFrom(r)}
	if err := s.allow(w, s.limits.comments, currentMember(r).ID); err != nil {
		s.refuseComment(w, r, form, err)
		return
	}
	images, err := s.storePostImages(r)
	if err != nil {
		s.refuseComment(w, r, form, err)
		return
	}
	c, err := s.db.Comment(ctx, storage.CommentCreate{
		AuthorID: currentMember(r).ID, ParentID: form.ParentID, Text: form.Text,
		ContentWarning: form.ContentWarning, Mentions: s.fed.ResolveMentions(ctx, form.Text),
		Images: images,
	})
	if err != nil {
		s.removePostImages(images)
		s.refuseComment(w, r, form, err)
		return
	}
	place, err := s.placeOf(r, c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, place, "Your comment is published.")
}

// refuseComment shows the thread again with the comment form that was
// sent, what was written in it and why it was refused.
func (s *Server) refuseComment(w http.ResponseWriter, r *http.Request, form commentForm, err error) {
	status, msg := s.uploadFailure(r, err)
	form.Error = msg
	parent, perr := s.visiblePost(r, form.ParentID)
	if perr != nil {
		s.failPost(w, r, perr)
		return
	}
	// The form is shown again where it was: in the thread, or on the
	// parent's own page when the member may not see the thread's post.
	place, perr := s.placeOf(r, parent)
	if perr != nil {
		s.fail(w, r, perr)
		return
	}
	pageID := parent.ID
	if parent.RootID != "" && place != ownPath(parent) {
		pageID = parent.RootID
	}
	page, perr := s.loadPost(r, pageID)
	if perr != nil {
		s.failPost(w, r, perr)
		return
	}
	if form.ParentID == pageID {
		page.Comment = form
	} else {
		page.Reply = form
	}
	s.renderPost(w, r, status, page)
}

// threadItem is what the templates of a post's page see of the post or
// of one comment: it, the viewer, and the page's likes and forms.
type threadItem struct {
	Post *storage.Post
	Node *commentNode // nil for the thread's post
	View view
	page *postPage
}

// threadItemOf is the post of the page in v, or the comment node.
func threadItemOf(v view, node *commentNode) threadItem {
	page, _ := v.Data.(*postPage)
	item := threadItem{Node: node, View: v, page: page}
	if node != nil {
		item.Post = node.Post
	} else if page != nil {
		item.Post = page.Post
	}
	return item
}

// Liked reports whether the viewer likes the post or comment.
func (t threadItem) Liked() bool { return t.page != nil && t.page.Liked[t.Post.ID] }

// Boosted reports whether the viewer boosted the post or comment.
func (t threadItem) Boosted() bool { return t.page != nil && t.page.Boosted[t.Post.ID] }

// Boostable reports whether the post or comment is for everyone, the
// only kind storage lets a member boost: others get no boost button.
func (t threadItem) Boostable() bool { return storage.Listed(t.Post.Visibility) }

// Place is its address on the page shown: the page's own for its post,
// a comment's place in the thread there. The page may be a comment's
// own, shown to a viewer who may not see the thread's post.
func (t threadItem) Place() string {
	if t.Node == nil || t.page == nil {
		return ownPath(t.Post)
	}
	return ownPath(t.page.Post) + "#post-" + t.Post.ID
}

// Comments is the address of the comments of the page shown, where
// deleting a comment goes back to.
func (t threadItem) Comments() string {
	if t.page == nil {
		return ownPath(t.Post) + "#comments"
	}
	return ownPath(t.page.Post) + "#comments"
}

// Mine reports whether the viewer wrote it.
func (t threadItem) Mine() bool { return t.View.Me != nil && t.View.Me.ID == t.Post.AuthorID }

// Reply is the reply to it that was refused, if any, to show again.
func (t threadItem) Reply() *commentForm {
	if t.page != nil && t.page.Reply.ParentID == t.Post.ID {
		return &t.page.Reply
	}
	return nil
}

package web

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// shape writes a thread as "id(reply reply)" for comparison.
func shape(nodes []*commentNode) string {
	var parts []string
	for _, n := range nodes {
		s := n.Post.ID
		if n.ReplyTo != nil {
			s += "→" + n.ReplyTo.Username
		}
		if len(n.Replies) > 0 {
			s += "(" + shape(n.Replies) + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func TestBuildThread(t *testing.T) {
	// comments makes comments from "id<parent" pairs, oldest first.
	comments := func(pairs ...string) []*storage.Post {
		var list []*storage.Post
		for _, p := range pairs {
			id, parent, _ := strings.Cut(p, "<")
			list = append(list, &storage.Post{ID: id, ParentID: parent, Author: &storage.Actor{Username: "u" + id}})
		}
		return list
	}
	chain := []string{"c1<root"}
	for i := 2; i <= 9; i++ {
		chain = append(chain, fmt.Sprintf("c%d<c%d", i, i-1))
	}
	tests := []struct {
		name     string
		comments []*storage.Post
		want     string
	}{
		{"none", nil, ""},
		{"flat", comments("a<root", "b<root"), "a b"},
		{"nested in order", comments("a<root", "b<root", "a1<a", "b1<b", "a2<a", "a1x<a1"), "a(a1(a1x) a2) b(b1)"},
		{"parent gone", comments("a<root", "b<gone", "b1<b"), "a b(b1)"},
		{"nesting stops at six levels", comments(chain...),
			"c1(c2(c3(c4(c5(c6 c7→uc6 c8→uc7 c9→uc8)))))"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := shape(buildThread("root", tt.comments)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

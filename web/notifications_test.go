package web

import (
	"strconv"
	"strings"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

func TestNoticeGroupNames(t *testing.T) {
	for _, tc := range []struct {
		actors int
		want   string
	}{
		{0, ""},
		{1, "a0"},
		{2, "a0 and a1"},
		{3, "a0, a1 and a2"},
		{4, "a0, a1 and 2 others"},
		{40, "a0, a1 and 38 others"},
	} {
		g := &storage.NotificationGroup{Kind: storage.NotifyLike}
		for i := range tc.actors {
			g.Actors = append(g.Actors, &storage.Actor{Username: "a" + string(rune('0'+i%10))})
		}
		ng := newNoticeGroup(g)
		var b strings.Builder
		for _, n := range ng.Named {
			b.WriteString(n.Before + n.Actor.Username)
		}
		if ng.Others > 0 {
			b.WriteString(" and " + strconv.Itoa(ng.Others) + " others")
		}
		if got := b.String(); got != tc.want {
			t.Errorf("%d actors: got %q, want %q", tc.actors, got, tc.want)
		}
	}
}

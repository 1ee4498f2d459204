package web

import (
	"context"

	"github.com/tidings-social/tidings/storage"
)

// placeComposeForm chooses where a new form posts: into the subwiki
// named in (a subwiki here), else where the form says already, else
// where the member posted last, if they may still choose it there (a
// subwiki they left is not offered again).
func (s *Server) placeComposeForm(ctx context.Context, me *storage.Member, form *composeForm, in string) error {
	if in != "" {
		sub, err := s.db.SubwikiByName(ctx, in)
		if err == nil {
			form.SubwikiID = sub.ID
			return nil
		}
		if storage.ErrorCode(err) != storage.ENotFound {
			return err
		}
	}
	if form.SubwikiID != "" {
		return nil
	}
	last, err := s.db.LastSubwikiPostedTo(ctx, me.ID)
	if err != nil || last == "" {
		return err
	}
	joined, err := s.db.FollowBetween(ctx, me.ID, last)
	if err != nil {
		return err
	}
	if joined != nil && joined.State == storage.FollowAccepted {
		form.SubwikiID = last
	}
	return nil
}

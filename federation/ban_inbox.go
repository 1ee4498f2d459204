package federation

import (
	"context"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// banNotice is a Block with a target (a ban from that group, as Lemmy
// and Mbin send it) or the Undo of one, possibly inside the group's
// Announce. A Block without a target is one person blocking another and
// is not read here.
type banNotice struct {
	id      string // the Block's id
	actor   string // the moderator
	account string
	group   string
	reason  string
	until   time.Time
	lifted  bool
	via     bool // inside an Announce
}

// readBan recognizes a ban, its Undo, or an Announce of either.
func readBan(raw map[string]any) (banNotice, bool) {
	var n banNotice
	if raw["type"] == "Announce" {
		inner, ok := raw["object"].(map[string]any)
		if !ok {
			return n, false
		}
		n, ok = readBan(inner)
		n.via = true
		return n, ok
	}
	block := raw
	if raw["type"] == "Undo" {
		inner, ok := raw["object"].(map[string]any)
		if !ok {
			return n, false
		}
		block, n.lifted = inner, true
	}
	if block["type"] != "Block" {
		return n, false
	}
	n.group = actorID(block["target"])
	if n.group == "" {
		return n, false
	}
	n.id, _ = block["id"].(string)
	n.actor = actorID(block["actor"])
	n.account = actorID(block["object"])
	n.reason, _ = block["summary"].(string)
	for _, key := range []string{"endTime", "expires"} {
		if s, ok := block[key].(string); ok {
			if t, err := time.Parse(time.RFC3339, s); err == nil {
				n.until = t
				break
			}
		}
	}
	return n, true
}

// onBan applies a remote group's ban of one of our members, or its
// lifting. It counts when the group itself passes it on (the group is
// the authority over who takes part in it) or when an actor of the
// group's own server sends it; anything else is ignored.
func (f *Federator) onBan(ctx context.Context, in *storage.Inbound, raw map[string]any) (bool, error) {
	n, ok := readBan(raw)
	if !ok {
		return false, nil
	}
	switch {
	case n.via && in.ActorURI != n.group:
		return true, ignore("a ban from %s passed on by %s, another actor", n.group, in.ActorURI)
	case !n.via && (in.ActorURI != n.actor || !sameHost(n.actor, n.group)):
		return true, ignore("a ban from %s sent by %s, who is not of the group's server", n.group, in.ActorURI)
	case n.account == "" || n.id == "":
		return true, ignore("a ban without an account or an id")
	}
	group, err := f.db.ActorByURI(ctx, n.group)
	if err != nil || group.Kind != storage.KindGroup {
		return true, ignore("a ban from %s, a group unknown here", n.group)
	}
	account, err := f.db.ActorByURI(ctx, n.account)
	if err != nil || !account.Local {
		return true, ignore("a ban of %s, who is not a member here", n.account)
	}
	var by string
	if moderator, err := f.db.ActorByURI(ctx, n.actor); err == nil {
		by = moderator.ID
	}
	wctx := storage.CompletingInbound(ctx, in)
	if n.lifted {
		err = f.db.LiftRemoteBan(wctx, group.ID, account.ID, n.id, by)
	} else {
		err = f.db.RecordRemoteBan(wctx, storage.RemoteBan{GroupID: group.ID, AccountID: account.ID, ByActorID: by,
			Reason: n.reason, Until: n.until, ActivityURI: n.id})
	}
	if code := storage.ErrorCode(err); code != "" && code != storage.EInternal {
		return true, ignore("%s", storage.ErrorMessage(err))
	}
	return true, err
}

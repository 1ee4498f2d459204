package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/tidings-social/tidings/storage"
)

const logPageSize = 50

// logSentences say each action of the moderation log as the middle of a
// sentence: "@max removed ...". Actions added later and missing here
// are shown by their name.
var logSentences = map[string]string{
	storage.ModDismissFlags:    "dismissed the flags about",
	storage.ModRemovePost:      "removed",
	storage.ModLockHeadline:    "locked the headline of",
	storage.ModUnlockHeadline:  "unlocked the headline of",
	storage.ModBanMember:       "banned",
	storage.ModUnbanMember:     "lifted the ban of",
	storage.ModSuspendMember:   "suspended",
	storage.ModUnsuspendMember: "lifted the suspension of",
	storage.ModBlockDomain:     "suspended the server",
	storage.ModLimitDomain:     "limited the server",
	storage.ModUnblockDomain:   "lifted the block or limit of the server",
	storage.ModGrantAdmin:      "made an admin",
	storage.ModRevokeAdmin:     "took the admin role from",
}

// logSentence is what the log says the action did.
func logSentence(action string) string {
	if s, ok := logSentences[action]; ok {
		return s
	}
	return "took the action “" + strings.ReplaceAll(action, "_", " ") + "” on"
}

// logLine is one entry of a moderation log as its page shows it.
type logLine struct {
	Entry  *storage.ModerationEntry
	Did    string // the sentence's verb and what follows it
	Target string // what was acted on, as shown
	Link   string // where it is, "" when not a web address
	When   time.Time
	Until  time.Time
}

// modlogPage is the data of a moderation log's page.
type modlogPage struct {
	Subwiki *storage.Subwiki // nil for the instance's log
	Lines   []logLine
	Older   string // the before of the next page, "" at the end
}

// subwikiLog shows a subwiki's moderation log to anyone: who acted, on
// what, why and when.
func (s *Server) subwikiLog(w http.ResponseWriter, r *http.Request) {
	sub, _, err := s.subwikiNamed(r)
	if err != nil {
		s.failSubwiki(w, r, err)
		return
	}
	s.renderLog(w, r, sub, "Moderation log of s/"+sub.Name)
}

// instanceLog shows the instance's moderation log to its members.
func (s *Server) instanceLog(w http.ResponseWriter, r *http.Request) {
	s.renderLog(w, r, nil, "Moderation log of "+s.cfg.InstanceName)
}

// renderLog renders a page of a log, before the entry named by the
// query's before.
func (s *Server) renderLog(w http.ResponseWriter, r *http.Request, sub *storage.Subwiki, title string) {
	id := ""
	if sub != nil {
		id = sub.ID
	}
	entries, err := s.db.ModerationLog(r.Context(), id, r.URL.Query().Get("before"), logPageSize)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page := modlogPage{Subwiki: sub}
	for _, e := range entries {
		page.Lines = append(page.Lines, lineOf(e))
	}
	if len(entries) == logPageSize {
		page.Older = entries[len(entries)-1].ID
	}
	s.render(w, r, http.StatusOK, "modlog", title, page)
}

// lineOf shows an entry: its target by its text, else its address.
func lineOf(e *storage.ModerationEntry) logLine {
	l := logLine{Entry: e, Did: logSentence(e.Action), Target: e.TargetText, When: e.CreatedAt, Until: e.Until}
	if strings.HasPrefix(e.TargetURI, "https://") || strings.HasPrefix(e.TargetURI, "http://") {
		l.Link = e.TargetURI
	}
	if l.Target == "" {
		l.Target = e.TargetURI
	}
	if l.Target == "" {
		l.Target = "an item"
	}
	return l
}

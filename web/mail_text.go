package web

import (
	"fmt"
	"strings"
	"text/template"

	"github.com/tidings-social/tidings/storage"
)

// mailData is what the text of a mail may say.
type mailData struct {
	InstanceName string
	SiteURL      string // e.g. https://news.example
	Name         string // the member's display name
	Username     string
	Link         string // what the mail asks the member to open
	Place        int    // the number in line, in a waiting-list mail in waitlist mode
}

// mailText is a kind of mail: its subject and body, as text/template.
type mailText struct {
	subject, body *template.Template
}

// mailTexts are the texts of each kind of mail, parsed once.
var mailTexts = map[string]mailText{
	storage.MailPasswordReset: newMailText(`Reset your password on {{.InstanceName}}`, `Hello {{.Name}},

someone, probably you, asked to reset the password of @{{.Username}} on
{{.InstanceName}}. To choose a new password, open this link within an hour:

{{.Link}}

The link works once. Choosing a new password signs you out everywhere.

If you did not ask for this, ignore this email: your password stays as it is.
`),
	storage.MailWaitingList: newMailText(`You are on the waiting list of {{.InstanceName}}`, `Hello {{.Name}},

thank you for joining {{.InstanceName}}. Your account @{{.Username}} is on
the waiting list{{if .Place}}: you are number {{.Place}} in line. An invite
from a member, or supporting {{.InstanceName}}, lets you in at once:

{{.Link}}

We will email you again when you are admitted.{{else}}: an admin looks at every new account before it can sign
in. We will email you again when yours is approved.{{end}}
`),
	storage.MailApproved: newMailText(`Your account on {{.InstanceName}} was approved`, `Hello {{.Name}},

your account @{{.Username}} on {{.InstanceName}} was approved. Welcome!
Sign in here:

{{.Link}}
`),
}

// mailSignature ends every mail, saying where it came from.
const mailSignature = "\n-- \n%s\n%s\n"

func newMailText(subject, body string) mailText {
	return mailText{
		subject: template.Must(template.New("subject").Parse(subject)),
		body:    template.Must(template.New("body").Parse(body)),
	}
}

// writeMail returns the subject and body of a queued mail.
func (m *mailer) writeMail(q *storage.Mail) (subject, body string, err error) {
	text, ok := mailTexts[q.Kind]
	if !ok {
		return "", "", fmt.Errorf("no text for mail of kind %q", q.Kind)
	}
	base := m.site.Scheme + "://" + m.site.Domain
	data := mailData{
		InstanceName: m.site.InstanceName, SiteURL: base,
		Name: q.Member.DisplayName, Username: q.Member.Username,
	}
	switch q.Kind {
	case storage.MailPasswordReset:
		if q.Payload.Token == "" {
			return "", "", fmt.Errorf("reset mail %s has no token", q.ID)
		}
		data.Link = base + PasswordResetPath(q.Payload.Token)
	case storage.MailApproved:
		data.Link = base + "/signin"
	case storage.MailWaitingList:
		if data.Place = q.Payload.Place; data.Place > 0 {
			data.Link = base + "/support"
		}
	}
	var s, b strings.Builder
	if err := text.subject.Execute(&s, data); err != nil {
		return "", "", fmt.Errorf("write subject of %s mail: %w", q.Kind, err)
	}
	if err := text.body.Execute(&b, data); err != nil {
		return "", "", fmt.Errorf("write %s mail: %w", q.Kind, err)
	}
	fmt.Fprintf(&b, mailSignature, data.InstanceName, base)
	return s.String(), b.String(), nil
}

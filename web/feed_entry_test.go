package web

import (
	"testing"

	"github.com/tidings-social/tidings/storage"
)

func TestEntryTitle(t *testing.T) {
	tests := []struct {
		name string
		post storage.Post
		want string
	}{
		{"headline", storage.Post{Headline: "Bridge opens", ContentWarning: "Heights", Content: "<p>Text</p>"}, "Bridge opens"},
		{"warning of a plain post", storage.Post{ContentWarning: "Spoilers", Content: "<p>The end</p>"}, "Spoilers"},
		{"text of a plain post", storage.Post{Content: "<p>Good <em>morning</em></p><p>all</p>"}, "Good morning all"},
		{"nothing to go by", storage.Post{Content: "<p></p>"}, "A post"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := entryTitle(&tt.post); got != tt.want {
				t.Errorf("entryTitle = %q, want %q", got, tt.want)
			}
		})
	}
}

package federation

import "testing"

func TestOrderingKey(t *testing.T) {
	const post, bob, alice = "https://a.example/posts/1", "https://b.example/users/bob", "https://a.example/users/alice"
	tests := []struct {
		name, activity, want string
	}{
		{"Create of a post", `{"type":"Create","object":{"id":"` + post + `","type":"Page"}}`, post},
		{"Update of a post", `{"type":"Update","object":{"id":"` + post + `","type":"Note"}}`, post},
		{"Delete of a post", `{"type":"Delete","object":{"id":"` + post + `","type":"Tombstone"}}`, post},
		{"Like", `{"type":"Like","object":"` + post + `"}`, post},
		{"Undo of a Like", `{"type":"Undo","object":{"type":"Like","id":"x","object":"` + post + `"}}`, post},
		{"Lock", `{"type":"Lock","object":"` + post + `"}`, post},
		{"Undo of a Lock", `{"type":"Undo","object":{"type":"Lock","object":"` + post + `"}}`, post},
		{"Offer of a correction", `{"type":"Offer","object":{"id":"` + post + `","type":"Page","name":"x"},"target":"` + post + `"}`, post},
		{"Announce of a post", `{"type":"Announce","object":"` + post + `"}`, post},
		{"Announce of a Create", `{"type":"Announce","object":{"type":"Create","object":{"id":"` + post + `","type":"Page"}}}`, post},
		{"Announce of an Undo of a Like", `{"type":"Announce","object":{"type":"Undo","object":{"type":"Like","object":"` + post + `"}}}`, post},
		{"Follow", `{"type":"Follow","object":"` + bob + `"}`, bob},
		{"Undo of a Follow", `{"type":"Undo","object":{"type":"Follow","actor":"` + alice + `","object":"` + bob + `"}}`, bob},
		{"Accept of a Follow", `{"type":"Accept","object":{"type":"Follow","id":"` + bob + `/follows/1","actor":"` + bob + `","object":"` + alice + `"}}`, bob + "/follows/1"},
		{"Reject of a Follow", `{"type":"Reject","object":{"type":"Follow","id":"` + bob + `/follows/1","actor":"` + bob + `","object":"` + alice + `"}}`, bob + "/follows/1"},
		{"Announce of an Accept", `{"type":"Announce","object":{"type":"Accept","object":{"type":"Follow","id":"f","object":"` + alice + `"}}}`, "f"},
		{"Update of an actor", `{"type":"Update","object":{"id":"` + alice + `","type":"Person"}}`, alice},
		{"Accept of an Offer by id", `{"type":"Accept","object":"https://b.example/offers/1"}`, "https://b.example/offers/1"},
		{"no object", `{"type":"Update"}`, ""},
		{"several objects", `{"type":"Flag","object":["` + bob + `","` + post + `"]}`, ""},
		{"not JSON", `{"type":`, ""},
	}
	for _, tt := range tests {
		if got := orderingKey([]byte(tt.activity)); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

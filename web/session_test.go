package web

import "testing"

func TestLocalPath(t *testing.T) {
	tests := []struct{ next, want string }{
		// Paths on this site pass, cleaned of dot segments and doubled slashes.
		{"/settings/profile", "/settings/profile"},
		{"/@alice?tab=posts", "/@alice?tab=posts"},
		{"/posts/01J0#comments", "/posts/01J0#comments"},
		{"/s/climate/", "/s/climate/"},
		{"/a/./b/../c", "/a/c"},
		{"/%2F%2Fevil.example", "/evil.example"},
		{"/%2f%2fevil.example/x", "/evil.example/x"},
		{"/..//evil.example", "/evil.example"},
		{"/../../etc", "/etc"},
		{"/x?next=//evil.example", "/x?next=//evil.example"},

		// Anything a browser could read as another site, or that is not a
		// path, goes to the front page.
		{"", "/"},
		{"settings", "/"},
		{"//evil.example/", "/"},
		{"///evil.example", "/"},
		{"/\\evil.example", "/"},
		{"/%5Cevil.example", "/"},
		{"/%5cevil.example", "/"},
		{"/./\\evil.example/x", "/"},
		{"/./%5Cevil.example/x", "/"},
		{"/.//evil.example", "/evil.example"},
		{"\\/evil.example", "/"},
		{"\\\\evil.example", "/"},
		{"/\t/evil.example", "/"},
		{"/%09/evil.example", "/"},
		{"/\n/evil.example", "/"},
		{"/%0A/evil.example", "/"},
		{"/\r\n/evil.example", "/"},
		{"\t/evil.example", "/"},
		{"\t//evil.example", "/"},
		{" //evil.example", "/"},
		{"/x\x00", "/"},
		{"/x%00", "/"},
		{"/x\x7f", "/"},
		{"https://evil.example/", "/"},
		{"HTTPS://evil.example/", "/"},
		{"http:/evil.example", "/"},
		{"//user@evil.example", "/"},
		{"javascript:alert(1)", "/"},
		{"JavaScript:alert(1)", "/"},
		{"data:text/html,hi", "/"},
		{"/%zz", "/"},
	}
	for _, tt := range tests {
		if got := localPath(tt.next); got != tt.want {
			t.Errorf("localPath(%q) = %q, want %q", tt.next, got, tt.want)
		}
	}
}

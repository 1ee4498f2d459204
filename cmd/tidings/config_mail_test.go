package main

import (
	"strings"
	"testing"
)

func TestMailConfigProblems(t *testing.T) {
	const good = "[mail]\nhost = \"smtp.example.org\"\nfrom = \"news@example.org\"\n"
	tests := []struct {
		name string
		doc  string
		want []string // each must appear in the error; none: valid
	}{
		{"off", "", nil},
		{"starttls by default", good, nil},
		{"tls on its port", good + "tls = \"tls\"\nport = 465\nusername = \"news\"\npassword = \"secret\"\nfrom_name = \"The News\"\n", nil},
		{"none on loopback", "[mail]\nhost = \"127.0.0.1\"\nport = 2525\nfrom = \"news@example.org\"\ntls = \"none\"\n", nil},
		{"none on localhost", "[mail]\nhost = \"localhost\"\nfrom = \"news@example.org\"\ntls = \"none\"\n", nil},
		{"none elsewhere", good + "tls = \"none\"\n",
			[]string{"test.toml:4: mail.tls: \"none\" would send passwords and reset links unencrypted", "not \"smtp.example.org\""}},
		{"unknown tls", good + "tls = \"ssl\"\n",
			[]string{"test.toml:4: mail.tls: \"ssl\" must be \"starttls\", \"tls\" or \"none\""}},
		{"no from", "[mail]\nhost = \"smtp.example.org\"\n",
			[]string{"mail.from: \"\" must be the address mail comes from", "set it in [mail]"}},
		{"from with a name", "[mail]\nhost = \"smtp.example.org\"\nfrom = \"News <news@example.org>\"\n",
			[]string{"test.toml:3: mail.from:", "its name is mail.from_name"}},
		{"host with a scheme", "[mail]\nhost = \"smtp://smtp.example.org\"\nfrom = \"news@example.org\"\n",
			[]string{"test.toml:2: mail.host: \"smtp://smtp.example.org\" is not a host name"}},
		{"host with a port", "[mail]\nhost = \"smtp.example.org:587\"\nfrom = \"news@example.org\"\n",
			[]string{"test.toml:2: mail.host:", "the port is mail.port"}},
		{"port out of range", good + "port = 70000\n",
			[]string{"test.toml:4: mail.port: 70000 is not a port number"}},
		{"password without a username", good + "password = \"secret\"\n",
			[]string{"test.toml:4: mail.password: is set but mail.username is not"}},
		{"settings without a host", "[mail]\nfrom = \"news@example.org\"\n",
			[]string{"mail.host: is not set, so mail is off"}},
		{"name on two lines", good + "from_name = \"The\\nNews\"\n",
			[]string{"test.toml:4: mail.from_name: must be at most 60 characters on one line"}},
		{"port as text", good + "port = \"587\"\n",
			[]string{"test.toml:4: mail.port: must be a whole number"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig("test.toml", []byte(tt.doc))
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("valid [mail] refused: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, want := range tt.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
		})
	}
}

// TestMailPasswordFromEnvironment: the SMTP password may be given in
// the environment instead of the file, and then takes precedence.
func TestMailPasswordFromEnvironment(t *testing.T) {
	doc := "[mail]\nhost = \"smtp.example.org\"\nfrom = \"news@example.org\"\nusername = \"news\"\npassword = \"from the file\"\n"
	cfg, err := ParseConfig("test.toml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(mailPasswordEnv, "")
	if got, want := string(cfg.webMail().Password), "from the file"; got != want {
		t.Errorf("password = %q, want %q", got, want)
	}
	t.Setenv(mailPasswordEnv, "from the environment")
	if got, want := string(cfg.webMail().Password), "from the environment"; got != want {
		t.Errorf("password = %q, want %q", got, want)
	}
}

// TestCheckConfigMail: check-config names a [mail] problem with its key.
func TestCheckConfigMail(t *testing.T) {
	file := writeConfig(t, "[mail]\nhost = \"smtp.example.org\"\nfrom = \"news@example.org\"\ntls = \"none\"\n")
	got := runCLI("", "check-config", file)
	if got.status != 1 || !strings.Contains(got.stderr, file+":6: mail.tls") {
		t.Errorf("check-config: %+v", got)
	}
}

package main

import (
	"fmt"
	"net/mail"
	"net/url"
	"os"
	"strings"
	"unicode/utf8"
)

// maxPrivacyPolicy bounds the privacy policy, in characters: a long
// policy is a few thousand words.
const maxPrivacyPolicy = 100_000

// aboutProblems checks the [server] keys of /about and /privacy.
func (s ServerConfig) aboutProblems() []problem {
	var ps []problem
	if s.Contact != "" && !validContact(s.Contact) {
		ps = append(ps, problem{"server.contact", fmt.Sprintf("%q must be an email address or an https address", s.Contact)})
	}
	if utf8.RuneCountInString(s.PrivacyPolicy) > maxPrivacyPolicy {
		ps = append(ps, problem{"server.privacy_policy", fmt.Sprintf("must be at most %d characters", maxPrivacyPolicy)})
	}
	if s.PrivacyPolicyFile == "" {
		return ps
	}
	if s.PrivacyPolicy != "" {
		return append(ps, problem{"server.privacy_policy_file", "set privacy_policy or privacy_policy_file, not both"})
	}
	if _, err := s.privacyPolicy(); err != nil {
		ps = append(ps, problem{"server.privacy_policy_file", err.Error()})
	}
	return ps
}

// validContact accepts a bare email address or an http(s) address.
func validContact(contact string) bool {
	if a, err := mail.ParseAddress(contact); err == nil && a.Name == "" && a.Address == contact {
		return true
	}
	u, err := url.Parse(contact)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && !strings.ContainsAny(contact, " \t\r\n")
}

// privacyPolicy returns the privacy policy in Markdown, read from
// privacy_policy_file when that is set (once, at start: a change needs a
// restart), else privacy_policy; "" for the default text.
func (s ServerConfig) privacyPolicy() (string, error) {
	if s.PrivacyPolicyFile == "" {
		return s.PrivacyPolicy, nil
	}
	b, err := os.ReadFile(s.PrivacyPolicyFile)
	if err != nil {
		return "", fmt.Errorf("cannot read %s: %w", s.PrivacyPolicyFile, err)
	}
	if !utf8.Valid(b) {
		return "", fmt.Errorf("%s is not UTF-8 text", s.PrivacyPolicyFile)
	}
	if n := utf8.RuneCount(b); n > maxPrivacyPolicy {
		return "", fmt.Errorf("%s has %d characters; at most %d", s.PrivacyPolicyFile, n, maxPrivacyPolicy)
	}
	return string(b), nil
}

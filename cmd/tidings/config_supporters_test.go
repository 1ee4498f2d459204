package main

import (
	"strings"
	"testing"
)

func TestSupportersConfigProblems(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  SupportersConfig
		want string // the key named, "" for none
	}{
		{"off", SupportersConfig{}, ""},
		{"test keys", SupportersConfig{StripeSecretKey: "sk_test_123", StripeWebhookSecret: "whsec_abc", StripeAPIURL: "http://127.0.0.1:12111"}, ""},
		{"restricted key", SupportersConfig{StripeSecretKey: "rk_live_1"}, ""},
		{"publishable key", SupportersConfig{StripeSecretKey: "pk_test_1"}, "supporters.stripe_secret_key"},
		{"webhook secret", SupportersConfig{StripeWebhookSecret: "sk_test_1"}, "supporters.stripe_webhook_secret"},
		{"api url", SupportersConfig{StripeAPIURL: "127.0.0.1:12111"}, "supporters.stripe_api_url"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ps := tc.cfg.problems()
			if tc.want == "" && len(ps) > 0 {
				t.Fatalf("problems %v, want none", ps)
			}
			if tc.want != "" && (len(ps) != 1 || !strings.Contains(ps[0].key, tc.want)) {
				t.Fatalf("problems %v, want one naming %s", ps, tc.want)
			}
		})
	}
}

// The keys come from the environment when it has them, and never print.
func TestStripeKeysFromTheEnvironment(t *testing.T) {
	t.Setenv(stripeSecretKeyEnv, "sk_test_from_env")
	c := &Config{Supporters: SupportersConfig{StripeSecretKey: "sk_test_from_file", StripeWebhookSecret: "whsec_file"}}
	s := c.webStripe()
	if string(s.SecretKey) != "sk_test_from_env" || string(s.WebhookSecret) != "whsec_file" {
		t.Errorf("keys %q, %q; want the environment's secret key and the file's webhook secret", string(s.SecretKey), string(s.WebhookSecret))
	}
	if printed := strings.Join([]string{s.SecretKey.String(), s.WebhookSecret.String()}, " "); strings.Contains(printed, "sk_") || strings.Contains(printed, "whsec_") {
		t.Errorf("the keys print as %q", printed)
	}
}

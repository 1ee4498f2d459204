package main

import (
	"os"
	"path/filepath"
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
		{"currency and tiers", SupportersConfig{Currency: "EUR", HostingCostsCentsPerMonth: 5000, Tiers: []TierConfig{
			{Name: "Monthly", AmountCents: 500, Interval: "month"}, {Name: "Patron", AmountCents: 50000, Interval: "year", StripePriceID: "price_123"}}}, ""},
		{"currency", SupportersConfig{Currency: "dollars"}, "supporters.currency"},
		{"hosting costs", SupportersConfig{HostingCostsCentsPerMonth: -1}, "supporters.hosting_costs_cents_per_month"},
		{"tier without name", SupportersConfig{Tiers: []TierConfig{{AmountCents: 500, Interval: "month"}}}, "supporters.tiers[0].name"},
		{"tier names alike", SupportersConfig{Tiers: []TierConfig{{Name: "Monthly", AmountCents: 500, Interval: "month"},
			{Name: "monthly", AmountCents: 900, Interval: "month"}}}, "supporters.tiers[1].name"},
		{"tier amount", SupportersConfig{Tiers: []TierConfig{{Name: "Tiny", AmountCents: 10, Interval: "month"}}}, "supporters.tiers[0].amount_cents"},
		{"tier interval", SupportersConfig{Tiers: []TierConfig{{Name: "Weekly", AmountCents: 500, Interval: "week"}}}, "supporters.tiers[0].interval"},
		{"tier price", SupportersConfig{Tiers: []TierConfig{{Name: "Monthly", AmountCents: 500, Interval: "month", StripePriceID: "prod_1"}}}, "supporters.tiers[0].stripe_price_id"},
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

// Without tiers in the config, the site offers $12.99 a month and $100 a
// year in dollars; tiers from a TOML file replace them.
func TestSupportTiers(t *testing.T) {
	c := DefaultConfig()
	s := c.webSupport()
	if s.Currency != "usd" || len(s.Tiers) != 2 || s.Tiers[0].AmountCents != 1299 || s.Tiers[0].Interval != "month" ||
		s.Tiers[1].AmountCents != 10000 || s.Tiers[1].Interval != "year" {
		t.Errorf("default support %+v, want $12.99 a month and $100 a year in usd", s)
	}
	path := filepath.Join(t.TempDir(), "tidings.toml")
	file := "[server]\ndomain = \"news.example\"\nscheme = \"https\"\n[supporters]\ncurrency = \"EUR\"\nhosting_costs_cents_per_month = 3000\n" +
		"[[supporters.tiers]]\nname = \"Reader\"\namount_cents = 300\ninterval = \"month\"\n"
	if err := os.WriteFile(path, []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	loaded, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	s = loaded.webSupport()
	if s.Currency != "eur" || s.HostingCostsCents != 3000 || len(s.Tiers) != 1 || s.Tiers[0].Name != "Reader" || s.Tiers[0].AmountCents != 300 {
		t.Errorf("support from the file %+v, want one tier Reader of 300 eur cents and 3000 of hosting", s)
	}
}

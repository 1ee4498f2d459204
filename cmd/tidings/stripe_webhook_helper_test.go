package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"
)

// testWebhookSecret signs the events tests send.
const testWebhookSecret = "whsec_test_secret"

// withStripe points an instance at the stripe-mock, with the test's
// webhook secret.
func withStripe(mock *stripeMock) func(*Config) {
	return func(c *Config) {
		c.Supporters.StripeSecretKey = "sk_test_123"
		c.Supporters.StripeWebhookSecret = testWebhookSecret
		c.Supporters.StripeAPIURL = mock.URL
	}
}

// stripeEvent builds a webhook event's JSON as Stripe sends it.
func stripeEvent(t *testing.T, id, kind, apiVersion string, object map[string]any) []byte {
	t.Helper()
	body, err := json.Marshal(map[string]any{
		"id": id, "object": "event", "type": kind, "api_version": apiVersion,
		"created": time.Now().Unix(), "livemode": false, "pending_webhooks": 1,
		"data": map[string]any{"object": object},
	})
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// stripeSignature is the Stripe-Signature header of body signed with
// secret at the time: t=...,v1=HMAC-SHA256(secret, "t.body").
func stripeSignature(body []byte, secret string, at time.Time) string {
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "%d.", at.Unix())
	mac.Write(body)
	return fmt.Sprintf("t=%d,v1=%s", at.Unix(), hex.EncodeToString(mac.Sum(nil)))
}

// postWebhook sends body to the instance's Stripe webhook with the
// signature header ("" for none).
func postWebhook(t *testing.T, inst *instance, body []byte, signature string) page {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, inst.URL+"/webhooks/stripe", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if signature != "" {
		req.Header.Set("Stripe-Signature", signature)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	text, _ := io.ReadAll(resp.Body)
	return page{Status: resp.StatusCode, Body: string(text)}
}

// sendEvent signs the event with the test's secret now and sends it.
func sendEvent(t *testing.T, inst *instance, body []byte) page {
	t.Helper()
	return postWebhook(t, inst, body, stripeSignature(body, testWebhookSecret, time.Now()))
}

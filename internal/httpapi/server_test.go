package httpapi_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riskd/riskd/internal/httpapi"
	"github.com/riskd/riskd/internal/stripeclient"
	"github.com/riskd/riskd/pipeline"
)

type fakeRefresher struct {
	mu       sync.Mutex
	running  bool
	triggers []string
}

func (f *fakeRefresher) Trigger(tr pipeline.Trigger, ids ...string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.running {
		return pipeline.ErrAlreadyRunning
	}
	f.running = true
	f.triggers = append(f.triggers, fmt.Sprint(tr, ids))
	return nil
}
func (f *fakeRefresher) LastRun() *pipeline.Run { return nil }
func (f *fakeRefresher) Running() bool          { f.mu.Lock(); defer f.mu.Unlock(); return f.running }

type fakeWebhooks struct{ events []pipeline.Event }

func (f *fakeWebhooks) Handle(_ context.Context, ev pipeline.Event) error {
	f.events = append(f.events, ev)
	return nil
}

const secret = "whsec_test_secret"

func newServer(t *testing.T) (*httptest.Server, *fakeRefresher, *fakeWebhooks) {
	r, wh := &fakeRefresher{}, &fakeWebhooks{}
	s := &httpapi.Server{Refresher: r, Webhooks: wh,
		ParseEvent: func(p []byte, sig string) (pipeline.Event, error) { return stripeclient.ParseEvent(p, sig, secret) }}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv, r, wh
}

func post(t *testing.T, url, body string, header map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestRefresh_AcceptedThenConflict(t *testing.T) {
	srv, r, _ := newServer(t)
	if code, body := post(t, srv.URL+"/v1/refresh", "", nil); code != http.StatusAccepted {
		t.Fatalf("first trigger: %d %s", code, body)
	}
	code, body := post(t, srv.URL+"/v1/refresh", `{"accounts": ["fca_1"]}`, nil)
	if code != http.StatusConflict || !strings.Contains(body, `"conflict"`) {
		t.Fatalf("second trigger: %d %s, want 409 conflict", code, body)
	}
	if len(r.triggers) != 1 {
		t.Fatalf("triggers = %v", r.triggers)
	}
	if code, body := post(t, srv.URL+"/v1/refresh", `{"accounts": "fca_1"}`, nil); code != http.StatusBadRequest || !strings.Contains(body, "accounts") {
		t.Fatalf("bad body: %d %s, want 400 naming accounts", code, body)
	}
}

func sign(payload string, at time.Time, key string) string {
	mac := hmac.New(sha256.New, []byte(key))
	fmt.Fprintf(mac, "%d.%s", at.Unix(), payload)
	return fmt.Sprintf("t=%d,v1=%s", at.Unix(), hex.EncodeToString(mac.Sum(nil)))
}

func TestWebhook_VerifiesSignatures(t *testing.T) {
	srv, _, wh := newServer(t)
	event := `{"id":"evt_1","object":"event","api_version":"2023-10-16","created":1700000000,"type":"financial_connections.account.refreshed_transactions","data":{"object":{"id":"fca_1","object":"financial_connections.account"}}}`
	now := time.Now()
	for _, tc := range []struct {
		name, body, sig string
		want            int
	}{
		{"no signature", event, "", http.StatusBadRequest},
		{"wrong secret", event, sign(event, now, "whsec_other"), http.StatusBadRequest},
		{"tampered body", strings.Replace(event, "fca_1", "fca_2", 1), sign(event, now, secret), http.StatusBadRequest},
		{"too old", event, sign(event, now.Add(-10*time.Minute), secret), http.StatusBadRequest},
		{"other api version", strings.Replace(event, "2023-10-16", "2026-08-26.dahlia", 1),
			sign(strings.Replace(event, "2023-10-16", "2026-08-26.dahlia", 1), now, secret), http.StatusBadRequest},
		{"valid", event, sign(event, now, secret), http.StatusOK},
	} {
		code, body := post(t, srv.URL+"/webhooks/stripe", tc.body, map[string]string{"Stripe-Signature": tc.sig})
		if code != tc.want {
			t.Errorf("%s: %d %s, want %d", tc.name, code, body, tc.want)
		}
	}
	if len(wh.events) != 1 || wh.events[0].AccountID != "fca_1" || wh.events[0].ID != "evt_1" {
		t.Fatalf("handled %+v, want the one valid event for fca_1", wh.events)
	}
}

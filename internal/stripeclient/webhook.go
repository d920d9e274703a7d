package stripeclient

import (
	"context"
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/riskd/riskd/internal/metrics"
	"github.com/riskd/riskd/pipeline"
)

// ParseEvent verifies a webhook delivery's Stripe-Signature with the endpoint secret (whsec_...),
// checks its age (5 minutes) and API version (2023-10-16, what stripe-go v76 decodes), and returns
// the event. Failures are EINVALID with a message safe to return to the sender.
func ParseEvent(payload []byte, signature, secret string) (pipeline.Event, error) {
	ev, err := webhook.ConstructEvent(payload, signature, secret)
	if err != nil {
		switch {
		case errors.Is(err, webhook.ErrNotSigned):
			return pipeline.Event{}, pipeline.Errorf(pipeline.EINVALID, "Stripe-Signature: missing")
		case errors.Is(err, webhook.ErrInvalidHeader), errors.Is(err, webhook.ErrNoValidSignature):
			return pipeline.Event{}, pipeline.Errorf(pipeline.EINVALID, "Stripe-Signature: no valid signature")
		case errors.Is(err, webhook.ErrTooOld):
			return pipeline.Event{}, pipeline.Errorf(pipeline.EINVALID, "Stripe-Signature: timestamp too old")
		}
		return pipeline.Event{}, pipeline.Errorf(pipeline.EINVALID, "event: %v", err)
	}
	out := pipeline.Event{ID: ev.ID, Type: string(ev.Type), Created: time.Unix(ev.Created, 0).UTC()}
	if strings.HasPrefix(out.Type, "financial_connections.account.") && ev.Data != nil {
		var obj struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(ev.Data.Raw, &obj); err != nil {
			return pipeline.Event{}, pipeline.Errorf(pipeline.EINVALID, "event %s: data.object: %v", ev.ID, err)
		}
		out.AccountID = obj.ID
	}
	return out, nil
}

// RequestCounts returns the requests sent, retries and 429 answers so far.
func (c *Client) RequestCounts() (requests, retries, rateLimited int64) {
	return c.stats.Total(), c.stats.Retries.Load(), c.stats.RateLimit.Load()
}

// Collect writes the client's request metrics.
func (c *Client) Collect(_ context.Context, w *metrics.Writer) error {
	w.Family("riskd_stripe_requests_total", "counter", "Requests sent to Stripe, by endpoint and HTTP status (retries included).")
	reqs := c.stats.Requests()
	keys := make([]RequestKey, 0, len(reqs))
	for k := range reqs {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return keys[i].Endpoint < keys[j].Endpoint || keys[i].Endpoint == keys[j].Endpoint && keys[i].Status < keys[j].Status
	})
	for _, k := range keys {
		w.Sample("riskd_stripe_requests_total", float64(reqs[k]), "endpoint", k.Endpoint, "status", k.Status)
	}
	w.Family("riskd_stripe_retries_total", "counter", "Requests to Stripe retried after a retryable failure.")
	w.Sample("riskd_stripe_retries_total", float64(c.stats.Retries.Load()))
	w.Family("riskd_stripe_rate_limited_total", "counter", "429 answers from Stripe.")
	w.Sample("riskd_stripe_rate_limited_total", float64(c.stats.RateLimit.Load()))
	return w.Err()
}

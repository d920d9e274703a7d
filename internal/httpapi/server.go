// Package httpapi is riskd's JSON API: the score endpoint the lending flow calls, refresh
// triggers for operators, read-only SQL for analysts, and health.
package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/riskd/riskd/internal/metrics"
	"github.com/riskd/riskd/pipeline"
)

// Scorer makes decisions.
type Scorer interface {
	Score(ctx context.Context, req pipeline.ScoreRequest) (*pipeline.DecisionRecord, error)
}

// Refresher starts refresh runs in the background and reports on them.
type Refresher interface {
	// Trigger starts a run and returns at once; pipeline.ErrAlreadyRunning if one is running.
	Trigger(trigger pipeline.Trigger, accountIDs ...string) error
	LastRun() *pipeline.Run
	Running() bool
}

// Querier runs read-only analyst SQL.
type Querier interface {
	Query(ctx context.Context, query string, maxRows int) (*pipeline.QueryResult, error)
}

// Webhooks processes verified Stripe events.
type Webhooks interface {
	Handle(ctx context.Context, ev pipeline.Event) error
}

// Server serves the API.
type Server struct {
	Addr      string
	Scorer    Scorer
	Refresher Refresher
	Querier   Querier
	Logger    *slog.Logger

	// ParseEvent verifies a webhook body and its Stripe-Signature header; nil disables
	// POST /webhooks/stripe (no endpoint secret configured).
	ParseEvent func(payload []byte, signature string) (pipeline.Event, error)
	Webhooks   Webhooks
	// Collectors write GET /metrics.
	Collectors []metrics.Collector

	ln  net.Listener
	srv *http.Server
	err chan error
}

// Open starts listening and serving in the background.
func (s *Server) Open() error {
	ln, err := net.Listen("tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.Addr, err)
	}
	s.ln = ln
	s.srv = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	s.err = make(chan error, 1)
	go func() { s.err <- s.srv.Serve(ln) }()
	return nil
}

// URL returns the base URL the server listens on.
func (s *Server) URL() string { return "http://" + s.ln.Addr().String() }

// Close stops accepting requests and waits up to 5 s for requests in flight.
func (s *Server) Close() error {
	if s.srv == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if serr := <-s.err; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return err
}

// Handler returns the API's routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.health)
	mux.HandleFunc("POST /v1/score", s.score)
	mux.HandleFunc("POST /v1/refresh", s.refresh)
	mux.HandleFunc("POST /v1/sql", s.sql)
	mux.HandleFunc("POST /webhooks/stripe", s.webhook)
	mux.HandleFunc("GET /metrics", s.metrics)
	return mux
}

func (s *Server) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	body := map[string]any{"status": "ok", "refreshing": s.Refresher.Running()}
	if run := s.Refresher.LastRun(); run != nil {
		body["last_run"] = runJSON(run)
	}
	writeJSON(w, http.StatusOK, body)
}

func runJSON(r *pipeline.Run) map[string]any {
	return map[string]any{"id": r.ID, "trigger": r.Trigger, "status": r.Status, "started_at": r.StartedAt,
		"finished_at": r.FinishedAt, "accounts": r.AccountsTotal, "succeeded": r.AccountsSucceeded,
		"failed": r.AccountsFailed, "skipped": r.AccountsSkipped, "transactions": r.Transactions}
}

type scoreRequest struct {
	Account    string          `json:"account"`
	AsOf       json.RawMessage `json:"as_of"`
	Amount     int64           `json:"amount"`      // proposed debit, cents
	SettleDate string          `json:"settle_date"` // YYYY-MM-DD
}

func (s *Server) score(w http.ResponseWriter, r *http.Request) {
	var req scoreRequest
	if err := decode(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	asOf, err := parseTime("as_of", req.AsOf)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var settle time.Time
	if req.SettleDate != "" {
		if settle, err = time.Parse(time.DateOnly, req.SettleDate); err != nil {
			s.error(w, r, pipeline.Errorf(pipeline.EINVALID, "settle_date: must be YYYY-MM-DD"))
			return
		}
	}
	d, err := s.Scorer.Score(r.Context(), pipeline.ScoreRequest{AccountID: req.Account, AsOf: asOf,
		AmountCents: req.Amount, SettleDate: settle})
	if err != nil {
		s.error(w, r, err)
		return
	}
	body := map[string]any{
		"id": d.ID, "account": d.AccountID, "as_of": d.AsOf.Unix(), "decided_at": d.DecidedAt.Unix(),
		"decision": d.Result.Decision, "score": d.Result.Score, "reasons": d.Result.Reasons,
		"policy_version": d.Result.PolicyVersion, "ownership": d.Detail.Ownership, "cashflow": d.Detail.Cashflow,
	}
	if d.AmountCents > 0 {
		body["amount"] = d.AmountCents
		body["debit"] = d.Result.Debit
	}
	writeJSON(w, http.StatusOK, body)
}

type refreshRequest struct {
	Accounts []string `json:"accounts"`
}

func (s *Server) refresh(w http.ResponseWriter, r *http.Request) {
	var req refreshRequest
	if r.ContentLength != 0 {
		if err := decode(r, &req); err != nil {
			s.error(w, r, err)
			return
		}
	}
	if err := s.Refresher.Trigger(pipeline.TriggerManual, req.Accounts...); err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"status": "accepted"})
}

type sqlRequest struct {
	Query   string `json:"query"`
	MaxRows int    `json:"max_rows"`
}

func (s *Server) sql(w http.ResponseWriter, r *http.Request) {
	var req sqlRequest
	if err := decode(r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	if req.Query == "" {
		s.error(w, r, pipeline.Errorf(pipeline.EINVALID, "query: required"))
		return
	}
	res, err := s.Querier.Query(r.Context(), req.Query, req.MaxRows)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// webhook accepts a Stripe event: 200 once it is recorded (duplicates included), 400 when the
// signature or body is bad (Stripe retries non-2xx, so only a bad request may be refused).
func (s *Server) webhook(w http.ResponseWriter, r *http.Request) {
	if s.ParseEvent == nil {
		s.error(w, r, pipeline.Errorf(pipeline.EUNAVAILABLE, "Webhooks are not configured: set STRIPE_WEBHOOK_SECRET."))
		return
	}
	payload, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		s.error(w, r, pipeline.Errorf(pipeline.EINVALID, "body: %v", err))
		return
	}
	ev, err := s.ParseEvent(payload, r.Header.Get("Stripe-Signature"))
	if err != nil {
		s.logger().Warn("webhook refused", "err", err)
		s.error(w, r, err)
		return
	}
	if err := s.Webhooks.Handle(r.Context(), ev); err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"received": true})
}

func (s *Server) metrics(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	mw := metrics.NewWriter(w)
	for _, c := range s.Collectors {
		if err := c.Collect(r.Context(), mw); err != nil {
			s.logger().Error("metrics", "err", err)
			return
		}
	}
}

// decode reads a JSON body strictly: unknown fields and wrong types are errors naming the field.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		var se *json.SyntaxError
		switch {
		case errors.As(err, &te):
			return pipeline.Errorf(pipeline.EINVALID, "%s: must be %s, not %s", te.Field, te.Type, te.Value)
		case errors.As(err, &se):
			return pipeline.Errorf(pipeline.EINVALID, "body: invalid JSON at byte %d", se.Offset)
		default:
			return pipeline.Errorf(pipeline.EINVALID, "body: %v", err)
		}
	}
	return nil
}

// parseTime accepts unix seconds or an RFC 3339 string; absent or null is the zero time.
func parseTime(field string, raw json.RawMessage) (time.Time, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return time.Time{}, nil
	}
	var secs int64
	if err := json.Unmarshal(raw, &secs); err == nil {
		return time.Unix(secs, 0).UTC(), nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, pipeline.Errorf(pipeline.EINVALID, "%s: must be unix seconds or an RFC 3339 time", field)
}

var statusOf = map[string]int{
	pipeline.EINVALID:     http.StatusBadRequest,
	pipeline.ENOTFOUND:    http.StatusNotFound,
	pipeline.ECONFLICT:    http.StatusConflict,
	pipeline.EUNAVAILABLE: http.StatusServiceUnavailable,
	pipeline.EINTERNAL:    http.StatusInternalServerError,
}

// error writes err as {"error":{"code","message"}}; internal errors are logged in full and shown
// to the client only as "Internal error.".
func (s *Server) error(w http.ResponseWriter, r *http.Request, err error) {
	code := pipeline.ErrorCode(err)
	if code == pipeline.EINTERNAL {
		s.logger().Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	writeJSON(w, statusOf[code], map[string]any{"error": map[string]string{"code": code, "message": pipeline.ErrorMessage(err)}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v) // the client went away; nothing to do
}

package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/riskd/riskd/internal/app"
	"github.com/riskd/riskd/internal/store"
	"github.com/riskd/riskd/pipeline"
)

func runSQL(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("riskctl sql", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", app.EnvString("RISKD_DB", "./data/risk.duckdb"), "DuckDB database file (RISKD_DB)")
	addr := fs.String("addr", app.EnvString("RISKD_ADDR", "127.0.0.1:8080"), "riskd to ask when it holds the database (RISKD_ADDR)")
	format := fs.String("format", "table", "output format: table, csv or json (one object per line)")
	maxRows := fs.Int("max-rows", store.DefaultMaxRows, "most rows to print")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, `riskctl sql: give exactly one query, e.g. riskctl sql "SELECT * FROM account_overview"`)
		return 2
	}
	if *format != "table" && *format != "csv" && *format != "json" {
		fmt.Fprintf(stderr, "riskctl sql: format: %q is not table, csv or json\n", *format)
		return 2
	}
	res, err := query(ctx, *db, *addr, fs.Arg(0), *maxRows)
	if err != nil {
		fmt.Fprintln(stderr, "riskctl sql:", err)
		return 1
	}
	if err := printResult(stdout, *format, res); err != nil {
		fmt.Fprintln(stderr, "riskctl sql:", err)
		return 1
	}
	if res.Truncated {
		fmt.Fprintf(stderr, "riskctl sql: only the first %d rows are shown (--max-rows)\n", len(res.Rows))
	}
	return 0
}

// query opens the database read-only; while riskd holds it (DuckDB allows one writer process and
// no readers beside it), it asks riskd to run the query instead.
func query(ctx context.Context, db, addr, q string, maxRows int) (*pipeline.QueryResult, error) {
	st, err := store.OpenReadOnly(ctx, db)
	if err == nil {
		defer st.Close()
		return st.Query(ctx, q, maxRows)
	}
	if pipeline.ErrorCode(err) != pipeline.EUNAVAILABLE {
		return nil, err
	}
	return queryRiskd(ctx, addr, q, maxRows)
}

func queryRiskd(ctx context.Context, addr, q string, maxRows int) (*pipeline.QueryResult, error) {
	body, _ := json.Marshal(map[string]any{"query": q, "max_rows": maxRows})
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+addr+"/v1/sql", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("the database is held by another process and riskd at %s did not answer: %w", addr, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		if json.NewDecoder(resp.Body).Decode(&e) == nil && e.Error.Message != "" {
			return nil, pipeline.Errorf(e.Error.Code, "%s", e.Error.Message)
		}
		return nil, fmt.Errorf("riskd answered %s", resp.Status)
	}
	var res pipeline.QueryResult
	dec := json.NewDecoder(resp.Body)
	dec.UseNumber()
	if err := dec.Decode(&res); err != nil {
		return nil, fmt.Errorf("decode riskd's answer: %w", err)
	}
	return &res, nil
}

func printResult(w io.Writer, format string, res *pipeline.QueryResult) error {
	switch format {
	case "csv":
		cw := csv.NewWriter(w)
		if err := cw.Write(res.Columns); err != nil {
			return err
		}
		for _, row := range res.Rows {
			rec := make([]string, len(row))
			for i, v := range row {
				rec[i] = cell(v, "")
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	case "json":
		enc := json.NewEncoder(w)
		for _, row := range res.Rows {
			obj := make(map[string]any, len(row))
			for i, v := range row {
				obj[res.Columns[i]] = v
			}
			if err := enc.Encode(obj); err != nil {
				return err
			}
		}
		return nil
	default:
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, strings.Join(res.Columns, "\t"))
		for _, row := range res.Rows {
			cells := make([]string, len(row))
			for i, v := range row {
				cells[i] = cell(v, "NULL")
			}
			fmt.Fprintln(tw, strings.Join(cells, "\t"))
		}
		return tw.Flush()
	}
}

// cell renders one value as text; null is NULL's rendering.
func cell(v any, null string) string {
	switch x := v.(type) {
	case nil:
		return null
	case string:
		return x
	case []any, map[string]any:
		b, _ := json.Marshal(x)
		return string(b)
	default:
		return fmt.Sprint(x)
	}
}

// Package store keeps riskd's data in DuckDB. It is the only importer of go-duckdb.
//
// One process owns the database file: the Store opens exactly one connector (two DuckDB instances
// on one file risk corruption), serializes writers on one connection, and lets readers share the
// pool. Bulk rows go through the Appender into unindexed staging tables and are merged with
// delete+insert inside one transaction per batch, which keeps every batch atomic without the
// PRIMARY KEY that makes DuckDB 1.1 ingest several times slower.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/marcboeker/go-duckdb"

	"github.com/riskd/riskd/pipeline"
	risksql "github.com/riskd/riskd/sql"
)

var _ pipeline.Store = (*Store)(nil)

// stagingSchema holds empty copies of the bulk tables that batches are appended into.
const stagingSchema = "riskd_staging"

// staged lists the tables written through staging.
var staged = []string{"customers", "accounts", "transactions", "owners"}

// Store is riskd's DuckDB database.
type Store struct {
	Now func() time.Time // clock for observed_at stamps; time.Now when nil

	connector *duckdb.Connector
	db        *sql.DB

	wmu   sync.Mutex // one writer at a time, on wconn
	wconn *sql.Conn

	latest *sql.Stmt // LatestFeatures, prepared once

	// Hook, if set, is called at named points inside CommitAccount's transaction (HookCommit,
	// HookCursor): a test seam for crash tests, which kill the process there.
	Hook func(point string)

	// beforeCommit, when set (by tests), runs inside CommitAccount's transaction just before
	// COMMIT; an error rolls the batch back, as a crash at that point would.
	beforeCommit func(*pipeline.AccountBatch) error
}

// Options tune DuckDB for a process.
type Options struct {
	// MemoryLimit caps DuckDB's buffer manager, e.g. "256MB" (DuckDB's default, 80% of RAM, when
	// empty); beyond it DuckDB evicts or spills to disk instead of growing the process.
	MemoryLimit string
}

// Open opens (creating if needed) the database at path, applies pending migrations, re-creates the
// analyst views and the staging tables. An empty path opens an in-memory database.
func Open(ctx context.Context, path string) (*Store, error) { return OpenWith(ctx, path, Options{}) }

// OpenWith is Open with options.
func OpenWith(ctx context.Context, path string, opts Options) (*Store, error) {
	if path != "" {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, fmt.Errorf("create database directory: %w", err)
		}
	}
	connector, err := duckdb.NewConnector(path, nil)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, explainLock(err))
	}
	s := &Store{connector: connector, db: sql.OpenDB(connector)}
	// Keep connections for the concurrent queries of a lookup (three for an account's features)
	// and of the HTTP handlers: database/sql keeps two idle by default and would open and
	// close a DuckDB connection on most lookups.
	s.db.SetMaxIdleConns(16)
	if opts.MemoryLimit != "" {
		if _, err := s.db.ExecContext(ctx, "SET memory_limit = ?", opts.MemoryLimit); err != nil {
			s.Close()
			return nil, pipeline.Errorf(pipeline.EINVALID, "memory limit %q: %v", opts.MemoryLimit, err)
		}
	}
	if err := s.init(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) init(ctx context.Context) error {
	// riskd reads nothing but its own file; analyst SQL must not reach the file system either.
	if _, err := s.db.ExecContext(ctx, "SET enable_external_access = false"); err != nil {
		return fmt.Errorf("disable external access: %w", err)
	}
	if err := s.migrate(ctx); err != nil {
		return err
	}
	if err := s.applyViews(ctx); err != nil {
		return err
	}
	var err error
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE SCHEMA IF NOT EXISTS %s;\n", stagingSchema)
	for _, t := range staged {
		fmt.Fprintf(&b, "CREATE OR REPLACE TABLE %s.%s AS SELECT * FROM main.%s LIMIT 0;\n", stagingSchema, t, t)
	}
	if _, err = s.db.ExecContext(ctx, b.String()); err != nil {
		return fmt.Errorf("create staging tables: %w", err)
	}
	if err := s.initFeaturesTable(ctx); err != nil {
		return err
	}
	if s.latest, err = s.db.PrepareContext(ctx, latestQuery); err != nil {
		return fmt.Errorf("prepare the materialized features lookup: %w", err)
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("writer connection: %w", err)
	}
	s.wconn = conn
	return nil
}

// Hook points inside CommitAccount.
const (
	HookCommit = "commit" // rows merged, account row and cursor not yet
	HookCursor = "cursor" // account row with the new cursor staged, not yet merged
)

func (s *Store) hook(point string) {
	if s.Hook != nil {
		s.Hook(point)
	}
}

// Close closes the database.
func (s *Store) Close() error {
	var errs []error
	if s.latest != nil {
		errs = append(errs, s.latest.Close())
	}
	if s.wconn != nil {
		errs = append(errs, s.wconn.Close())
	}
	errs = append(errs, s.db.Close(), s.connector.Close())
	return errors.Join(errs...)
}

// DB returns the shared connection pool for readers.
func (s *Store) DB() *sql.DB { return s.db }

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// migrate applies each migration not yet recorded, each in its own transaction.
func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	applied := map[string]bool{}
	rows, err := s.db.QueryContext(ctx, "SELECT name FROM schema_migrations")
	if err != nil {
		return fmt.Errorf("read schema_migrations: %w", err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return err
		}
		applied[name] = true
	}
	rows.Close()
	for _, m := range risksql.Migrations() {
		if applied[m.Name] {
			continue
		}
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", m.Name, err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations VALUES (?, ?)", m.Name, s.now()); err != nil {
			tx.Rollback()
			return fmt.Errorf("record migration %s: %w", m.Name, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("commit migration %s: %w", m.Name, err)
		}
	}
	return nil
}

// applyViews re-creates every analyst view and macro.
func (s *Store) applyViews(ctx context.Context) error {
	for _, v := range risksql.Views() {
		if _, err := s.db.ExecContext(ctx, v.SQL); err != nil {
			return fmt.Errorf("view %s: %w", v.Name, err)
		}
	}
	return nil
}

// writeTx runs fn inside one transaction on the writer connection. fn's error rolls it back.
func (s *Store) writeTx(ctx context.Context, fn func(w *writer) error) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	return s.wconn.Raw(func(dc any) error {
		w := &writer{ctx: ctx, conn: dc.(driver.Conn)}
		if err := w.exec("BEGIN TRANSACTION"); err != nil {
			return err
		}
		if err := fn(w); err != nil {
			if rerr := w.exec("ROLLBACK"); rerr != nil {
				return errors.Join(err, fmt.Errorf("rollback: %w", rerr))
			}
			return err
		}
		return w.exec("COMMIT")
	})
}

// writer is the raw driver connection inside a write transaction.
type writer struct {
	ctx  context.Context
	conn driver.Conn
}

func (w *writer) exec(query string, args ...any) error {
	named := make([]driver.NamedValue, len(args))
	for i, a := range args {
		named[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	_, err := w.conn.(driver.ExecerContext).ExecContext(w.ctx, query, named)
	if err != nil {
		return fmt.Errorf("%s: %w", firstLine(query), err)
	}
	return nil
}

// queryInt64 runs a query returning one BIGINT.
func (w *writer) queryInt64(query string) (int64, error) { return w.queryInt64Args(query) }

// queryInt64Args runs a query with arguments returning one BIGINT.
func (w *writer) queryInt64Args(query string, args ...any) (int64, error) {
	named := make([]driver.NamedValue, len(args))
	for i, a := range args {
		named[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	rows, err := w.conn.(driver.QueryerContext).QueryContext(w.ctx, query, named)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	dest := make([]driver.Value, 1)
	if err := rows.Next(dest); err != nil {
		return 0, err
	}
	n, _ := dest[0].(int64)
	return n, nil
}

// stage appends rows into the staging copy of table, replacing what was staged before.
func (w *writer) stage(table string, rows [][]driver.Value) error {
	if err := w.exec(fmt.Sprintf("DELETE FROM %s.%s", stagingSchema, table)); err != nil {
		return err
	}
	return w.appendRows(stagingSchema, table, rows)
}

// appendRows appends rows to schema.table through the Appender, inside the transaction.
func (w *writer) appendRows(schema, table string, rows [][]driver.Value) error {
	if len(rows) == 0 {
		return nil
	}
	app, err := duckdb.NewAppenderFromConn(w.conn, schema, table)
	if err != nil {
		return fmt.Errorf("appender %s: %w", table, err)
	}
	for _, r := range rows {
		if err := app.AppendRow(r...); err != nil {
			app.Close()
			return fmt.Errorf("append %s: %w", table, err)
		}
	}
	if err := app.Close(); err != nil {
		return fmt.Errorf("flush %s: %w", table, err)
	}
	return nil
}

// merge replaces the rows of table whose key matches a staged row with the staged rows.
func (w *writer) merge(table, key string) error {
	if err := w.exec(fmt.Sprintf("DELETE FROM main.%[1]s WHERE %[3]s IN (SELECT %[3]s FROM %[2]s.%[1]s)", table, stagingSchema, key)); err != nil {
		return err
	}
	return w.exec(fmt.Sprintf("INSERT INTO main.%[1]s SELECT * FROM %[2]s.%[1]s", table, stagingSchema))
}

func firstLine(q string) string {
	q = strings.TrimSpace(q)
	if i := strings.IndexByte(q, '\n'); i >= 0 {
		q = q[:i]
	}
	if len(q) > 80 {
		q = q[:80] + "..."
	}
	return q
}

// explainLock turns DuckDB's lock conflict into an error that says what to do.
func explainLock(err error) error {
	if strings.Contains(err.Error(), "Could not set lock") {
		return pipeline.Errorf(pipeline.EUNAVAILABLE, "the database is open in another process (is riskd running?): %v", err)
	}
	return err
}

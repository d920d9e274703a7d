package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/marcboeker/go-duckdb"

	"github.com/riskd/riskd/pipeline"
)

// Analyst query limits.
const (
	DefaultMaxRows = 1000
	MaxMaxRows     = 100000
)

// OpenReadOnly opens an existing database for reading only, with external file access disabled,
// as another process's analyst session. It fails with EUNAVAILABLE while riskd holds the file.
func OpenReadOnly(ctx context.Context, path string) (*Store, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, pipeline.Errorf(pipeline.ENOTFOUND, "no database at %s: run riskd or riskctl refresh first", path)
	}
	connector, err := duckdb.NewConnector(path+"?access_mode=read_only&enable_external_access=false", nil)
	if err != nil {
		return nil, fmt.Errorf("open %s read-only: %w", path, explainLock(err))
	}
	s := &Store{connector: connector}
	s.db = sql.OpenDB(connector)
	return s, nil
}

// Query runs one read-only SELECT and returns at most maxRows rows (DefaultMaxRows when 0).
// Anything but a single SELECT statement is refused, and the statement runs in a transaction
// that is rolled back, so analyst SQL can never change the database. External file access is
// disabled for the whole database (see Open).
func (s *Store) Query(ctx context.Context, query string, maxRows int) (*pipeline.QueryResult, error) {
	switch {
	case maxRows == 0:
		maxRows = DefaultMaxRows
	case maxRows < 0 || maxRows > MaxMaxRows:
		return nil, pipeline.Errorf(pipeline.EINVALID, "max_rows: must be between 1 and %d", MaxMaxRows)
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("analyst connection: %w", err)
	}
	defer conn.Close()
	var res *pipeline.QueryResult
	err = conn.Raw(func(dc any) error {
		w := &writer{ctx: ctx, conn: dc.(driver.Conn)}
		if err := w.exec("BEGIN TRANSACTION"); err != nil {
			return err
		}
		defer w.exec("ROLLBACK") //nolint:errcheck // the transaction only ever read
		var qerr error
		res, qerr = readOnlyQuery(ctx, w.conn, query, maxRows)
		return qerr
	})
	return res, err
}

func readOnlyQuery(ctx context.Context, conn driver.Conn, query string, maxRows int) (*pipeline.QueryResult, error) {
	st, err := conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil {
		return nil, pipeline.Errorf(pipeline.EINVALID, "query: %s", cleanDuckDBError(err))
	}
	defer st.Close()
	typ, err := st.(*duckdb.Stmt).StatementType()
	if err != nil {
		return nil, fmt.Errorf("statement type: %w", err)
	}
	if typ != duckdb.STATEMENT_TYPE_SELECT {
		return nil, pipeline.Errorf(pipeline.EINVALID, "query: only a single SELECT statement is allowed")
	}
	rows, err := st.(driver.StmtQueryContext).QueryContext(ctx, nil)
	if err != nil {
		return nil, pipeline.Errorf(pipeline.EINVALID, "query: %s", cleanDuckDBError(err))
	}
	defer rows.Close()
	res := &pipeline.QueryResult{Columns: rows.Columns(), Rows: [][]any{}}
	for {
		dest := make([]driver.Value, len(res.Columns))
		if err := rows.Next(dest); err != nil {
			if errors.Is(err, io.EOF) {
				return res, nil
			}
			return nil, pipeline.Errorf(pipeline.EINVALID, "query: %s", cleanDuckDBError(err))
		}
		if len(res.Rows) == maxRows {
			res.Truncated = true
			return res, nil
		}
		row := make([]any, len(dest))
		for i, v := range dest {
			row[i] = jsonValue(v)
		}
		res.Rows = append(res.Rows, row)
	}
}

// jsonValue makes a DuckDB value presentable as JSON.
func jsonValue(v driver.Value) any {
	switch x := v.(type) {
	case time.Time:
		return x.UTC().Format(time.RFC3339)
	case []byte:
		return string(x)
	case duckdb.Decimal:
		return x.Float64()
	}
	return v
}

func cleanDuckDBError(err error) string {
	return strings.TrimPrefix(err.Error(), "database/sql/driver: ")
}

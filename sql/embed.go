// Package sql holds riskd's schema as SQL text: numbered migrations, applied once each in order
// and recorded, and analyst views, re-applied on every start so they can change without a new
// migration. Importers alias it (risksql) to avoid the clash with database/sql.
package sql

import (
	"embed"
	"io/fs"
	"sort"
)

//go:embed migrations/*.sql views/*.sql
var files embed.FS

// File is one named SQL script.
type File struct {
	Name string // file name, e.g. "0001_init.sql"
	SQL  string
}

// Migrations returns the numbered migrations in the order they must be applied.
func Migrations() []File { return read("migrations") }

// Views returns the view definitions in file-name order; each file is idempotent
// (CREATE OR REPLACE) and may depend on views in files sorted before it.
func Views() []File { return read("views") }

func read(dir string) []File {
	entries, err := fs.ReadDir(files, dir)
	if err != nil {
		panic(err) // the directory is embedded at build time; absence is a build defect
	}
	out := make([]File, 0, len(entries))
	for _, e := range entries {
		b, err := fs.ReadFile(files, dir+"/"+e.Name())
		if err != nil {
			panic(err)
		}
		out = append(out, File{Name: e.Name(), SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

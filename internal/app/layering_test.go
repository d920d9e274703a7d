package app_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLayering keeps the dependency rules the layout promises: scoring is pure code, pipeline
// knows no adapter, and each external dependency has exactly one adapter importing it.
func TestLayering(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "github.com/riskd/riskd/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	const mod = "github.com/riskd/riskd/"
	only := map[string]string{ // dependency -> the one package that may import it
		"github.com/stripe/stripe-go/v76": mod + "internal/stripeclient",
		"github.com/marcboeker/go-duckdb": mod + "internal/store",
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg, imports := fields[0], fields[1:]
		for _, imp := range imports {
			for dep, owner := range only {
				if strings.HasPrefix(imp, dep) && pkg != owner {
					t.Errorf("%s imports %s; only %s may", pkg, imp, owner)
				}
			}
			switch {
			case strings.HasPrefix(pkg, mod+"scoring") && (imp == "os" || imp == "net/http" || imp == "database/sql" ||
				strings.HasPrefix(imp, mod+"internal") || strings.HasPrefix(imp, mod+"pipeline")):
				t.Errorf("%s imports %s: scoring is pure code", pkg, imp)
			case strings.HasPrefix(pkg, mod+"pipeline") && strings.HasPrefix(imp, mod+"internal"):
				t.Errorf("%s imports %s: pipeline depends only on the interfaces it declares", pkg, imp)
			}
		}
	}
}

package store

import "github.com/riskd/riskd/pipeline"

// SetBeforeCommit installs a hook that runs inside CommitAccount's transaction before COMMIT.
func SetBeforeCommit(s *Store, fn func(*pipeline.AccountBatch) error) { s.beforeCommit = fn }

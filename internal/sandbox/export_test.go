package sandbox

// GeneratedCounts reports how many account states and ledgers the sandbox has generated.
func GeneratedCounts(s *Sandbox) (states, ledgers int) { return s.generatedCounts() }

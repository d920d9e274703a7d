package sandbox

import "time"

// GeneratedCounts reports how many account states and ledgers the sandbox has generated.
func GeneratedCounts(s *Sandbox) (states, ledgers int) { return s.generatedCounts() }

// SetHandlerHook makes every API request call fn just before its handler runs.
func SetHandlerHook(s *Sandbox, fn func()) { s.inHandler = fn }

// DropLedgers empties the ledger cache, so the next read regenerates every history.
func DropLedgers(s *Sandbox) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range s.ledgers {
		delete(s.ledgers, k)
	}
	s.ledgerLRU.Init()
}

// FaultPlans draws n fault plans from a fresh injector for f and returns their added
// latencies and kinds ("" for none, "500", "503", "429", "lock", "drop", "slow").
func FaultPlans(f Faults, n int) ([]time.Duration, []string) {
	in := newInjector(f)
	names := map[faultKind]string{faultNone: "", fault500: "500", fault503: "503", faultRateLimit: "429",
		faultLock: "lock", faultDrop: "drop", faultSlow: "slow"}
	delays, kinds := make([]time.Duration, n), make([]string, n)
	for i := range n {
		p := in.plan()
		delays[i], kinds[i] = p.delay, names[p.kind]
	}
	return delays, kinds
}

//go:build !unix

package ownership

import "time"

// processCPU is unavailable here; benchmarks then report only wall-clock rates.
func processCPU() time.Duration { return 0 }

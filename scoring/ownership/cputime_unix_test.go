//go:build unix

package ownership

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time this process has used (user + system), so that a
// benchmark on a shared machine can report work per CPU-second, not per wall-second.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

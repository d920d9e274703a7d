package pipeline

import (
	"errors"
	"fmt"
)

// Error codes that clients see. Anything else is internal.
const (
	EINVALID     = "invalid"
	ENOTFOUND    = "not_found"
	ECONFLICT    = "conflict"
	EUNAVAILABLE = "unavailable"
	EINTERNAL    = "internal"
)

// Error is an error whose Code and Message are safe to show to a client. Wrap detail that only
// operators should see around it with fmt.Errorf("...: %w", err).
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, or EINTERNAL.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the client-safe message of err, or "Internal error." for anything that
// is not an *Error.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// ErrAlreadyRunning is returned when a refresh is triggered while another one runs.
var ErrAlreadyRunning = Errorf(ECONFLICT, "A refresh is already running.")

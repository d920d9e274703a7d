package sandbox

import (
	"fmt"
	"net/http"
	"strings"
)

// apiError is a Stripe error response: the HTTP status plus the `error` object.
type apiError struct {
	Status  int    `json:"-"`
	Type    string `json:"type"`
	Code    string `json:"code,omitempty"`
	Message string `json:"message"`
	Param   string `json:"param,omitempty"`
	DocURL  string `json:"doc_url,omitempty"`
	// Objects a payment failure (402) carries, as Stripe embeds them.
	PaymentIntent any `json:"payment_intent,omitempty"`
	PaymentMethod any `json:"payment_method,omitempty"`
	SetupIntent   any `json:"setup_intent,omitempty"`
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

// Error codes used by the sandbox. All exist as ErrorCode constants in stripe-go v76.
const (
	codeParameterMissing    = "parameter_missing"
	codeParameterUnknown    = "parameter_unknown"
	codeParameterInvalidInt = "parameter_invalid_integer"
	codeParameterEmpty      = "parameter_invalid_empty"
	codeParametersExclusive = "parameters_exclusive"
	codeResourceMissing     = "resource_missing"
	codeAccountInactive     = "financial_connections_account_inactive"
	codeNoTxnRefresh        = "financial_connections_no_successful_transaction_refresh"
	// v76 has no code for "refresh requested before next_refresh_available_at". rate_limit is the
	// closest existing constant (Stripe throttles refreshes per account); the status stays 400,
	// so stripe-go does not retry it.
	codeRefreshTooSoon = "rate_limit"
)

func docURL(code string) string {
	if code == "" {
		return ""
	}
	return "https://stripe.com/docs/error-codes/" + strings.ReplaceAll(code, "_", "-")
}

func invalidRequest(status int, code, param, format string, args ...any) *apiError {
	return &apiError{
		Status:  status,
		Type:    "invalid_request_error",
		Code:    code,
		Message: fmt.Sprintf(format, args...),
		Param:   param,
		DocURL:  docURL(code),
	}
}

func errMissing(param string) *apiError {
	return invalidRequest(http.StatusBadRequest, codeParameterMissing, param, "Missing required param: %s.", param)
}

func errUnknownParam(param string) *apiError {
	return invalidRequest(http.StatusBadRequest, codeParameterUnknown, param,
		"Received unknown parameter: %s", param)
}

// errInvalidEnum mirrors Stripe's enum error, which carries a param but no code.
func errInvalidEnum(param string, allowed []string) *apiError {
	return invalidRequest(http.StatusBadRequest, "", param, "Invalid %s: must be one of %s", param, oneOf(allowed))
}

func errInvalid(param, format string, args ...any) *apiError {
	return invalidRequest(http.StatusBadRequest, "", param, format, args...)
}

func errInvalidInteger(param, value string) *apiError {
	return invalidRequest(http.StatusBadRequest, codeParameterInvalidInt, param, "Invalid integer: %s", value)
}

// errNoSuch is the 404 for an unknown object id; what reads like "financial connections account".
func errNoSuch(what, id, param string) *apiError {
	return invalidRequest(http.StatusNotFound, codeResourceMissing, param, "No such %s: '%s'", what, id)
}

func errUnrecognizedURL(method, path string) *apiError {
	return &apiError{
		Status: http.StatusNotFound,
		Type:   "invalid_request_error",
		Message: fmt.Sprintf("Unrecognized request URL (%s: %s). Please see https://stripe.com/docs "+
			"or we can help at https://support.stripe.com/.", method, path),
	}
}

func oneOf(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	case 2:
		return xs[0] + " or " + xs[1]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + ", or " + xs[len(xs)-1]
}

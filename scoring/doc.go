// Package scoring turns an account's facts into a decision: approve, review or decline, with a
// 0-100 score (higher is safer) and reason codes, each naming the computed feature and the value
// behind it. It is pure code: no I/O, no clock (the as-of time is an input).
//
// Subpackages compute the facts: ownership compares the applicant with the account's owners;
// cashflow classifies transactions and defines the cash-flow features (computed in SQL).
package scoring

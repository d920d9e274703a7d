// Package pipeline holds riskd's domain words and the refresh orchestration.
//
// A customer links bank accounts through Stripe Financial Connections and grants permissions.
// For every active account the Refresher asks the Source (Stripe, or the embedded sandbox) to
// refresh the features the account permits (balance, ownership, transactions), waits for them to
// settle, and hands one AccountBatch per account to the Store, which commits it atomically with the
// account's transaction cursor. A Run records what happened to each account and why.
//
// The package depends only on the interfaces it declares (Source, Store) and on scoring; the
// adapters live in internal/ (stripeclient, store) and are wired in cmd/.
package pipeline

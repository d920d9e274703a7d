package cashflow

// Category is what a transaction is, decided once at ingest from its description, its sign and
// its amount. Every cash-flow feature reads the stored category, never the description, so the
// definitions below are the single place where "income" or "NSF fee" is decided.
type Category string

// Inflow categories. Only the four income_* categories count as income.
const (
	IncomePayroll  Category = "income_payroll"  // wages: direct deposit, payroll processors (ADP, Gusto, ...)
	IncomeBenefits Category = "income_benefits" // government benefits: SSA, SSI, unemployment, VA, SNAP/TANF
	IncomePension  Category = "income_pension"  // pensions, annuities, retirement distributions
	IncomeGig      Category = "income_gig"      // gig-platform payouts: Uber, Lyft, DoorDash, Instacart, Etsy, ...

	TransferOwn       Category = "transfer_own"        // between the holder's own accounts (either sign)
	P2P               Category = "p2p"                 // Zelle, Venmo, Cash App, PayPal person-to-person (either sign)
	Refund            Category = "refund"              // merchant refunds, returns, reversals, chargebacks credited
	LoanProceeds      Category = "loan_proceeds"       // disbursement of a loan into the account
	TaxRefund         Category = "tax_refund"          // IRS / state tax refunds
	OverdraftTransfer Category = "overdraft_transfer"  // overdraft-protection transfers (either sign)
	DepositOther      Category = "deposit_other"       // check, cash, mobile or ATM deposits of unknown origin
	Interest          Category = "interest"            // interest paid by the bank
	CashAdvance       Category = "cash_advance"        // earned-wage / cash-advance apps: Earnin, Dave, Brigit, MoneyLion, ... (either sign)
	FeeNSF            Category = "fee_nsf"             // NSF, overdraft, returned-item fees (and their reversals when positive)
	FeeOther          Category = "fee_other"           // monthly service, ATM, wire and other fees
	LoanPayment       Category = "loan_payment"        // installment loans: auto, student, mortgage, personal, BNPL
	CreditCardPayment Category = "credit_card_payment" // payments to credit cards
	ATMCash           Category = "atm_cash"            // ATM cash withdrawals
	Spending          Category = "spending"            // purchases, bills, rent, utilities, subscriptions: everything else out
	OtherInflow       Category = "other_inflow"        // money in that matches nothing above
)

// IsIncome reports whether c counts toward income.
func (c Category) IsIncome() bool {
	switch c {
	case IncomePayroll, IncomeBenefits, IncomePension, IncomeGig:
		return true
	}
	return false
}

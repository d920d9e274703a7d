package cashflow

import "strings"

// Classification is the stored result of classifying one transaction.
type Classification struct {
	// Category is what the transaction is; see the Category constants.
	Category Category
	// Counterparty is the normalized payer or payee name: upper-case, with account and card
	// numbers, ids, dates, store numbers, reference codes, channel words ("POS", "ACH") and,
	// for card purchases, the trailing city and state removed. "ACME CORP PAYROLL PPD ID:
	// 9876543210" gives "ACME CORP", so one employer or lender maps to one string across pay
	// dates. For person-to-person payments it is the named person when the description has one
	// ("ZELLE FROM JOHN SMITH ON 01/05" gives "JOHN SMITH") and otherwise the platform
	// ("VENMO"). It is empty when the other side is the holder's own bank: NSF and overdraft
	// fees, bank fees, overdraft-protection transfers, interest, ATM withdrawals and deposits
	// of unknown origin, and own transfers and card payments that name no institution.
	Counterparty string
}

// Classify assigns a category and a counterparty to one bank transaction from its description
// and its amount in cents (positive = money into the account, negative = money out).
//
// The description is read as words (maximal runs of letters and digits, case-insensitive), so
// "TRANSFER" never matches "NSF" and "NON-CHASE ATM FEE" is the words NON CHASE ATM FEE. Each
// word is looked up once in a vocabulary of meanings (fee word, payroll word, ...) and of
// known names (platforms, lenders, banks, agencies); the rules below read only those results.
// Rules are ordered; the first that applies wins:
//
//  1. NSF, overdraft and returned-item fees → FeeNSF, whatever else the description names
//     (Chase-style "OVERDRAFT FEE FOR A $4.50 CARD PURCHASE - DETAILS: ..." mentions merchants).
//     A positive amount is a reversal or refund of such a fee and stays FeeNSF, as the
//     category definition says, so NSF counts must count debits and may net credits. Fees for
//     an overdraft-protection transfer are overdraft fees too.
//  2. Overdraft-protection transfers (no fee word) → OverdraftTransfer.
//  3. Cash-advance and earned-wage apps and payday lenders → CashAdvance in both directions,
//     including their fees and tips. Chime SpotMe and MyPay and a neobank's own advance
//     ("VARO BANK DES:ADVANCE") count as advances.
//  4. Any other fee → FeeOther; a positive fee line (reversal, rebate, waiver) → Refund; a fee
//     on a merchant descriptor ("PLANET FITNESS CLUB FEES 800-3437 NH") → Spending. A
//     credit-card cash advance without a fee word → CashAdvance.
//  5. Person-to-person platforms → P2P in both directions, including "ZELLE FROM <EMPLOYER>":
//     a P2P credit cannot be verified as wages, so it is never income. Venmo and Cash App
//     cash-outs are P2P. PayPal followed by '*' ("PAYPAL *NETFLIX") is a card purchase, and a
//     PayPal credit with a refund word is a Refund.
//
// Credits (amount > 0) then go: tax refund → refund words → government benefits → pension →
// payroll words → gig payout → DIRECT DEP phrases → interest → wire → lender, card issuer,
// bank and brokerage names → loan words → own transfers → deposits → merchant or card-shaped
// credit (Refund) → OtherInflow. Debits (amount ≤ 0) go: ATM and teller cash → wire → lender,
// card issuer and bank names → card-payment and loan words → own transfers → Spending. Only
// credits can be income: a debit with payroll words is an employer paying its staff or a
// clawback, and is Spending. A zero amount is treated as a debit.
//
// Decisions the definitions leave open, made here:
//   - Payroll words beat gig platforms ("AMAZON.COM SVCS DES:PAYROLL" is wages), gig platforms
//     beat bare "DIRECT DEP" ("AMAZON FLEX DES:DIRECT DEP" is gig).
//   - Marketplace and payment-processor payouts to sellers (Etsy, eBay, Stripe, Square,
//     Shopify, Payoneer, Airbnb) are gig income; a gig platform credit shaped like a card
//     refund ("UBER *EATS", "POS CREDIT ...") is a Refund.
//   - Child-support payments are OtherInflow: the definitions list only government benefits.
//   - Expense reimbursements, insurance claims and incoming wires are OtherInflow; outgoing
//     wires are Spending.
//   - A credit from a personal-loan lender is LoanProceeds; from an auto, student, mortgage or
//     BNPL lender it is a Refund (escrow or overpayment refund; BNPL lenders pay merchants).
//     Lease-to-own (Katapult, Acima, Progressive Leasing) is paid like BNPL: LoanPayment.
//   - Brokerage, crypto and savings-app transfers are TransferOwn unless a credit names a
//     distribution, annuity or pension (IncomePension).
//   - The card-account side of a card payment ("PAYMENT THANK YOU", positive) is TransferOwn.
//   - A debit that returns a deposited item ("DEPOSITED ITEM RETURNED") is Spending, not a fee;
//     a credit returning a debit ("RETURN OF POSTED CHECK ... NSF") is a Refund.
//   - Economic-impact payments and refund-transfer products (SBTPG) are TaxRefund.
func Classify(description string, amount int64) Classification {
	var a analysis
	a.scan(description)
	cat := a.decide(amount)
	return Classification{Category: cat, Counterparty: a.counterparty(cat)}
}

const (
	maxTokens = 40 // words beyond this are ignored; real descriptions have fewer than 30
	maxHits   = 8  // recognised names kept per description
)

// token is one word of the description: a maximal run of A–Z and 0–9 in the upper-cased text.
type token struct {
	s      string
	flags  wordFlag
	digits bool // contains a digit
	label  bool // immediately followed by ':' (a field label such as DES: or INDN:)
	star   bool // followed, after optional spaces, by '*' (merchant descriptor "SQ *SHOP")
	skip   bool // inside an individual-name field (INDN:, IND NAME:); ignored by the rules
}

type hit struct {
	b    *brand
	i, j int // token span [i, j)
}

// analysis is the per-description working state; it lives on the stack of Classify.
type analysis struct {
	u     string // upper-cased description
	toks  [maxTokens]token
	n     int
	flags wordFlag
	hits  [maxHits]hit
	nh    int
	lead  int  // index of the first word that is not a channel prefix, id or number
	card  bool // shaped like a card purchase (POS words, DEBIT CARD, or a '*' descriptor)
	star  bool // has a '*' merchant descriptor ("SQ *SHOP", "AMZN MKTP US*2K1")
	ach   bool // carries ACH fields (DES:, ORIG CO NAME:, PPD/CCD/WEB codes)
	place bool // ends in "CITY ST" like a card-network merchant descriptor
}

// scan tokenises the description, looks every word up once and records flags and names.
func (a *analysis) scan(description string) {
	a.u = upperASCII(description)
	u := a.u
	inName := false
	for i := 0; i < len(u) && a.n < maxTokens; {
		if !isAlnum(u[i]) {
			i++
			continue
		}
		j, digits := i, false
		for j < len(u) && isAlnum(u[j]) {
			digits = digits || isDigit(u[j])
			j++
		}
		t := token{s: u[i:j], digits: digits}
		if j < len(u) && u[j] == ':' {
			t.label = true
		}
		k := j
		for k < len(u) && u[k] == ' ' {
			k++
		}
		t.star = k < len(u) && u[k] == '*'
		if t.label && (t.s == "DES" || t.s == "INDN" || t.s == "NAME") {
			a.ach = true
		}
		switch t.s {
		case "PPD", "CCD", "WEB", "TEL", "CTX", "IAT":
			a.ach = true
		}
		// Individual-name fields name the account holder, not the counterparty: skip them
		// until the next field label.
		if t.label {
			inName = t.s == "INDN" || (t.s == "NAME" && a.n > 0 && a.toks[a.n-1].s == "IND")
		} else if inName {
			t.skip = true
		}
		a.toks[a.n] = t
		a.n++
		i = j
	}

	a.lead = -1
	nextBrand := 0
	for i := 0; i < a.n; i++ {
		t := &a.toks[i]
		if t.skip || isAllDigits(t.s) {
			continue
		}
		e := lexicon[t.s]
		if e != nil {
			t.flags = e.flags
			a.flags |= e.flags
		}
		if a.lead < 0 && !t.digits && t.flags&wLead == 0 && !t.label {
			a.lead = i
		}
		if t.star {
			a.card = true
			a.star = true
		}
		if e == nil || i < nextBrand {
			continue
		}
		// Longest phrase starting at this word.
		b, end := e.brand, i+1
		for node, j := e, i+1; node.next != nil && j < a.n && !a.toks[j].skip; j++ {
			node = node.next[a.toks[j].s]
			if node == nil {
				break
			}
			if node.brand != nil {
				b, end = node.brand, j+1
			}
		}
		if b == nil || a.nh == maxHits {
			continue
		}
		a.hits[a.nh] = hit{b: b, i: i, j: end}
		a.nh++
		nextBrand = end
	}
	if a.flags&wPurchase != 0 || a.has(kPurchasePhrase) {
		a.card = true
	}
	if last := a.n - 1; last >= 2 && !a.ach && stateCodes[a.toks[last].s] {
		a.place = true
	}
	// Weak names count only as the leading word followed by nothing specific.
	for h := 0; h < a.nh; h++ {
		if !a.hits[h].b.weak {
			continue
		}
		if !a.weakOK(a.hits[h]) {
			a.hits[h].b = &noBrand
		}
	}
}

var noBrand = brand{kind: kNone}

func (a *analysis) weakOK(h hit) bool {
	if h.i != a.lead || h.j != h.i+1 {
		return false
	}
	t := a.toks[h.i]
	if t.label || t.star || h.j == a.n {
		return true
	}
	next := a.toks[h.j]
	return next.digits || next.label || next.flags != 0
}

// has reports whether a name of kind k was recognised.
func (a *analysis) has(k brandKind) bool {
	return a.find(k) != nil
}

func (a *analysis) find(k brandKind) *brand {
	for h := 0; h < a.nh; h++ {
		if a.hits[h].b.kind == k {
			return a.hits[h].b
		}
	}
	return nil
}

func (a *analysis) any(f wordFlag) bool { return a.flags&f != 0 }

// named reports whether a recognised name is exactly name.
func (a *analysis) named(name string) bool {
	for h := 0; h < a.nh; h++ {
		if a.hits[h].b.name == name {
			return true
		}
	}
	return false
}

// decide applies the ordered rules documented on Classify.
func (a *analysis) decide(amount int64) Category {
	in := amount > 0

	fee := a.any(wFee) || (a.any(wCharge) && a.any(wFeeCtx|wNSF|wOverdraft|wOD|wItem|wReturn|wInterest))
	odWord := a.any(wOverdraft) || (a.any(wOD) && (fee || a.any(wItem|wCharge|wProtect|wTransfer|wSaving)))
	nsfStrong := a.any(wNSF) || odWord
	returnedItem := a.any(wReturn) && a.any(wItem|wCheck|wPay|wDeposit)
	movesMoney := a.any(wTransfer | wProtect | wSweep)

	// 1. NSF / overdraft / returned-item fees.
	if (nsfStrong || returnedItem) && fee {
		return FeeNSF
	}
	if !in && nsfStrong && !movesMoney && !a.any(wDeposit) {
		return FeeNSF // "OVERDRAFT ITEM PAID", "PAID NSF ITEM"
	}
	if !in && returnedItem && !a.any(wDeposit|wChargeback|wTransfer) && a.any(wItem) {
		return FeeNSF // "RETURNED ITEM" charged to the account
	}
	if !in && fee && a.any(wItem) && !movesMoney {
		return FeeNSF // "PAID ITEM FEE", "ITEM FEE": banks charge per item only for overdrawn or returned items
	}
	if in && nsfStrong && a.any(wFeeReverse) && !movesMoney {
		return FeeNSF // "OVERDRAFT REFUND": reversal of the fee
	}

	// 2. Overdraft-protection transfers.
	if (odWord || a.any(wNSF)) && (movesMoney || a.any(wAdvance|wSaving)) {
		return OverdraftTransfer
	}

	// 3. Cash-advance apps; a neobank's own advance product ("VARO BANK DES:ADVANCE").
	if a.has(kCashAdvance) {
		return CashAdvance
	}
	if b := a.find(kBank); b != nil && b.negPay == TransferOwn && a.any(wAdvance) {
		return CashAdvance
	}

	// 4. Other fees. A fee on a merchant descriptor ("PLANET FITNESS CLUB FEES ... NH") is a
	// purchase, not a bank fee.
	if fee {
		if in {
			return Refund
		}
		if (a.star || a.place) && !a.any(wATM|wWire) {
			return Spending
		}
		return FeeOther
	}
	if a.has(kCashAdvancePhrase) {
		return CashAdvance
	}

	// 5. Person-to-person platforms.
	if p := a.p2p(); p != nil {
		if in && p.name == "PAYPAL" && a.any(wRefund) {
			return Refund
		}
		return P2P
	}

	if in {
		return a.decideCredit()
	}
	return a.decideDebit()
}

// p2p returns the person-to-person platform named, or nil. PayPal used as a merchant
// descriptor ("PAYPAL *NETFLIX") is not P2P.
func (a *analysis) p2p() *brand {
	for h := 0; h < a.nh; h++ {
		b := a.hits[h].b
		if b.kind != kP2P {
			continue
		}
		if b.name == "PAYPAL" && a.toks[a.hits[h].j-1].star {
			a.card = true
			continue
		}
		return b
	}
	return nil
}

func (a *analysis) loanWords() bool {
	return a.any(wLoan|wMortgage|wInstallment) ||
		(a.any(wLoanWeak) && a.any(wStudent|wAuto|wPay|wPersonal)) ||
		(a.any(wAuto) && a.any(wFinance))
}

func (a *analysis) cardPayWords() bool {
	if a.has(kCardPay) || a.any(wCardStrong) {
		return true
	}
	return a.any(wCard) && a.any(wPay) && !a.card
}

func (a *analysis) ownWords() bool {
	return a.any(wTransfer|wSaving|wSweep) || a.has(kOwnTransfer)
}

func (a *analysis) decideCredit() Category {
	// Tax refunds.
	if a.any(wTaxAgency) || a.has(kTaxPhrase) ||
		(a.any(wTax) && a.any(wTaxRef)) || (a.any(wRevenue) && a.any(wGovt|wTax)) {
		return TaxRefund
	}
	if a.any(wRefund|wChargeback) || a.has(kRefundPhrase) {
		return Refund
	}

	// Income.
	if a.benefits() {
		return IncomeBenefits
	}
	payrollStrong := a.any(wPayroll) || a.has(kPayrollProc)
	if a.any(wPension) || a.has(kPensionPayer) ||
		(a.any(wRetire|wDistrib) && !payrollStrong && (a.any(wRetire|wRetAcct) || a.has(kBrokerage))) {
		return IncomePension
	}
	if payrollStrong {
		return IncomePayroll
	}
	if (a.has(kGig) || (a.any(wFlex) && (a.named("AMAZON") || a.named("AMZN")))) && !a.card {
		return IncomeGig
	}
	if a.has(kPayrollPhrase) {
		return IncomePayroll
	}
	if a.any(wInterest) {
		return Interest
	}

	if a.any(wWire) {
		return OtherInflow
	}

	// Lenders, card issuers, banks and brokerages.
	if b := a.financialBrand(); b != nil {
		switch b.kind {
		case kLenderPersonal:
			return LoanProceeds
		case kLenderAuto, kLenderStudent, kLenderMortgage, kBNPL:
			return Refund
		case kCardIssuer, kBank:
			if a.loanWords() {
				return LoanProceeds
			}
			return TransferOwn
		case kBrokerage:
			return TransferOwn
		}
	}
	if a.loanWords() || (a.any(wLoanWeak) && a.any(wDisburse)) {
		return LoanProceeds
	}
	if a.ownWords() || (a.has(kThankYou) && !a.any(wDeposit)) || a.cardPayWords() {
		return TransferOwn
	}
	if a.any(wDeposit|wCash|wCheck|wATM) || (a.any(wBranch) && a.any(wCredit)) {
		return DepositOther
	}
	if a.card || a.has(kMerchant) || a.any(wRefundWeak) {
		return Refund
	}
	return OtherInflow
}

func (a *analysis) benefits() bool {
	if a.any(wSocial|wUnemp|wAgency|wSnap|wVet) || a.has(kBenefitPhrase) {
		return true
	}
	// Weak words (UC, DSS, VA, SNAP, ...) need a second benefit or government word, or each other.
	weak := 0
	for _, f := range [...]wordFlag{wUnempWeak, wAgencyWeak, wVetWeak, wSnapWeak} {
		if a.any(f) {
			weak++
		}
	}
	return (weak > 0 && a.any(wBenefit|wTreas|wAgency|wGovt)) || weak > 1 ||
		(a.any(wBenefit) && a.any(wGovt))
}

// financialBrand returns the most specific lender, card issuer, bank or brokerage named.
// Lenders beat banks, so "CHASE AUTO" (an auto lender) wins over "CHASE".
func (a *analysis) financialBrand() *brand {
	var best *brand
	rank := func(k brandKind) int {
		switch k {
		case kLenderPersonal, kLenderAuto, kLenderStudent, kLenderMortgage, kBNPL:
			return 3
		case kCardIssuer:
			return 2
		case kBank, kBrokerage:
			return 1
		}
		return 0
	}
	for h := 0; h < a.nh; h++ {
		b := a.hits[h].b
		if r := rank(b.kind); r > 0 && (best == nil || r > rank(best.kind)) {
			best = b
		}
	}
	return best
}

func (a *analysis) decideDebit() Category {
	if (a.any(wATM) && !a.any(wTransfer|wDeposit)) ||
		(a.any(wWithdrawal) && a.any(wCash|wBranch)) {
		return ATMCash
	}
	if a.any(wWire) {
		return Spending
	}
	if b := a.financialBrand(); b != nil {
		switch b.kind {
		case kLenderPersonal:
			if a.cardPayWords() && !a.loanWords() {
				return CreditCardPayment // "AVANT CARD PAYMENT"
			}
			return LoanPayment
		case kLenderAuto, kLenderStudent, kLenderMortgage, kBNPL:
			return LoanPayment
		case kCardIssuer:
			switch {
			case a.cardPayWords():
				return CreditCardPayment
			case a.loanWords():
				return LoanPayment
			case a.any(wTransfer | wSaving):
				return TransferOwn
			}
			return CreditCardPayment
		case kBank:
			switch {
			case a.cardPayWords():
				return CreditCardPayment
			case a.loanWords():
				return LoanPayment
			case a.ownWords():
				return TransferOwn
			case a.any(wInsurance):
				return Spending // "USAA P&C INT AUTOPAY": the bank's insurance arm
			case a.any(wPay):
				return b.negPay
			}
			return TransferOwn
		case kBrokerage:
			return TransferOwn
		}
	}
	if a.cardPayWords() {
		return CreditCardPayment
	}
	if a.loanWords() || (a.any(wStudent) && a.any(wLoanWeak)) {
		return LoanPayment
	}
	if a.ownWords() {
		return TransferOwn
	}
	if a.any(wInterest) && !a.card {
		return FeeOther // interest charged on an overdraft line or a card
	}
	return Spending
}

// upperASCII upper-cases ASCII letters, allocating only when the input has lower case.
func upperASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'a' <= c && c <= 'z' {
			return strings.ToUpper(s)
		}
	}
	return s
}

func isAllDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

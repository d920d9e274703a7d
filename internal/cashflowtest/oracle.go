package cashflowtest

import (
	"strings"
)

// Oracle labels the descriptions the sandbox generates, from the generator's own templates
// (internal/sandbox/descriptions.go and personas.go): it knows which line is a payroll deposit
// or a lender's payment because it knows which template printed it. It is ground truth for
// sandbox histories and is unrelated to scoring/cashflow.Classify; descriptions outside the
// sandbox's templates label as nothing.
//
// Decisions taken with the project's definitions (scoring/cashflow/category.go): card-processor
// payouts to a small business (Square, Stripe) are gig-platform income; mortgage payments are
// installment loans; earned-wage-advance repayments are not installment loans.
func Oracle(description string, amount int64) Label {
	d := strings.TrimSpace(description)
	if amount > 0 {
		if oracleIncome(d) {
			return Label{Income: true, Stream: streamKey(d)}
		}
		return Label{}
	}
	for _, p := range nsfFeePrefixes {
		if strings.HasPrefix(d, p) {
			return Label{NSF: true}
		}
	}
	for _, p := range installmentPrefixes {
		if strings.HasPrefix(d, p) {
			return Label{Installment: true}
		}
	}
	return Label{}
}

func oracleIncome(d string) bool {
	switch {
	case strings.Contains(d, " PAYROLL PPD ID: "), strings.HasPrefix(d, "GUSTO PAY "), strings.HasPrefix(d, "ADP WAGE PAY "),
		strings.HasPrefix(d, "DIRECT DEP "), strings.Contains(d, " DIR DEP PPD ID: "), strings.HasPrefix(d, "PAYCHEX-RCX PAYROLL "):
		return true // payrollDesc
	case d == "SSI TREAS 310 XXSUPP SEC", d == "SSA TREAS 310 XXSOC SEC":
		return true // benefits persona
	case strings.HasSuffix(d, " DEPT OF LABOR UI BENEFIT"):
		return true // unemploymentDesc fallback
	case strings.HasPrefix(d, "SQUARE INC DEPOSIT "), strings.HasPrefix(d, "STRIPE TRANSFER ST-"):
		return true // business persona's card-processor payouts
	}
	for _, u := range unemploymentLines {
		if d == u {
			return true
		}
	}
	for _, g := range gigLines {
		if d == g {
			return true
		}
	}
	return false
}

// streamKey is the template of a line: digits dropped, spaces collapsed. A payer's lines
// differ only in dates and reference numbers.
func streamKey(d string) string {
	var b strings.Builder
	space := false
	for _, r := range d {
		switch {
		case r >= '0' && r <= '9':
			continue
		case r == ' ':
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

var unemploymentLines = []string{
	"CA EDD UI BENEFIT", "NYS DOL UI DD", "TWC-BENEFITS UI BENEFIT", "FL DEO UI BENEFITS",
	"IL DEPT EMPL SEC UI BENEFIT", "OHIO ODJFS UI BENEFIT", "GA DOL UI BENEFITS", "WA ESD UI BENEFITS",
	"NC DES UI BENEFITS", "PA UC BENEFITS", "STATE OF MICH UIA BENEFIT",
}

var gigLines = []string{
	"UBER TECHNOLOGIES PAYOUT", "UBER USA 6787 EDI PYMNTS PPD ID: 1800948598", "UBER INSTANT PAY",
	"DOORDASH DASHER", "DOORDASH INC PAYROLL", "DASHER DIRECT DEPOSIT",
	"INSTACART SHOPPER PAY", "MAPLEBEAR INC INSTACART",
	"LYFT INC DRIVER PAYOUT", "LYFT EXPRESS DRIVE",
	"AMAZON FLEX EARNINGS", "AMAZON.COM SVCS FLEX",
	"GRUBHUB HOLDINGS PAYOUT",
}

var nsfFeePrefixes = []string{ // feeLine
	"OVERDRAFT ITEM FEE FOR ITEM ", "NSF FEE ITEM #", "RETURNED ITEM FEE ", "INSUFFICIENT FUNDS FEE ",
}

var installmentPrefixes = []string{
	// installment lenders (loan_stacker persona)
	"OPPLOANS PAYMENT", "NETCREDIT PMT", "POSSIBLE FINANCE PMT", "RISE CREDIT PAYMENT", "ONEMAIN PAYMENT",
	"AVANT PAYMENT", "CREDITNINJA PMT",
	// buy now, pay later
	"AFFIRM PAYMENT ",
	// auto and student loans
	"SANTANDER CONSUMER AUTO PMT ", "TOYOTA FINANCIAL PMT ", "ALLY AUTO PAYMENT ", "CAPITAL ONE AUTO PMT ",
	"NAVIENT STUDENT LOAN ", "NELNET STUDENT LOAN ", "DEPT EDUCATION STUDENT LN ",
	// mortgages (paid in place of rent)
	"ROCKET MORTGAGE MTG PMT ", "WELLS FARGO HOME MTG AUTO PAY ", "MR. COOPER MORTGAGE PMT ",
}

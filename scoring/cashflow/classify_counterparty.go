package cashflow

import "strings"

// counterparty derives the normalized payer/payee for a classified description.
func (a *analysis) counterparty(cat Category) string {
	switch cat {
	case FeeNSF, OverdraftTransfer, Interest, ATMCash, DepositOther:
		return ""
	case FeeOther:
		if !a.namesNonBank() {
			return "" // a bank fee: the bank is the payee
		}
	case TransferOwn, CreditCardPayment:
		if !a.namesEntity() {
			return "" // between the holder's own accounts at the same bank
		}
	case P2P:
		if s := a.p2pPerson(); s != "" {
			return s
		}
		if b := a.p2p(); b != nil && b.name != "P2P" {
			return p2pDisplay(b.name)
		}
	case CashAdvance:
		if s := a.advanceApp(); s != "" {
			return s
		}
	}
	seg := a.u
	if i := strings.Index(seg, "ORIG CO NAME:"); i >= 0 {
		// Chase ACH detail: the company name runs to the next field label.
		seg = seg[i+len("ORIG CO NAME:"):]
		for _, lbl := range chaseLabels {
			if k := strings.Index(seg, lbl); k >= 0 {
				seg = seg[:k]
			}
		}
	} else if i := strings.Index(seg, " DES:"); i >= 0 {
		// Bank of America ACH: "<COMPANY> DES:<entry> ID:... INDN:<holder> CO ID:... PPD".
		seg = seg[:i]
	}
	switch cat {
	case LoanPayment, CreditCardPayment, CashAdvance:
		// "KLARNA*BESTBUY": the lender, not the merchant, is the payee.
		if i := strings.IndexByte(seg, '*'); i > 0 && strings.IndexByte(seg[:i], ' ') < 0 {
			seg = seg[:i]
		}
	}
	return nameOf(seg, false, !a.ach)
}

// namesEntity reports whether any organisation is named.
func (a *analysis) namesEntity() bool {
	for h := 0; h < a.nh; h++ {
		if a.hits[h].b.kind.isEntity() {
			return true
		}
	}
	return false
}

// namesNonBank reports whether an organisation other than a bank or card issuer is named
// ("ADP PAYROLL FEES", "VENMO INSTANT TRANSFER FEE").
func (a *analysis) namesNonBank() bool {
	for h := 0; h < a.nh; h++ {
		if k := a.hits[h].b.kind; k.isEntity() && k != kBank && k != kCardIssuer {
			return true
		}
	}
	return false
}

// advanceApp names the cash-advance app a description names, one name per app whatever the
// descriptor ("EARNIN ACTIVEHOURS" pays an advance out, "EARNIN" takes it back), so that the
// apps an account uses are counted once each.
func (a *analysis) advanceApp() string {
	for h := 0; h < a.nh; h++ {
		if b := a.hits[h].b; b.kind == kCashAdvance {
			if app, ok := advanceApps[b.name]; ok {
				return app
			}
			return b.name
		}
	}
	return ""
}

// advanceApps maps the other names of a cash-advance app in brandTable to the one it is counted as.
var advanceApps = map[string]string{
	"ACTIVEHOURS": "EARNIN", "ACTIVE HOURS": "EARNIN",
	"DAVE INC": "DAVE", "DAVE COM": "DAVE", "DAVE ADVANCE": "DAVE", "DAVE EXTRACASH": "DAVE", "EXTRACASH": "DAVE",
	"MONEY LION": "MONEYLION", "INSTACASH": "MONEYLION",
	"ALBERT INSTANT": "ALBERT", "ALBERT GENIUS": "ALBERT", "ALBERT ADVANCE": "ALBERT", "ALBERT CORP": "ALBERT",
	"CLEO AI": "CLEO", "CLEOAI": "CLEO", "CLEO TECHNOLOGIES": "CLEO",
	"EMPOWER FINANCE": "EMPOWER", "EMPOWER INC": "EMPOWER", "EMPOWER ADVANCE": "EMPOWER",
	"POSSIBLE FIN": "POSSIBLE FINANCE", "POSSIBLEFINANCE": "POSSIBLE FINANCE",
	"FLOAT ME": "FLOATME", "VARO ADV": "VARO ADVANCE", "CHIME SPOTME": "SPOTME",
	"GERALD TECHNOLOGIES": "GERALD", "B9 ADVANCE": "B9", "B9 INC": "B9", "VOLA FINANCE": "VOLA",
	"CHECK N GO": "CHECKNGO", "CASHNETUSA": "CASHNET",
}

var chaseLabels = []string{" ORIG ID:", " DESC DATE:", " CO ENTRY", " SEC:", " TRACE", " EED:", " IND ID:", " IND NAME:", " TRN:"}

func p2pDisplay(name string) string {
	switch name {
	case "CASHAPP", "SQC", "SQUARE CASH":
		return "CASH APP"
	case "TRANSFERWISE", "WISE US":
		return "WISE"
	}
	return name
}

// p2pPerson returns the person named in a P2P description: after FROM/TO ("ZELLE FROM JOHN
// SMITH ON 01/05"), after a '*' ("CASH APP*JANE DOE") or after a ';' ("ZELLE TRANSFER CONF#
// 1A2B; JOHN SMITH"). Fields after " DES:" are skipped: they name the account holder.
func (a *analysis) p2pPerson() string {
	s := a.u
	if i := strings.Index(s, " DES:"); i >= 0 {
		s = s[:i]
	}
	start := -1
	for _, m := range []string{" FROM ", " TO "} {
		if i := strings.Index(s, m); i >= 0 && (start < 0 || i+len(m) < start) {
			start = i + len(m)
		}
	}
	if start < 0 {
		if i := strings.LastIndexByte(s, ';'); i >= 0 {
			start = i + 1
		} else if i := strings.IndexByte(s, '*'); i >= 0 {
			start = i + 1
		}
	}
	if start < 0 {
		return ""
	}
	s = s[start:]
	if i := strings.IndexByte(s, '*'); i >= 0 {
		s = s[:i] // "CASH APP*JANE DOE*OAKLAND CA"
	}
	return nameOf(s, true, false)
}

const maxNameWords = 8

// nameOf extracts a name from seg: channel prefixes, numbers and masked account numbers at the
// start are skipped; the name ends at the first word with a digit, '#', a field label or a
// reference keyword; generic descriptor words at the end (PAYROLL, PMT, DIR DEP, ...) are
// dropped. person selects the stricter stop list used for P2P names; place strips a trailing
// city and state (card purchases).
func nameOf(seg string, person, place bool) string {
	var words [maxNameWords]string
	n := 0
	started := false
	first := true
	for i := 0; i < len(seg) && n < maxNameWords; {
		if isNameSep(seg[i]) {
			i++
			continue
		}
		j := i
		for j < len(seg) && !isNameSep(seg[j]) {
			j++
		}
		raw := seg[i:j]
		k := j
		for k < len(seg) && seg[k] == ' ' {
			k++
		}
		starAfter := k < len(seg) && seg[k] == '*'
		next := nextWord(seg, j)
		i = j
		wasFirst := first
		first = false

		if strings.IndexByte(raw, ':') >= 0 || raw[0] == '#' {
			if started {
				break
			}
			continue
		}
		if raw == "-" || raw == "--" {
			if started {
				break // "ADP PAYROLL FEES ADP - FEES": the company name ends at a dash
			}
			continue
		}
		w := cleanWord(raw)
		if w == "" {
			continue
		}
		if hasDigit(w) {
			if !started && !masked(w) && (wasFirst || letterCount(w) >= 3) {
				words[n] = w // "7-ELEVEN", "3M COMPANY"
				n++
				started = true
				continue
			}
			if started {
				break
			}
			continue
		}
		if isStopWord(w, next, person) {
			if started {
				break
			}
			continue
		}
		if !started && !person {
			if starAfter && processorPrefix[w] {
				continue // "SQ *BLUE BOTTLE", "PAYPAL *NETFLIX"
			}
			if leadWords[w] && !startsPhrase(w, next) {
				continue
			}
		}
		words[n] = w
		n++
		started = true
	}
	for n > 0 && tailWords[words[n-1]] && !(n > 1 && endsName(words[n-2], words[n-1])) {
		n--
	}
	if place {
		n = stripPlace(words[:n])
	}
	switch n {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:n], " ")
}

// endsName reports whether "prev w" is a recognised organisation name ("FORD CREDIT"), so
// that the descriptor-word trim keeps w.
func endsName(prev, w string) bool {
	e := lexicon[prev]
	if e == nil || e.next == nil {
		return false
	}
	n := e.next[w]
	return n != nil && n.brand != nil && n.brand.kind.isEntity()
}

func isNameSep(c byte) bool {
	switch c {
	case '*', ';', ',', '|', '"', 0x7f:
		return true
	}
	return c <= ' ' // space, tab, CR and other control characters
}

// nextWord returns the raw word starting after position j, or "".
func nextWord(seg string, j int) string {
	for j < len(seg) && isNameSep(seg[j]) {
		j++
	}
	k := j
	for k < len(seg) && !isNameSep(seg[k]) {
		k++
	}
	return seg[j:k]
}

// cleanWord trims punctuation around a word and removes apostrophes inside it
// ("MCDONALD'S" → "MCDONALDS", "INC." → "INC"). Allocation happens only for apostrophes.
func cleanWord(w string) string {
	i, j := 0, len(w)
	for i < j && trimSet[w[i]] {
		i++
	}
	for j > i && trimSet[w[j-1]] {
		j--
	}
	w = w[i:j]
	if strings.IndexByte(w, '\'') >= 0 {
		w = strings.ReplaceAll(w, "'", "")
	}
	return w
}

// trimSet holds the punctuation cleanWord removes from word edges.
var trimSet = func() (t [256]bool) {
	for _, c := range []byte(".:'\"()[]{}-_/\\!?+=~`#") {
		t[c] = true
	}
	return t
}()

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			return true
		}
	}
	return false
}

func letterCount(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			n++
		}
	}
	return n
}

// masked reports an account or card number such as "XXXXX1234" or "X1234".
func masked(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i]; c != 'X' && !isDigit(c) && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

func isStopWord(w, next string, person bool) bool {
	switch w {
	case "REF", "REFERENCE", "CONF", "CONFIRMATION", "TRACE", "TRN", "ID", "INDN",
		"PPD", "CCD", "WEB", "TEL", "CTX", "IAT", "ARC", "BOC", "POP", "RCK", "TRANSACTION":
		return true
	case "ENDING":
		return true
	case "ON", "STORE", "CARD", "NO", "NUMBER", "AT":
		return hasDigit(next) || person
	case "FOR", "MEMO", "VIA", "FROM", "TO":
		return person
	}
	return false
}

// startsPhrase reports whether w followed by next begins a recognised name ("CREDIT ONE",
// "CHECK INTO CASH"), in which case w is kept even though it is usually a channel word.
func startsPhrase(w, next string) bool {
	e := lexicon[w]
	if e == nil || e.next == nil {
		return false
	}
	n := e.next[cleanWord(next)]
	return n != nil && n.entity
}

func setOf(words string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// leadWords are channel and account words skipped before a name starts.
var leadWords = setOf(`POS DEBIT DBT CREDIT CR DR CARD CRD PURCHASE PURCH PUR CHECKCARD CHKCARD VISA MC ACH
	ELECTRONIC ELEC EFT ONLINE INTERNET MOBILE EXTERNAL EXT INTERNAL PREAUTHORIZED PREAUTH PRE-AUTH RECURRING
	RECUR AUTHORIZED AUTH ON WITHDRAWAL DEPOSIT DEP PAYMENT PMT BILL BILLPAY PAID TO FROM PIN SIG SIGNATURE
	INST INSTANT XFER TRANSFER TFR TRNSFR ORIG CO NAME DDA CHK CHECKING SAV SAVINGS SHARE ACCT ACCOUNT
	EVERYDAY BANKING NSF FEE FEES OVERDRAFT OD ITEM MONTHLY SERVICE MAINTENANCE INTEREST REMOTE BRANCH
	TELLER COUNTER ATM CASH EDEPOSIT A AN THE OF FOR INTL FOREIGN NON DIRECT CHECK TRANSACTION TXN
	ADJUSTMENT ADJ REFUND RETURN REVERSAL REBATE WAIVED CREDITED DEBITED WIRE IN OUT TYPE VENDOR MERCHANT
	INCOMING OUTGOING PAY`)

// tailWords are descriptor words dropped from the end of a name.
var tailWords = setOf(`PAYROLL PAYRL PAYRLL PYRL PAYROL PAY PAYMENT PAYMENTS PMT PMTS PMNT PMNTS PYMT PYMNT PYMNTS
	PAYMT EPAY EPAYMENT E-PAYMENT AUTOPAY AUTO-PAY ONLINE WEB DIR DIRECT DEP DEPOSIT DEPOSITS DD SALARY SAL REG
	NET WAGES WAGE ACH EDI CREDIT CR DEBIT DR TRANSFER TRANSFERS XFER TFR TRF INST INSTANT CASHOUT PAYOUT
	PAYOUTS DISB DISBURSEMENT PROCEEDS FUNDING FUNDS LOAN LOANS LN BILL BILLPAY RECURRING PURCHASE POS TREAS
	UI BENEFIT BENEFITS BENEF SETTLEMENT SETTLMT SETTLE CTX CCD PPD TEL ID MOBILE CARD CRD CRCARDPMT CCPYMT
	STUDENT PERSONAL INSTALLMENT FEE FEES A THE OF TO FROM FOR AND & ORIG SENDER RECEIVED REFUND RETURN REVERSAL
	REBATE WAIVED ACCT ACCOUNT CHK SAV SAVINGS CHECKING SHARE`)

// processorPrefix are payment processors written before a '*' and the real merchant.
var processorPrefix = setOf(`SQ TST SP PP PAYPAL IC PY BT FS LS EB SQU CKO GOOGLE APL`)

var stateCodes = setOf(`AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM
	NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR`)

var cityHeads = setOf(`SAN SANTA LOS LAS NEW FORT FT ST SAINT EL LA PALM WEST EAST NORTH SOUTH PORT SALT GRAND BATON
	CORPUS COLORADO OVERLAND KANSAS CAPE MOUNT MT DES BOWLING CEDAR ROUND COLLEGE JERSEY VIRGINIA OKLAHOMA
	SIOUX BEVERLY CULVER DALY REDWOOD MENLO DEL PUNTA HUNTINGTON NEWPORT LONG ELK BROKEN LITTLE CHULA
	THOUSAND SIMI GARDEN DOWNERS ARLINGTON UPPER LOWER`)

var cityTails = setOf(`BEACH CITY SPRINGS FALLS HEIGHTS PARK HILLS VALLEY GROVE HARBOR ISLAND LAKES RAPIDS BLUFFS
	CREEK POINT JUNCTION VILLAGE ROUGE CHRISTI VEGAS ANGELES FRANCISCO DIEGO JOSE ANTONIO PAUL LOUIS ORLEANS
	YORK HAVEN WORTH LAUDERDALE CRUCES VISTA OAKS GROVE`)

var nameSuffixes = setOf(`INC LLC CORP CO COM LTD LP LLP CORPORATION COMPANY`)

// stripPlace removes a trailing "CITY ST" from a card-purchase name, keeping at least one
// word. It returns the new length.
func stripPlace(w []string) int {
	n := len(w)
	if n < 2 || !stateCodes[w[n-1]] {
		return n
	}
	if n == 2 && nameSuffixes[w[n-1]] {
		return n // "ACME CO"
	}
	n--
	if n < 2 || strings.ContainsAny(w[n-1], "./&") || nameSuffixes[w[n-1]] {
		return n
	}
	city := w[n-1]
	n--
	if n >= 2 && (cityTails[city] || cityHeads[w[n-1]]) {
		n--
	}
	return n
}

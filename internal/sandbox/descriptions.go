package sandbox

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Bank statement descriptions, in the shapes US banks print and Stripe/Plaid pass through:
// ACH lines with PPD IDs, card lines with store numbers and cities, dates and reference numbers.

// descCtx is what a description may mention: the day, the holder's city, the card's last four.
type descCtx struct {
	r         *rng
	day       time.Time
	city      string
	cityUpper string // "SPRINGFIELD IL": where local card purchases happen
	state     string
	card4     string
	style     int // the bank's card-line style, fixed per account

	dates [3]string // MM/DD, MMDD, YYMMDD, formatted on first use
}

func (c *descCtx) date(i int, layout string) string {
	if c.dates[i] == "" {
		c.dates[i] = c.day.Format(layout)
	}
	return c.dates[i]
}

func (c *descCtx) mmdd() string   { return c.date(0, "01/02") }
func (c *descCtx) mmdd4() string  { return c.date(1, "0102") }
func (c *descCtx) yymmdd() string { return c.date(2, "060102") }

func digits(r *rng, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.intn(10))
	}
	return string(b)
}

func alnum(r *rng, n int) string {
	const set = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
	b := make([]byte, n)
	for i := range b {
		b[i] = set[r.intn(len(set))]
	}
	return string(b)
}

// merchant is a card merchant. name is a template with at most one verb: %0Nd for a store
// number or %s for an order code; compile splits it once so lines are built without fmt.
type merchant struct {
	name   string
	lo, hi float64
	online bool // printed with a website/state instead of the holder's city
	where  string

	pre, post string
	verb      byte // 'd', 's' or 0
	width     int
	gas       bool // fuel: may show a pre-authorisation hold
}

func (m *merchant) compile() {
	m.pre = m.name
	i := strings.IndexByte(m.name, '%')
	if i >= 0 {
		j := i + 1
		for j < len(m.name) && m.name[j] >= '0' && m.name[j] <= '9' {
			m.width = m.width*10 + int(m.name[j]-'0')
			j++
		}
		m.pre, m.verb, m.post = m.name[:i], m.name[j], m.name[j+1:]
	}
	for _, g := range []string{"OIL", "CHEVRON", "EXXON", "SPEEDWAY", "CIRCLE K", "QT ", "WAWA"} {
		m.gas = m.gas || strings.Contains(m.name, g)
	}
}

func (m *merchant) render(r *rng) string {
	switch m.verb {
	case 's':
		code := alnum(r, 9)
		if strings.HasPrefix(m.name, "DOORDASH") {
			code = pick(r, deliveryNames)
		}
		return m.pre + code + m.post
	case 'd':
		n := strconv.Itoa(r.between(1, 9999))
		if pad := m.width - len(n); pad > 0 {
			n = strings.Repeat("0", pad) + n
		}
		return m.pre + n + m.post
	}
	return m.name
}

type spendCategory struct {
	weight    float64
	merchants []merchant
}

var spendCategories = []spendCategory{
	{28, []merchant{ // groceries and big box
		{name: "KROGER #%03d", lo: 18, hi: 165}, {name: "WAL-MART #%04d", lo: 12, hi: 190},
		{name: "WM SUPERCENTER #%04d", lo: 15, hi: 210}, {name: "TARGET T-%04d", lo: 9, hi: 140},
		{name: "SAFEWAY #%04d", lo: 14, hi: 150}, {name: "PUBLIX #%04d", lo: 16, hi: 160},
		{name: "ALDI %05d", lo: 20, hi: 120}, {name: "H-E-B #%03d", lo: 18, hi: 170},
		{name: "TRADER JOE S #%03d", lo: 22, hi: 110}, {name: "COSTCO WHSE #%04d", lo: 45, hi: 260},
		{name: "DOLLAR GENERAL #%05d", lo: 4, hi: 38}, {name: "FOOD LION #%04d", lo: 14, hi: 120},
	}},
	{14, []merchant{ // fuel
		{name: "SHELL OIL %08d", lo: 22, hi: 72}, {name: "CHEVRON %07d", lo: 25, hi: 78},
		{name: "EXXONMOBIL %04d", lo: 20, hi: 70}, {name: "SPEEDWAY %05d", lo: 18, hi: 65},
		{name: "CIRCLE K # %05d", lo: 15, hi: 60}, {name: "QT %03d", lo: 20, hi: 68},
		{name: "WAWA %04d", lo: 18, hi: 62},
	}},
	{24, []merchant{ // coffee and fast food
		{name: "STARBUCKS STORE #%05d", lo: 4.25, hi: 14.8}, {name: "MCDONALD'S F%05d", lo: 5.1, hi: 19.9},
		{name: "CHICK-FIL-A #%05d", lo: 7.5, hi: 28}, {name: "TACO BELL #%06d", lo: 6, hi: 22},
		{name: "DUNKIN #%06d", lo: 3.5, hi: 15}, {name: "SUBWAY %05d", lo: 7, hi: 21},
		{name: "WENDYS #%04d", lo: 6, hi: 18}, {name: "CHIPOTLE %04d", lo: 10, hi: 32},
		{name: "SONIC DRIVE IN #%04d", lo: 5, hi: 19},
	}},
	{9, []merchant{ // sit-down
		{name: "OLIVE GARDEN %04d", lo: 28, hi: 95}, {name: "APPLEBEES %04d", lo: 22, hi: 80},
		{name: "TST* EL FOGON %03d", lo: 18, hi: 70}, {name: "SQ *BLUE DOOR CAFE", lo: 12, hi: 48},
		{name: "SQ *LA PALMA TAQUERIA", lo: 11, hi: 42}, {name: "TST* THE LOCAL TAP", lo: 24, hi: 88},
		{name: "BUFFALO WILD WINGS %04d", lo: 25, hi: 75},
	}},
	{13, []merchant{ // online
		{name: "AMAZON.COM*%s", lo: 8, hi: 160, online: true, where: "AMZN.COM/BILL WA"},
		{name: "AMZN Mktp US*%s", lo: 6, hi: 95, online: true, where: "AMZN.COM/BILL WA"},
		{name: "WALMART.COM %s", lo: 10, hi: 140, online: true, where: "800-966-6546 AR"},
		{name: "EBAY O*%s", lo: 9, hi: 120, online: true, where: "408-376-7400 CA"},
		{name: "ETSY.COM - %s", lo: 12, hi: 80, online: true, where: "BROOKLYN NY"},
		{name: "SHEIN.COM %s", lo: 15, hi: 90, online: true, where: "LOS ANGELES CA"},
	}},
	{5, []merchant{ // pharmacy
		{name: "CVS/PHARMACY #%05d", lo: 5, hi: 62}, {name: "WALGREENS #%05d", lo: 4, hi: 55},
	}},
	{4, []merchant{ // home
		{name: "THE HOME DEPOT #%04d", lo: 9, hi: 185}, {name: "LOWE'S #%04d", lo: 11, hi: 160},
		{name: "AUTOZONE #%04d", lo: 12, hi: 140},
	}},
	{7, []merchant{ // rides and delivery
		{name: "UBER *TRIP %s", lo: 9, hi: 42, online: true, where: "HELP.UBER.COM CA"},
		{name: "LYFT *RIDE %s", lo: 8, hi: 38, online: true, where: "LYFT.COM CA"},
		{name: "DOORDASH*%s", lo: 16, hi: 55, online: true, where: "WWW.DOORDASH. CA"},
		{name: "UBER *EATS %s", lo: 15, hi: 48, online: true, where: "HELP.UBER.COM CA"},
	}},
}

func init() {
	for i := range spendCategories {
		for j := range spendCategories[i].merchants {
			spendCategories[i].merchants[j].compile()
		}
	}
}

var deliveryNames = []string{"CHIPOTLE", "PANDA EXPRESS", "WINGSTOP", "PAPA JOHNS", "SHAKE SHACK", "FIVE GUYS"}

var categoryWeightTotal = func() float64 {
	t := 0.0
	for _, c := range spendCategories {
		t += c.weight
	}
	return t
}()

// meanPurchase is the expected amount of one card purchase, in cents.
var meanPurchase = func() float64 {
	t := 0.0
	for _, c := range spendCategories {
		s := 0.0
		for _, m := range c.merchants {
			s += (m.lo + m.hi) / 2
		}
		t += c.weight / categoryWeightTotal * s / float64(len(c.merchants)) * 100
	}
	return t
}()

// cardLine prints a card purchase in the account's bank style.
func (c *descCtx) cardLine(m *merchant) string {
	r := c.r
	name := m.render(r)
	where := m.where
	if !m.online {
		where = c.cityUpper
	}
	switch c.style % 5 {
	case 0:
		return "POS PURCHASE " + name + " " + where
	case 1:
		return "CHECKCARD " + c.mmdd4() + " " + name + " " + where + " " + digits(r, 23)
	case 2:
		return "PURCHASE AUTHORIZED ON " + c.mmdd() + " " + name + " " + where + " S" + digits(r, 15) + " CARD " + c.card4
	case 3:
		return "DEBIT CARD PURCHASE - " + name + " " + where
	default:
		return "Card Purchase " + c.mmdd() + " " + titleCase(name) + " " + titleCase(where) + " Card " + c.card4
	}
}

// titleCase capitalises each word ("KROGER #482" → "Kroger #482"), leaving a final word of
// one or two capitals (a state code) as is.
func titleCase(s string) string {
	last := strings.LastIndexByte(s, ' ') + 1
	keep := len(s)-last <= 2 && strings.ToUpper(s[last:]) == s[last:]
	b := []byte(s)
	start := true
	for i, c := range b {
		switch {
		case c == ' ':
			start = true
			continue
		case keep && i >= last:
		case start && c >= 'a' && c <= 'z':
			b[i] = c - 32
		case !start && c >= 'A' && c <= 'Z':
			b[i] = c + 32
		}
		start = false
	}
	return string(b)
}

func (c *descCtx) refundLine(m *merchant) string {
	name := m.name
	if i := strings.IndexAny(name, "%#*"); i > 0 {
		name = strings.TrimSpace(name[:i])
	}
	switch c.r.intn(3) {
	case 0:
		return fmt.Sprintf("%s REFUND %s", name, c.mmdd())
	case 1:
		return fmt.Sprintf("POS RETURN %s %s %s", name, strings.ToUpper(c.city), c.state)
	default:
		return fmt.Sprintf("RETURN %s %s", name, digits(c.r, 10))
	}
}

func (c *descCtx) atmLine() string {
	st := pick(c.r, streetNames)
	switch c.style % 3 {
	case 0:
		return fmt.Sprintf("ATM WITHDRAWAL %s %s %d %s ST %s %s", digits(c.r, 6), c.mmdd(), c.r.between(100, 9999),
			strings.ToUpper(st), strings.ToUpper(c.city), c.state)
	case 1:
		return fmt.Sprintf("ATM CASH WITHDRAWAL %s #%s %s", c.mmdd4(), digits(c.r, 6), strings.ToUpper(c.city))
	default:
		return fmt.Sprintf("NON-NETWORK ATM WITHDRAWAL %s %s %s", c.mmdd(), strings.ToUpper(c.city), c.state)
	}
}

// p2pLine is a Zelle, Venmo or Cash App line with a counterparty.
func (c *descCtx) p2pLine(in bool) string {
	r := c.r
	other := newIdentity(r)
	who := strings.ToUpper(other.First + " " + other.Last)
	switch r.intn(4) {
	case 0, 1:
		if in {
			return fmt.Sprintf("ZELLE PAYMENT FROM %s %s", who, alnum(r, 11))
		}
		return fmt.Sprintf("ZELLE PAYMENT TO %s JPM%s", who, alnum(r, 9))
	case 2:
		if in {
			return fmt.Sprintf("VENMO CASHOUT PPD ID: %s", digits(r, 10))
		}
		return fmt.Sprintf("VENMO PAYMENT %s WEB ID: %s", digits(r, 10), digits(r, 10))
	default:
		if in {
			return fmt.Sprintf("CASH APP*CASH OUT %s CA", "8774174551")
		}
		return fmt.Sprintf("CASH APP*%s 8774174551 CA", who)
	}
}

func (c *descCtx) savingsTransfer(in bool, last4 string) string {
	ref := alnum(c.r, 10)
	if in {
		return fmt.Sprintf("ONLINE TRANSFER FROM SAVINGS XXXXXX%s REF #IB%s ON %s", last4, ref, c.mmdd())
	}
	return fmt.Sprintf("ONLINE TRANSFER TO SAVINGS XXXXXX%s REF #IB%s ON %s", last4, ref, c.mmdd())
}

var employers = []string{
	"ACME CORP", "WALMART INC", "AMAZON.COM SVCS", "KAISER PERMANENTE", "HOME DEPOT USA",
	"TARGET CORP", "UNITED PARCEL SE", "FEDEX GROUND", "STARBUCKS CORP", "DELTA AIR LINES",
	"ATRIUM HEALTH", "LOWES COMPANIES", "COMCAST CORP", "SPROUTS FARMERS", "MERIDIAN SCHOOLS",
	"BRIGHT HORIZONS", "TESLA INC", "ALLIED UNIVERSAL", "CINTAS CORP", "JB HUNT TRANSPORT",
	"ST JOSEPH HOSPITAL", "MAPLE DENTAL GROUP", "SUMMIT LOGISTICS", "RIVERSIDE AUTO BODY",
}

// payrollDesc returns a payroll line generator for one employer, in one of the common shapes.
func payrollDesc(r *rng) func(c *descCtx) string {
	emp := pick(r, employers)
	id := digits(r, 10)
	gusto := digits(r, 6)
	switch r.intn(6) {
	case 0:
		return func(*descCtx) string { return emp + " PAYROLL PPD ID: " + id }
	case 1:
		return func(*descCtx) string { return "GUSTO PAY " + gusto }
	case 2:
		return func(*descCtx) string { return "ADP WAGE PAY " + emp }
	case 3:
		return func(c *descCtx) string { return "DIRECT DEP " + emp + " " + c.yymmdd() }
	case 4:
		return func(*descCtx) string { return emp + " DIR DEP PPD ID: " + id }
	default:
		return func(c *descCtx) string { return "PAYCHEX-RCX PAYROLL " + emp + " " + c.mmdd4() }
	}
}

var unemploymentByState = map[string]string{
	"CA": "CA EDD UI BENEFIT", "NY": "NYS DOL UI DD", "TX": "TWC-BENEFITS UI BENEFIT",
	"FL": "FL DEO UI BENEFITS", "IL": "IL DEPT EMPL SEC UI BENEFIT", "OH": "OHIO ODJFS UI BENEFIT",
	"GA": "GA DOL UI BENEFITS", "WA": "WA ESD UI BENEFITS", "NC": "NC DES UI BENEFITS",
	"PA": "PA UC BENEFITS", "MI": "STATE OF MICH UIA BENEFIT",
}

func unemploymentDesc(state string) string {
	if d, ok := unemploymentByState[state]; ok {
		return d
	}
	return state + " DEPT OF LABOR UI BENEFIT"
}

type biller struct {
	desc   string
	lo, hi float64
}

var rentBillers = []string{
	"AVALON COMMUNITIES RENT PPD ID: %s", "WEB PMT BILT RENT %s", "RENT PAYMENT GREYSTAR PROP MGMT %s",
	"RENTCAFE ONLINE PMT %s", "APPFOLIO RENT PMT %s", "ROCKET MORTGAGE MTG PMT %s",
	"WELLS FARGO HOME MTG AUTO PAY %s", "MR. COOPER MORTGAGE PMT %s",
}

var utilityBillers = []biller{
	{"PG&E WEB ONLINE %s", 70, 210}, {"DUKE ENERGY PAYMENT %s", 65, 190}, {"XCEL ENERGY PAYMENT %s", 55, 170},
	{"COMED PAYMENT %s", 60, 180}, {"GEORGIA POWER PMT %s", 80, 220}, {"CITY OF %CITY UTILITIES %s", 40, 120},
}

var telecomBillers = []biller{
	{"COMCAST CABLE COMM %s", 55, 95}, {"SPECTRUM 855-707-7328 %s", 50, 90}, {"AT&T PAYMENT %s", 60, 140},
	{"VERIZON WIRELESS PAYMENTS PPD ID: %s", 70, 160}, {"T-MOBILE PCS SVC %s", 45, 130},
	{"CRICKET WIRELESS %s", 30, 60},
}

var insuranceBillers = []biller{
	{"GEICO *AUTO %s", 90, 210}, {"PROGRESSIVE *INSURANCE %s", 95, 230},
	{"STATE FARM RO 27 SFPP %s", 100, 240}, {"ALLSTATE INS CO %s", 85, 200},
}

var subscriptionBillers = []biller{
	{"NETFLIX.COM NETFLIX.COM CA", 6.99, 22.99}, {"SPOTIFY USA 877-7781161 NY", 10.99, 16.99},
	{"HULU 877-8244858 CA", 7.99, 17.99}, {"APPLE.COM/BILL 866-712-7753 CA", 0.99, 14.99},
	{"PLANET FITNESS 844-880-7180 NH", 10, 24.99}, {"AMAZON PRIME*%s AMZN.COM/BILL WA", 14.99, 14.99},
	{"DISNEY PLUS 888-905-7888 CA", 7.99, 13.99},
}

var autoLoanBillers = []biller{
	{"SANTANDER CONSUMER AUTO PMT %s", 280, 520}, {"TOYOTA FINANCIAL PMT %s", 300, 560},
	{"ALLY AUTO PAYMENT %s", 260, 490}, {"CAPITAL ONE AUTO PMT %s", 250, 480},
}

var studentLoanBillers = []biller{
	{"NAVIENT STUDENT LOAN %s", 150, 380}, {"NELNET STUDENT LOAN %s", 140, 360},
	{"DEPT EDUCATION STUDENT LN %s", 120, 340},
}

var cardIssuers = []biller{
	{"CHASE CREDIT CRD AUTOPAY PPD ID: %s", 60, 650}, {"CAPITAL ONE MOBILE PMT %s", 40, 400},
	{"DISCOVER E-PAYMENT %s", 50, 500}, {"CITI AUTOPAY PAYMENT %s", 45, 450},
	{"AMEX EPAYMENT ACH PMT %s", 80, 900}, {"SYNCHRONY BANK PAYMENT %s", 35, 250},
}

// fillBiller renders a biller template: %s becomes a reference number, %CITY the holder's city.
func fillBiller(c *descCtx, tpl string) string {
	tpl = strings.ReplaceAll(tpl, "%CITY", strings.ToUpper(c.city))
	if strings.Contains(tpl, "%s") {
		return fmt.Sprintf(tpl, digits(c.r, 10))
	}
	return tpl
}

type lender struct {
	proceeds, payment string
	lo, hi            float64 // principal range
}

var installmentLenders = []lender{
	{"OPPLOANS DISBURSEMENT", "OPPLOANS PAYMENT", 500, 2500},
	{"NETCREDIT LOAN FUNDING", "NETCREDIT PMT", 1000, 3000},
	{"POSSIBLE FINANCE LOAN", "POSSIBLE FINANCE PMT", 250, 500},
	{"RISE CREDIT DEPOSIT", "RISE CREDIT PAYMENT", 500, 2000},
	{"ONEMAIN FINANCIAL LOAN", "ONEMAIN PAYMENT", 1500, 4000},
	{"AVANT LOAN PROCEEDS", "AVANT PAYMENT", 1000, 3500},
	{"CREDITNINJA FUNDING", "CREDITNINJA PMT", 300, 1500},
}

type advanceApp struct {
	in, out string
	lo, hi  float64
}

var advanceApps = []advanceApp{
	{"EARNIN ADVANCE", "EARNIN ACTIVEHOURS REPAY", 50, 150},
	{"DAVE INC ADVANCE", "DAVE INC DEBIT", 25, 100},
	{"BRIGIT ADVANCE", "BRIGIT REPAYMENT", 50, 250},
	{"MONEYLION INSTACASH", "MONEYLION REPAY", 25, 200},
	{"KLOVER ADVANCE", "KLOVER REPAYMENT", 20, 100},
}

type gigPlatform struct {
	desc   []string
	lo, hi float64
}

var gigPlatforms = []gigPlatform{
	{[]string{"UBER TECHNOLOGIES PAYOUT", "UBER USA 6787 EDI PYMNTS PPD ID: 1800948598", "UBER INSTANT PAY"}, 45, 420},
	{[]string{"DOORDASH DASHER", "DOORDASH INC PAYROLL", "DASHER DIRECT DEPOSIT"}, 35, 320},
	{[]string{"INSTACART SHOPPER PAY", "MAPLEBEAR INC INSTACART"}, 30, 280},
	{[]string{"LYFT INC DRIVER PAYOUT", "LYFT EXPRESS DRIVE"}, 40, 380},
	{[]string{"AMAZON FLEX EARNINGS", "AMAZON.COM SVCS FLEX"}, 60, 260},
	{[]string{"GRUBHUB HOLDINGS PAYOUT"}, 30, 220},
}

func feeLine(c *descCtx, kind int, item string) string {
	switch kind % 4 {
	case 0:
		return fmt.Sprintf("OVERDRAFT ITEM FEE FOR ITEM %s %s", c.mmdd(), item)
	case 1:
		return fmt.Sprintf("NSF FEE ITEM #%s %s", item, c.mmdd())
	case 2:
		return fmt.Sprintf("RETURNED ITEM FEE %s #%s", c.mmdd(), item)
	default:
		return "INSUFFICIENT FUNDS FEE " + c.mmdd()
	}
}

package ownership

import "strings"

// streetSuffixes maps each USPS standard street suffix abbreviation (Publication 28,
// appendix C1) to the spellings people and banks use for it. The abbreviation itself
// is always accepted.
const streetSuffixes = `
aly: alley allee ally
anx: annex anex annx
arc: arcade
ave: avenue av aven avenu avn avnue
byu: bayou bayoo
bch: beach
bnd: bend
blf: bluff bluf
blfs: bluffs
btm: bottom bot bottm
blvd: boulevard boul boulv blv
br: branch brnch
brg: bridge brdge
brk: brook
brks: brooks
byp: bypass bypa bypas byps
cp: camp cmp
cyn: canyon canyn cnyn
cpe: cape
cswy: causeway causwa
ctr: center cen cent centr centre cnter cntr
cir: circle circ circl crcl crcle
cirs: circles
clf: cliff
clfs: cliffs
clb: club
cmn: common
cmns: commons
cor: corner
cors: corners
crse: course
ct: court crt
cts: courts
cv: cove
cvs: coves
crk: creek
cres: crescent crsent crsnt
crst: crest
xing: crossing crssng
xrd: crossroad
xrds: crossroads
curv: curve
dl: dale
dm: dam
dv: divide div dvd
dr: drive driv drv
drs: drives
est: estate
ests: estates
expy: expressway exp expr express expw
ext: extension extn extnsn
exts: extensions
fls: falls
fry: ferry frry
fld: field
flds: fields
flt: flat
flts: flats
frd: ford
frst: forest forests
frg: forge forg
frk: fork
frks: forks
ft: fort frt
fwy: freeway freewy frway frwy
gdn: garden gardn grden grdn
gdns: gardens grdns
gtwy: gateway gatewy gatway gtway
gln: glen
glns: glens
grn: green
grns: greens
grv: grove grov
grvs: groves
hbr: harbor harbour harb harbr hrbor
hbrs: harbors
hvn: haven
hts: heights ht
hwy: highway highwy hiway hiwy hway
hl: hill
hls: hills
holw: hollow hllw hollows holws
inlt: inlet
is: island islnd
iss: islands islnds
isle: isles
jct: junction jction jctn junctn juncton
jcts: junctions
ky: key
kys: keys
knl: knoll knol
knls: knolls
lk: lake
lks: lakes
land:
lndg: landing lndng
ln: lane
lgt: light
lgts: lights
lf: loaf
lck: lock
lcks: locks
ldg: lodge ldge lodg
loop: loops
mall:
mnr: manor
mnrs: manors
mdw: meadow
mdws: meadows medows
mews:
ml: mill
mls: mills
msn: mission missn mssn
mtwy: motorway
mt: mount mnt
mtn: mountain mntain mntn mountin mtin
mtns: mountains
nck: neck
orch: orchard orchrd
oval: ovl
opas: overpass
park: prk parks
pkwy: parkway parkwy pkway pky parkways pkwys
pass:
psge: passage
path: paths
pike: pikes
pne: pine
pnes: pines
pl: place
pln: plain
plns: plains
plz: plaza plza
pt: point
pts: points
prt: port
prts: ports
pr: prairie prr
radl: radial rad radiel
ramp:
rnch: ranch ranches rnchs
rpd: rapid
rpds: rapids
rst: rest
rdg: ridge rdge
rdgs: ridges
riv: river rvr rivr
rd: road
rds: roads
rte: route
row:
rue:
run:
shl: shoal
shls: shoals
shr: shore shoar
shrs: shores
skwy: skyway
spg: spring spng sprng
spgs: springs spngs sprngs
spur: spurs
sq: square sqr sqre squ
sqs: squares
sta: station statn stn
stra: stravenue
strm: stream streme
st: street strt str saint
sts: streets
smt: summit sumit sumitt
ter: terrace terr
trwy: throughway
trce: trace traces
trak: track tracks trk trks
trfy: trafficway
trl: trail trails trls
tunl: tunnel tunel tunls tunnels tunnl
tpke: turnpike trnpk turnpk
upas: underpass
un: union
vly: valley vally vlly
vlys: valleys
via: viaduct vdct viadct
vw: view
vws: views
vlg: village vill villag villg villiage
vlgs: villages
vl: ville
vis: vista vist vst vsta
walk: walks
wall:
way: wy
ways:
wl: well
wls: wells
`

// directionals maps compass words to their USPS abbreviations.
var directionals = map[string]string{
	"north": "n", "south": "s", "east": "e", "west": "w",
	"northeast": "ne", "northwest": "nw", "southeast": "se", "southwest": "sw",
	"n": "n", "s": "s", "e": "e", "w": "w", "ne": "ne", "nw": "nw", "se": "se", "sw": "sw",
}

// unitWords maps secondary unit designators (USPS appendix C2) to their abbreviations.
var unitWords = map[string]string{
	"apartment": "apt", "apt": "apt", "basement": "bsmt", "bsmt": "bsmt", "building": "bldg",
	"bldg": "bldg", "department": "dept", "dept": "dept", "floor": "fl", "fl": "fl", "flr": "fl",
	"front": "frnt", "frnt": "frnt", "hangar": "hngr", "hngr": "hngr", "lobby": "lbby",
	"lbby": "lbby", "lot": "lot", "lower": "lowr", "lowr": "lowr", "office": "ofc", "ofc": "ofc",
	"penthouse": "ph", "ph": "ph", "pier": "pier", "rear": "rear", "room": "rm", "rm": "rm",
	"side": "side", "slip": "slip", "space": "spc", "spc": "spc", "stop": "stop", "suite": "ste",
	"ste": "ste", "trailer": "trlr", "trlr": "trlr", "unit": "unit", "upper": "uppr",
	"uppr": "uppr", "#": "#", "apt#": "apt", "no": "#",
}

// unitWithoutID are designators that need no number (REAR, BSMT).
var unitWithoutID = setOf(`bsmt frnt lbby lowr ofc rear side uppr ph`)

// ordinalWords spells ordinal street names as numbers (Fifth Ave = 5th Ave).
var ordinalWords = map[string]string{
	"first": "1st", "second": "2nd", "third": "3rd", "fourth": "4th", "fifth": "5th",
	"sixth": "6th", "seventh": "7th", "eighth": "8th", "ninth": "9th", "tenth": "10th",
	"eleventh": "11th", "twelfth": "12th", "thirteenth": "13th", "fourteenth": "14th",
	"fifteenth": "15th", "sixteenth": "16th", "seventeenth": "17th", "eighteenth": "18th",
	"nineteenth": "19th", "twentieth": "20th",
}

// stateNames maps US state, district and territory names to their postal codes:
// "code name abbreviation...", with "_" joining the words of a longer name.
const stateNames = `
al alabama ala|ak alaska|az arizona ariz|ar arkansas ark|ca california calif|
co colorado colo|ct connecticut conn|de delaware del|dc district_of_columbia|
fl florida fla|ga georgia|hi hawaii|id idaho|il illinois ill|in indiana ind|ia iowa|
ks kansas kans|ky kentucky|la louisiana|me maine|md maryland|ma massachusetts mass|
mi michigan mich|mn minnesota minn|ms mississippi miss|mo missouri|mt montana mont|
ne nebraska nebr|nv nevada nev|nh new_hampshire|nj new_jersey|nm new_mexico|
ny new_york|nc north_carolina|nd north_dakota|oh ohio|ok oklahoma okla|or oregon ore|
pa pennsylvania penn penna|ri rhode_island|sc south_carolina|sd south_dakota|
tn tennessee tenn|tx texas tex|ut utah|vt vermont|va virginia|wa washington wash|
wv west_virginia|wi wisconsin wis wisc|wy wyoming wyo|pr puerto_rico|gu guam|
vi virgin_islands|as american_samoa|mp northern_mariana_islands|
aa armed_forces_americas|ae armed_forces_europe|ap armed_forces_pacific`

// countryUS are the ways an address says it is in the United States.
var countryUS = []string{"united states of america", "united states", "usa", "us", "u s a", "u s", "america"}

// foreignCountries are countries whose addresses are compared without US parsing.
var foreignCountries = []string{"canada", "mexico", "united kingdom", "uk", "england",
	"scotland", "wales", "ireland", "germany", "deutschland", "france", "spain", "italy",
	"netherlands", "belgium", "switzerland", "austria", "australia", "new zealand", "india",
	"china", "japan", "brazil", "philippines", "nigeria"}

var (
	suffixCanon = map[string]string{} // any spelling → standard abbreviation
	suffixStd   = map[string]bool{}   // standard abbreviations
	stateCodes  = map[string]bool{}
	// stateByWords maps a canonical token sequence ("n carolina") to its code.
	stateByWords = map[string]string{}
	// stateFirstWords are the first words of state names of two or more words.
	stateFirstWords = map[string]bool{}
	maxStateLen     = 0
	usWords         [][]string
	foreignWords    [][]string
)

func init() {
	for _, l := range strings.Split(streetSuffixes, "\n") {
		std, rest, ok := strings.Cut(l, ":")
		if !ok {
			continue
		}
		std = strings.TrimSpace(std)
		suffixStd[std] = true
		suffixCanon[std] = std
		for _, v := range strings.Fields(rest) {
			suffixCanon[v] = std
		}
	}
	buildAddrCanon()
	for _, entry := range strings.Split(stateNames, "|") {
		f := strings.Fields(entry)
		if len(f) < 2 {
			continue
		}
		code := f[0]
		stateCodes[code] = true
		stateByWords[code] = code
		for _, name := range f[1:] {
			words := strings.Split(name, "_")
			stateByWords[canonPhrase(words)] = code
			if len(words) > 1 {
				stateFirstWords[canonAddrToken(words[0])] = true
			}
			maxStateLen = max(maxStateLen, len(words))
		}
	}
	maxStateLen = max(maxStateLen, 1)
	for _, c := range countryUS {
		usWords = append(usWords, strings.Fields(c))
	}
	for _, c := range foreignCountries {
		foreignWords = append(foreignWords, strings.Fields(c))
	}
}

func canonPhrase(words []string) string {
	c := make([]string, len(words))
	for i, w := range words {
		c[i] = canonAddrToken(w)
	}
	return strings.Join(c, " ")
}

// addrCanon maps every address word that has a USPS standard spelling to it; street
// suffixes take precedence over directionals, unit designators and ordinals.
var addrCanon = map[string]string{}

// canonAddrToken returns the USPS standard spelling of one address word.
func canonAddrToken(t string) string {
	if s, ok := addrCanon[t]; ok {
		return s
	}
	return t
}

func buildAddrCanon() {
	for _, m := range []map[string]string{ordinalWords, unitWords, directionals, suffixCanon} {
		for k, v := range m {
			addrCanon[k] = v
		}
	}
}

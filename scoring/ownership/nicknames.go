package ownership

import "strings"

// givenNameTable lists English given names, one name per line:
//
//	formal | spelling variants | nicknames
//
// A formal name and its variants are the same name spelt differently (Stephen and
// Steven); the nicknames are short or pet forms people use for it (Betsy for
// Elizabeth). A nickname may belong to several names (Alex, Fran). Relations are not
// transitive: Frances and Francis share "Fran" but are different names. Cross-language
// equivalents (John and Juan) are deliberately not variants; a bank would not write
// one for the other.
const givenNameTable = `
aaron | aron aaren | ron ronnie
abel | |
abigail | abbigail | abby abbie gail
abraham | abram | abe bram
ada | |
adam | | ad
adelaide | | addie della
adeline | adaline | addie
adrian | adrien |
agatha | | aggie
agnes | | aggie nessa
ahmed | ahmad |
aidan | aiden ayden |
alan | allan allen alun | al
albert | | al bert bertie
alberta | | bertie
alberto | | beto
alejandro | | alex ale
alexander | alexandre aleksander aleksandr alexandr | alex al xander sandy alec lex sasha
alexandra | alexandria aleksandra alessandra | alex alexa sandra sandy lexi allie sasha
alexei | alexey aleksei aleksey | alyosha
alfonso | alphonso alphonse | al fonzie
alfred | alfredo | al alf alfie fred freddie
alice | alys | allie ally
alicia | alisha | allie ally
allison | alison allyson | allie ally
alonzo | alonso | lon lonnie
alvin | alvan | al vin
amanda | | mandy manda
amber | |
ambrose | | brose
amelia | | amy millie mel
amos | |
amy | aimee |
anastasia | | ana stacy stacey tasha
andrea | | andie
andrew | andreas andrei andrey | andy drew dre
angela | | angie
angelina | | angie lina
anita | | nita
ann | anne anna ana | annie nan
annabelle | annabel | anna belle
anthony | antony | tony ant
antoinette | | toni nettie
antonio | | tony
april | |
archibald | | archie arch
armando | | mando
arnold | | arnie
arthur | artur | art artie
ashley | ashleigh |
audrey | |
august | augustus augustine | gus augie
austin | |
barbara | | barb barbie babs bobbie
barnabas | barnaby | barney
barry | |
bartholomew | | bart
beatrice | | bea trixie
belinda | | linda
benedict | | ben benny
benjamin | | ben benny benji benjie
bernadette | | bernie
bernard | | bernie barney
bertha | | bertie
bertram | bertrand | bert
beverly | beverley | bev
blake | |
bonnie | |
bradford | | brad
bradley | bradly | brad
brandon | branden |
brenda | | bren
brent | |
brian | bryan brien |
bridget | brigid bridgette | biddy bridie
brittany | britney brittney | britt
brooke | |
bruce | |
byron | |
caleb | |
calvin | | cal
cameron | kameron | cam
camille | | cami millie
candace | candice | candy
carl | karl |
carla | karla |
carlos | |
carmen | |
caroline | carolyn carol carole | carrie lina callie
casey | |
cassandra | | cassie sandy
catherine | katherine kathryn katharine cathryn catharine | cathy kathy cate kate katie kat kay kit kitty cat trina
cecilia | cecelia | cissy celia
cecil | |
chad | |
charlene | | charlie
charles | | charlie chuck chas chaz chip
charlotte | | charlie lottie
chelsea | |
cheryl | sheryl |
christian | kristian | chris
christina | kristina cristina | chris chrissy tina kris
christine | kristine | chris chrissy tina kris
christopher | kristopher cristopher | chris kit topher kris
cindy | |
clara | clare claire |
clarence | | clare
claude | |
clayton | | clay
clement | | clem
clifford | | cliff
clinton | | clint
clyde | |
colleen | |
connor | conor |
constance | | connie
cornelius | | neil con connie corny
courtney | |
craig | |
crystal | kristal |
curtis | kurtis | curt kurt
cynthia | | cindy cyndi
cyrus | | cy
dale | |
dana | |
daniel | | dan danny
daniela | daniella danielle | dani
darlene | |
darrell | darrel daryl darryl |
david | | dave davy davie
dean | |
deborah | debra debora | deb debbie debby
delores | dolores | lola dee
denise | |
dennis | denis | denny
derek | derrick | rick
desmond | | des
diana | diane dianne | di
dmitri | dmitry dmitriy dmitrii | dima
dominic | dominick domenic | dom nick
donald | | don donnie
donna | |
doris | |
dorothy | | dot dottie dolly dora
douglas | | doug
duane | dwayne dewayne |
dustin | |
dylan | dillon |
earl | |
edgar | | ed eddie
edith | | edie
edmund | edmond | ed eddie ned
eduardo | | lalo eddie
edward | | ed eddie ned ted teddy
edwin | | ed eddie win
eileen | aileen |
elaine | |
eleanor | elinor eleanore | ellie nell nellie nora
elijah | | eli
elias | | eli
elizabeth | elisabeth | beth betsy betty bess bessie eliza liz lizzie liza libby lisa elsie ellie
ellen | | ellie nell
elmer | |
emily | emilie | em emmy millie
emma | | em emmy
emmanuel | emanuel | manny
enrique | | kike quique
eric | erik erich | rick ricky
erin | |
ernest | | ernie
esther | | essie hetty
ethan | |
eugene | | gene
eugenia | | gena genie
evan | |
evelyn | evelin | evie eve
ezekiel | | zeke
faith | |
felicia | | fliss
floyd | |
florence | | flo flossie
frances | | fran frannie francie frankie
francis | | frank frankie fran
francisco | | paco pancho frank
franklin | | frank frankie
frederick | frederic fredrick | fred freddie freddy fritz rick
gabriel | | gabe
gabrielle | gabriella | gabby gabi
gail | gayle |
gary | garry |
geoffrey | jeffrey jeffery geoffery | geoff jeff
george | | georgie
georgina | | georgie gina
gerald | | gerry jerry
geraldine | | gerri jerri dina
gerard | | gerry jerry
gertrude | | gertie trudy
gilbert | | gil bert
gina | |
glen | glenn |
gloria | | glory
gordon | | gordie
grace | | gracie
gregory | | greg
guillermo | | memo
gwendolyn | gwendolen | gwen wendy
hannah | hanna |
harold | | hal harry
harriet | | hattie
harvey | |
hazel | |
heather | |
helen | helena | nell nellie lena
henrietta | | etta hettie hattie
henry | | hank hal harry
herbert | | herb bert
herman | |
holly | |
howard | | howie
hubert | | hugh bert
hugh | hugo | hughie
ian | |
ignacio | | nacho
irene | |
isaac | | ike
isabel | isabella isabelle | bella izzy belle isa
isaiah | | ike
jack | |
jacob | jakob | jake coby
jacqueline | jaqueline | jackie jacqui
jaime | |
james | | jim jimmy jamie jimbo
jane | jayne | janie jenny
janet | janette | jan
janice | janis | jan
jared | jarred |
jasmine | jasmin |
jason | | jay
jasper | | jas
jean | |
jefferson | | jeff
jennifer | | jen jenny jenn
jeremiah | | jerry
jeremy | | jerry jem
jerome | | jerry
jesse | | jess
jessica | | jess jessie
jesus | | chuy
jill | |
jillian | gillian | jill jilly
joan | joanne joann johanna joanna | jo jojo
joel | |
john | jon | jack johnny jonny
jonathan | jonathon johnathan johnathon | jon jonny nate
jordan | |
jose | | pepe chepe
joseph | josef | joe joey jo
josephine | | jo josie
joshua | | josh
joyce | |
juan | |
judith | | judy jude
julia | | jules julie
julian | | jules
juliana | julianna | julie
julius | | jules
justin | |
karen | karin caren |
kathleen | cathleen | kathy kath kay kit
keith | |
kelly | kelli kellie |
kenneth | | ken kenny
kevin | | kev
kimberly | kimberley | kim kimmie
kirk | |
kyle | |
lance | |
larry | |
laura | lora | laurie
lauren | |
lawrence | laurence | larry laurie
leah | lea |
leo | |
leon | |
leonard | | leo len lenny
leopold | | leo
leroy | | lee roy
leslie | lesley | les
lester | | les
lewis | louis | lou louie lew
lillian | lilian | lily lil
linda | lynda |
lindsay | lindsey |
lisa | |
lloyd | |
logan | |
lois | |
lorraine | | lori
louise | louisa | lou lulu
lucas | | luke
lucille | | lucy lu
lucinda | | lucy cindy
lucy | |
luis | |
luther | |
lydia | |
lynn | lynne |
madeline | madeleine madelyn | maddie maddy
malcolm | | mal
manuel | | manny manolo
marcus | marco markus | marc
margaret | margret | maggie meg peg peggy marge margie greta gretchen daisy madge
maria | | mari
marian | marion |
marie | |
marilyn | |
marjorie | margery | marge margie
mark | marc |
martha | | marty patty mattie
martin | | marty
marvin | | marv
mary | | molly polly mae mamie
matilda | mathilda | tilly tillie mattie
matthew | mathew | matt matty
maureen | | mo
maurice | | mo morrie
maximilian | | max
maxwell | | max
megan | meghan meagan | meg
melanie | | mel
melinda | | mindy mel linda
melissa | | missy mel lissa
melvin | | mel
michael | micheal mikael | mike mikey mick mickey
michelle | michele | shelly
miguel | |
mildred | | millie
miriam | | mimi
mitchell | | mitch
mohammed | muhammad mohammad mohamed muhammed mohamad | mo
monica | monika |
montgomery | | monty
morris | | mo morrie
moses | | moe
nancy | | nan
natalie | natalia natalya nataliya nathalie | nat talia natasha
nathan | | nate nat
nathaniel | | nate nat nathan
neil | neal |
nelson | |
nicholas | nicolas nikolas niklas | nick nicky nico
nicole | | nikki nicky
norma | |
norman | | norm
olivia | | liv livvy
oliver | | ollie
oscar | | ozzie
oswald | | oz ozzie
otis | |
owen | |
pamela | | pam
patricia | | pat patty patsy trish tricia
patrick | | pat paddy
paul | |
paula | |
pauline | |
pearl | |
penelope | | penny
percival | | percy
peter | | pete
philip | phillip | phil pip
phyllis | |
priscilla | | cilla prissy
quentin | quinton | quinn
rachel | rachael |
ralph | rafe |
randall | randal | randy
randolph | | randy dolph
raphael | rafael | rafa
raymond | | ray
rebecca | rebekah | becky becca
regina | | gina reggie
reginald | | reggie reg
renee | |
reuben | ruben | rube
rhonda | |
ricardo | | rick ricky
richard | | rick ricky rich richie dick
rita | |
robert | | rob robbie bob bobby bert
roberto | | beto
robin | robyn |
roderick | | rod roddy rick
rodney | | rod
roger | rodger | rog
roland | | rollie
ronald | | ron ronnie
rosa | |
rosalind | | roz
rose | |
rosemary | rosemarie | rosie
roxanne | roxane | roxy
roy | |
rudolph | rudolf | rudy rudi
russell | russel | russ
ruth | | ruthie
ryan | |
samantha | | sam sammy
samuel | | sam sammy
sandra | | sandy
sarah | sara | sally sadie
scott | | scotty
sean | shawn shaun |
sebastian | | seb
sergei | sergey |
seth | |
sharon | |
shelby | |
shirley | |
sidney | sydney | sid
simon | | si
solomon | | sol
sophia | sofia sophie |
spencer | | spence
stacy | stacey |
stanley | | stan
stephanie | stefanie | steph stevie
stephen | steven | steve stevie
stuart | stewart | stu
susan | suzanne susanna | sue susie suzy
sylvester | | sly
sylvia | silvia |
tamara | | tammy tami
tammy | |
teresa | theresa | terri terry tess tessa
terence | terrance terrence | terry
theodore | | ted teddy theo
thomas | tomas | tom tommy
timothy | | tim timmy
tobias | | toby
todd | |
tracy | tracey |
travis | |
trevor | |
troy | |
tyler | | ty
valerie | | val
vanessa | | nessa
vernon | | vern
veronica | | ronnie
victor | | vic
victoria | | vicky vicki tori
vincent | | vince vinny vin
virginia | | ginny ginger
vivian | vivienne | viv
wallace | | wally
walter | | walt wally
warren | |
wayne | |
wendell | |
wendy | |
wesley | | wes
whitney | |
wilbur | | will
wilfred | | fred
wilhelmina | | mina willa billie minnie
willard | | will
william | | will bill billy willie willy liam
winifred | | winnie
winston | | win
woodrow | | woody
wyatt | |
yolanda | | yoli
yuri | yury |
yvonne | | vonnie
zachary | zachery | zach zack zak
zachariah | zacharias | zach zack
zoe | zoey |
`

// nameInfo records which table lines a given name belongs to.
type nameInfo struct {
	groups []uint16 // lines where the name is the formal name or a spelling variant
	nicks  []uint16 // lines where the name is a nickname
	formal []string // the formal name of each nick line, parallel to nicks
}

// givenNames maps every name in givenNameTable to its lines.
var givenNames = map[string]*nameInfo{}

func init() {
	line := uint16(0)
	for _, l := range strings.Split(givenNameTable, "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		parts := strings.Split(l, "|")
		if len(parts) != 3 {
			panic("ownership: bad given-name line: " + l)
		}
		formal := strings.TrimSpace(parts[0])
		for _, n := range append([]string{formal}, strings.Fields(parts[1])...) {
			info := givenNameEntry(n)
			info.groups = append(info.groups, line)
		}
		for _, n := range strings.Fields(parts[2]) {
			info := givenNameEntry(n)
			info.nicks = append(info.nicks, line)
			info.formal = append(info.formal, formal)
		}
		line++
	}
}

func givenNameEntry(n string) *nameInfo {
	info := givenNames[n]
	if info == nil {
		info = &nameInfo{}
		givenNames[n] = info
	}
	return info
}

// isGivenName reports whether s is a known given name or nickname.
func isGivenName(s string) bool { return givenNames[s] != nil }

// nameRelation says how two different given names are related.
type nameRelation int

const (
	relNone     nameRelation = iota
	relVariant               // same name spelt differently: Sara, Sarah
	relNickname              // one is a nickname of the other, or both of one name
)

// givenNameRelation reports how given names a and b (folded, a != b) are related.
func givenNameRelation(a, b string) nameRelation {
	ia, ib := givenNames[a], givenNames[b]
	if ia == nil || ib == nil {
		return relNone
	}
	if intersects(ia.groups, ib.groups) {
		return relVariant
	}
	if intersects(ia.nicks, ib.groups) || intersects(ib.nicks, ia.groups) {
		return relNickname
	}
	if intersects(ia.nicks, ib.nicks) {
		return relNickname
	}
	return relNone
}

func intersects(a, b []uint16) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

// moreGivenNames are further common given names with no nickname in the table above.
// Knowing them stops two different names a letter apart (Kevin and Kelvin, Erin and
// Aaron) from being taken for a typo.
const moreGivenNames = `
abdul abdullah ada adele adriana adrienne agustin aisha alana alberto aldo alec alejandra
alfonzo ali alina alisa allie alma alondra alton alvaro alyssa amari amelie amir amira
ana andre andrea angel angelica angelo anika anissa annette ansel antonia arjun arlene
arturo asher ashton astrid athena aubrey audra augusta aurora avery axel ayesha barb
beau belle benito benny bernice beth bethany bianca billie blair blanca bobbi bonita
bradford brady braxton brenna brett bret briana brianna britt brock brody bruno bryce
bryson byron caden caitlin callie callum camila camilo candy cara carina carissa carly
carmela carol carolina carrie carson carter cassidy cathy cecelia cedric celeste celia
cesar chance chandler charity chase chester cheyenne chloe christy ciara cierra clark
claudia clay clint cody colby cole colin conrad consuelo cora corey cory cristian
cruz curt cyril daisy dakota dallas damian damon dane dante daphne darcy darius darnell
darren darryl dave davis dawn deanna debbie deirdre delia della delbert demetrius denny
derek desiree devin devon dexter diego dillon dina dion dolly dominique donovan dora
dorian doreen dwight eddie edna eduardo efrain eileen elaine elena eli eliana elise
eliza ella ellis elliot elliott eloise elsa elsie elton elvis emerson emilio emiliano
enzo erica ericka erika erin ernestine esmeralda esperanza estela estelle esteban ethel
etta eunice eva evangeline everett fabian fatima felix fernando fiona flora forrest
francesca francine francisca freda freddie gabe gage garrett gavin gemma genevieve
george gerardo gianna gideon gilberto giovanni giselle gladys glenda gonzalo graham
greta griffin guadalupe gustavo gus haley halle hamza hank hans harlan harley harper
hassan hayden heidi helga hilda hollis homer hope horace hudson humberto hunter ida
ignatius ilana imani imogen ines ingrid ira iris irma isaias ismael israel ivan ivy
jackie jada jade jaden jake jalen jamal jameson jamie jan jana janae jane janelle
janine jarrett javier jay jayden jeanette jeanne jenna jeremiah jerry jett jillian
jimmy joan joaquin jocelyn jodi jody joey johanna johnny jolene jonah josue journey
joy juana judy jules julio june junior justine kaitlyn kara kareem karina kate katelyn
katrina kay kaylee keegan kelsey kelvin kendall kendra kenji kennedy kenya kerry khalid
kiara kieran kimberlee kira kristen kristin kristy kurt kylie lacey lamar lana landon
lara latoya laurel laverne lawson layla leann leila leland lena leona leonardo leonel
leslie levi lila liliana lilly lina lionel liza lola lonnie lorena loretta lori lorna
lorenzo lourdes luca luciana luisa luke luz lyle mabel mack mackenzie madison mae maggie
malik mandy marc marcel marcella marcia marco margarita mariah mariana maribel marina
mario marisa marissa marla marlene marlon marsha mary maryann mason mateo matteo
mattie maude mavis max maxine maya mckenzie melody mercedes meredith mia micah miguel
mila miles millie milton mindy minnie mira miranda misty mollie morgan muriel myra myron
nadia nadine naomi nash natasha neil nell nellie nestor nia nico nina noah noel noelle
nolan nora noreen octavia odessa olga omar orlando orville pablo paige pam parker
pasquale patsy paulette pedro percy perla petra pierce piper preston quincy rafael
raheem ramiro ramon rene randy raquel raul ray reba reed regan reid reyna ricky riley rita
roberta rocco rocio rodrigo rogelio rolando roman romeo ronda ronnie rory rosalie
rosalind rosario roscoe rowan roxanne ruby rudy rufus russ sabrina sadie salvador sammy
sandy santiago santos sasha saul savannah selena serena sergio shana shane shanice
shauna shawna sheila shelley sherri sherry sierra silas simone skyler sonia sonja
sonya stacey stella sterling stuart summer susana sybil tabitha tanya tara tatiana
teddy teri terrell thea thelma tia tiffany tina tobias toby tomas toni tonya tracey
trent trinity tristan trudy ty ulysses ursula valentina valeria vance velma vera
vernon veronica vicente vickie vince viola violet virgil wade wanda ward wendell
wilma wilson winston xavier yasmin yesenia yusuf zane zelda zion zora
`

func init() {
	next := uint16(len(givenNames) + 1000)
	for _, n := range strings.Fields(moreGivenNames) {
		if givenNames[n] != nil {
			continue
		}
		info := givenNameEntry(n)
		info.groups = append(info.groups, next)
		next++
	}
}

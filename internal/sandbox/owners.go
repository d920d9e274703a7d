package sandbox

import (
	"fmt"
	"strings"
)

// ownerRec is one account owner as the bank reports it. Empty fields render as null.
type ownerRec struct {
	Name, Email, Phone, RawAddress string
}

// ownersFor returns the owners the bank has on file for an account of the persona whose
// applicant (the Stripe customer) is holder.
func ownersFor(persona string, holder identity, seed uint64) []ownerRec {
	r := newRNG(seed, 0x0a11e5)
	nameStyle, addrStyle, phoneStyle := r.intn(6), r.intn(4), r.intn(3)
	switch persona {
	case PersonaOwnerMismatch:
		other := newIdentity(r)
		if r.chance(0.5) { // someone in the same city: a relative's or a bought account
			other.Addr.City, other.Addr.State, other.Addr.Zip = holder.Addr.City, holder.Addr.State, holder.Addr.Zip
		}
		return []ownerRec{person(r, other, nameStyle, addrStyle, phoneStyle)}
	case PersonaJointAccount:
		spouse := newIdentity(r)
		if r.chance(0.7) {
			spouse.Last = holder.Last
		}
		spouse.Addr = holder.Addr
		if r.chance(0.5) {
			return []ownerRec{
				person(r, holder, nameStyle, addrStyle, phoneStyle),
				person(r, spouse, r.intn(6), addrStyle, r.intn(3)),
			}
		}
		up := strings.ToUpper
		var name string
		switch r.intn(3) {
		case 0:
			if spouse.Last == holder.Last {
				name = up(holder.First + " AND " + spouse.First + " " + holder.Last)
			} else {
				name = up(holder.First + " " + holder.Last + " AND " + spouse.First + " " + spouse.Last)
			}
		case 1:
			name = up(holder.First + " " + holder.Last + " OR " + spouse.First + " " + spouse.Last)
		default:
			name = up(holder.Last + " " + holder.First + " & " + spouse.First)
		}
		o := person(r, holder, nameStyle, addrStyle, phoneStyle)
		o.Name = name
		return []ownerRec{o}
	case PersonaBusinessOwned:
		biz := bizName(r, holder)
		domain := emailPart(biz) + ".com"
		return []ownerRec{{
			Name:       strings.ToUpper(biz),
			Email:      pick(r, []string{"billing@", "office@", "info@"}) + domain,
			Phone:      bankPhone(fmt.Sprintf("+1%s555%04d", holder.Phone[2:5], r.between(100, 199)), phoneStyle),
			RawAddress: rawAddress(bizAddress(r, holder), addrStyle),
		}}
	}
	return []ownerRec{person(r, holder, nameStyle, addrStyle, phoneStyle)}
}

func person(r *rng, id identity, nameStyle, addrStyle, phoneStyle int) ownerRec {
	o := ownerRec{Name: bankName(id, nameStyle), RawAddress: rawAddress(id.Addr, addrStyle)}
	switch x := r.intn(10); {
	case x < 5:
		o.Email = id.Email
	case x < 7:
		o.Email = strings.ToUpper(id.Email)
	case x < 9:
		o.Email = ""
	default:
		o.Email = makeEmail(r, id) // an older address
	}
	if r.chance(0.85) {
		o.Phone = bankPhone(id.Phone, phoneStyle)
	}
	if r.chance(0.05) {
		o.RawAddress = ""
	}
	return o
}

var bizTrades = []string{"LANDSCAPING", "CONSTRUCTION", "AUTO REPAIR", "CLEANING SERVICES", "TRUCKING",
	"PLUMBING", "CATERING", "HOME HEALTH", "BARBER SHOP", "CONSULTING", "ELECTRIC", "PAINTING"}

func bizName(r *rng, holder identity) string {
	trade := pick(r, bizTrades)
	switch r.intn(4) {
	case 0:
		return holder.Last + " " + trade + " LLC"
	case 1:
		return holder.First + "'S " + trade + " INC"
	case 2:
		return holder.Last + " & SONS " + trade
	default:
		return pick(r, []string{"SUNRISE", "EAGLE", "PREMIER", "ALL STAR", "BLUE RIDGE", "GOLDEN"}) + " " + trade + " LLC"
	}
}

func bizAddress(r *rng, holder identity) address {
	a := holder.Addr
	a.Number = r.between(100, 9899)
	a.Street = pick(r, streetNames)
	a.Suffix = pick(r, []string{"Blvd", "Ave", "Pkwy", "Rd"})
	a.Unit, a.UnitLabel = "", "STE"
	if r.chance(0.5) {
		a.Unit = fmt.Sprint(r.between(100, 450))
	}
	return a
}

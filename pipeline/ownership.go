package pipeline

import (
	"github.com/riskd/riskd/scoring"
	"github.com/riskd/riskd/scoring/ownership"
)

// OwnershipDetail is the ownership match served and stored with a decision: the best owner per
// field, and every owner's per-field results.
type OwnershipDetail struct {
	OwnershipID string           `json:"ownership_id"`
	Owners      int              `json:"owners"`
	OwnerIDs    []string         `json:"owner_ids"` // fcaown_... by owner index
	Match       ownership.Result `json:"match"`
}

// matchOwners compares the customer (the applicant) with the owners of the latest ownership
// snapshot. It returns nil when there are no owners or no customer to compare.
func matchOwners(f *ScoreFacts) *OwnershipDetail {
	if len(f.Owners) == 0 || f.Customer == nil {
		return nil
	}
	c := f.Customer
	a := ownership.Applicant{Name: c.Name, Email: c.Email, Phone: c.Phone}
	if c.Address != (Address{}) {
		a.Address = &ownership.Address{Line1: c.Address.Line1, Line2: c.Address.Line2, City: c.Address.City,
			State: c.Address.State, PostalCode: c.Address.PostalCode, Country: c.Address.Country}
	}
	owners := make([]ownership.Owner, len(f.Owners))
	ids := make([]string, len(f.Owners))
	for i, o := range f.Owners {
		owners[i] = ownership.Owner{Name: o.Name, Email: o.Email, Phone: o.Phone, RawAddress: o.RawAddress}
		ids[i] = o.ID
	}
	return &OwnershipDetail{OwnershipID: f.Owners[0].OwnershipID, Owners: len(owners), OwnerIDs: ids,
		Match: ownership.Match(a, owners, ownership.DefaultPolicy())}
}

// summary reduces the match to what the policy reads; nil when there is nothing to compare.
func (d *OwnershipDetail) summary() *scoring.Ownership {
	if d == nil {
		return nil
	}
	s := &scoring.Ownership{Owners: d.Owners}
	if n := d.Match.Name; n != nil {
		s.NameCompared, s.NameScore, s.NameMatch = true, n.Score, n.Match
		s.FamilyMember = isTrue(n.IsFirstOrLastNameMatch)
		s.Business = isTrue(n.IsBusinessNameDetected)
	}
	s.EmailMatch = matched(d.Match.Email)
	s.PhoneMatch = matched(d.Match.Phone)
	s.AddressMatch = matched(d.Match.Address)
	return s
}

func isTrue(b *bool) bool { return b != nil && *b }

func matched(f *ownership.FieldResult) *bool {
	if f == nil {
		return nil
	}
	m := f.Match
	return &m
}

package command

import (
	"context"
	"errors"
	"testing"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

const outsider = "outsider" // no role anywhere

// promotionWorld is world's residency (in residence at C1) with a
// promotion to C2 in status st ("" for none); an accepted one has moved
// the residency on (promoted).
func promotionWorld(t *testing.T, st domain.PromotionStatus) (*memResidencies, memPromotions, *authz.Enforcer, func(act, user string) error) {
	t.Helper()
	resStatus := domain.InResidence
	if st == domain.PromotionAccepted {
		resStatus = domain.Promoted
	}
	repo, e := world(t, resStatus)
	if st != "" {
		repo.promotions["res1"] = domain.PromotionFromDB(domain.PromotionRecord{ID: "p1", ResidencyID: "res1", CompanyID: company, RegionID: region,
			From:   domain.ChainCarrier{ID: carrier, RegionID: region, Kind: "incubator", ChainOrder: 2},
			To:     domain.ChainCarrier{ID: otherCarrier, RegionID: region, Kind: "accelerator", ChainOrder: 3},
			Status: st, Shared: []string{"profile"}, ProposedBy: admin})
	}
	promotions := memPromotions{m: repo}
	ctx := context.Background()
	run := func(act, user string) error {
		var err error
		switch act {
		case "propose":
			_, err = NewProposePromotionHandler(repo, promotions, e, clock).Handle(ctx, ProposePromotion{Actor: app.Actor{UserID: user}, ResidencyID: "res1", ToCarrierID: otherCarrier})
		case "consent":
			_, err = NewConsentPromotionHandler(repo, promotions, e, clock).Handle(ctx, ConsentPromotion{Actor: app.Actor{UserID: user}, ResidencyID: "res1"})
		case "accept":
			_, _, err = NewAcceptPromotionHandler(repo, promotions, e, clock).Handle(ctx, AcceptPromotion{Actor: app.Actor{UserID: user}, ResidencyID: "res1"})
		}
		return err
	}
	return repo, promotions, e, run
}

// Every promotion use case from every promotion state, each by the one
// who may take it (C1's admin proposes, the company's admin consents,
// C2's admin accepts): the domain's machine decides, and a refused step
// changes nothing and publishes nothing.
func TestPromotionTransitionsThroughTheUseCases(t *testing.T) {
	by := map[string]string{"propose": admin, "consent": member, "accept": stranger}
	type want struct {
		result apperr.Category
		status domain.PromotionStatus
		events []string
	}
	cases := map[domain.PromotionStatus]map[string]want{
		"": {
			"propose": {"ok", domain.PromotionProposed, []string{events.PromotionProposed}},
			"consent": {apperr.NotFound, "", nil},
			"accept":  {apperr.NotFound, "", nil}, // nothing consented: C2 sees nothing of the residency
		},
		domain.PromotionProposed: {
			"propose": {apperr.Conflict, domain.PromotionProposed, nil},
			"consent": {"ok", domain.PromotionConsented, []string{events.PromotionConsented}},
			"accept":  {apperr.NotFound, domain.PromotionProposed, nil},
		},
		domain.PromotionConsented: {
			"propose": {apperr.Conflict, domain.PromotionConsented, nil},
			"consent": {apperr.Conflict, domain.PromotionConsented, nil},
			"accept":  {"ok", domain.PromotionAccepted, []string{events.ResidencyAdmitted, events.ResidencyPromoted, events.PromotionAccepted}},
		},
		domain.PromotionAccepted: {
			"propose": {apperr.Conflict, domain.PromotionAccepted, nil},
			"consent": {apperr.Conflict, domain.PromotionAccepted, nil},
			"accept":  {apperr.Conflict, domain.PromotionAccepted, nil},
		},
	}
	for from, acts := range cases {
		for act, w := range acts {
			t.Run(string(from)+"/"+act, func(t *testing.T) {
				repo, _, _, run := promotionWorld(t, from)
				resBefore := repo.residencies["res1"].Status()
				err := run(act, by[act])
				if category(err) != w.result {
					t.Fatalf("err %v, want %s", err, w.result)
				}
				var got domain.PromotionStatus
				if p, ok := repo.promotions["res1"]; ok {
					got = p.Status()
				}
				if got != w.status {
					t.Fatalf("promotion %q, want %q", got, w.status)
				}
				var types []string
				for _, p := range repo.published {
					types = append(types, p.EventType())
				}
				if len(types) != len(w.events) {
					t.Fatalf("events %v, want %v", types, w.events)
				}
				for i := range types {
					if types[i] != w.events[i] {
						t.Fatalf("events %v, want %v", types, w.events)
					}
				}
				if w.result != "ok" && repo.residencies["res1"].Status() != resBefore {
					t.Fatalf("refused %s changed the residency to %s", act, repo.residencies["res1"].Status())
				}
			})
		}
	}
}

// What each step leaves behind: the packet sealed at consent and C2 let
// see the company; on acceptance the old residency promoted and a new
// one admitted at C2 that the promotion names.
func TestPromotionStepsLeaveTheirTraces(t *testing.T) {
	repo, _, _, run := promotionWorld(t, domain.PromotionProposed)
	if err := run("consent", member); err != nil {
		t.Fatal(err)
	}
	p := repo.promotions["res1"]
	if len(p.Packet()) == 0 || len(repo.links) != 1 || repo.links[0] != company+"@"+otherCarrier || repo.audited[0] != "promotion.consent" {
		t.Fatalf("packet %s, links %v, audit %v", p.Packet(), repo.links, repo.audited)
	}
	if err := run("accept", stranger); err != nil {
		t.Fatal(err)
	}
	p = repo.promotions["res1"]
	next, ok := repo.residencies[p.NewResidencyID()]
	if repo.residencies["res1"].Status() != domain.Promoted || !ok || next.CarrierID() != otherCarrier || next.Status() != domain.Admitted ||
		next.PromotedFromID() != "res1" {
		t.Fatalf("old %s, new %+v", repo.residencies["res1"].Status(), next)
	}
}

// Who may take each step: 401 anonymous; 404 to who may not see the
// residency (and, before consent, to the target carrier); 403 to who may
// see it but not act; allowed to the one whose step it is.
func TestPromotionAuthorization(t *testing.T) {
	cases := []struct {
		act  string
		from domain.PromotionStatus
		user string
		want apperr.Category
	}{
		{"propose", "", "", apperr.Unauthenticated},
		{"propose", "", outsider, apperr.NotFound},
		{"propose", "", stranger, apperr.NotFound},
		{"propose", "", member, apperr.Forbidden},
		{"propose", "", operator, "ok"},
		{"propose", "", admin, "ok"},

		{"consent", domain.PromotionProposed, "", apperr.Unauthenticated},
		{"consent", domain.PromotionProposed, outsider, apperr.NotFound},
		{"consent", domain.PromotionProposed, stranger, apperr.NotFound},
		{"consent", domain.PromotionProposed, admin, apperr.Forbidden}, // the carrier cannot consent for the company
		{"consent", domain.PromotionProposed, member, "ok"},

		{"accept", domain.PromotionConsented, "", apperr.Unauthenticated},
		{"accept", domain.PromotionConsented, outsider, apperr.NotFound},
		{"accept", domain.PromotionConsented, admin, apperr.Forbidden}, // not the target carrier
		{"accept", domain.PromotionConsented, member, apperr.Forbidden},
		{"accept", domain.PromotionConsented, stranger, "ok"},
	}
	for _, c := range cases {
		t.Run(c.act+"/"+c.user, func(t *testing.T) {
			repo, _, _, run := promotionWorld(t, c.from)
			err := run(c.act, c.user)
			if category(err) != c.want {
				t.Fatalf("err %v, want %s", err, c.want)
			}
			if acted := len(repo.published) > 0; acted != (c.want == "ok") {
				t.Fatalf("published %v", repo.published)
			}
		})
	}
}

// A proposal is only up the chain: C1 (order 2) to a carrier of lower
// order is invalid input, and an unknown target names the field.
func TestProposePromotionRefusesTargetsOffTheChain(t *testing.T) {
	for _, c := range []struct {
		to, code string
	}{{"C0", "not_higher"}, {"nowhere", "carrier_not_found"}, {carrier, "same_carrier"}} {
		t.Run(c.to, func(t *testing.T) {
			repo, promotions, e, _ := promotionWorld(t, "")
			repo.carriers["C0"] = app.Carrier{ID: "C0", RegionID: region, Kind: "maker_space", ChainOrder: 1}
			_, err := NewProposePromotionHandler(repo, promotions, e, clock).Handle(context.Background(),
				ProposePromotion{Actor: app.Actor{UserID: admin}, ResidencyID: "res1", ToCarrierID: c.to})
			var ae *apperr.Error
			if !errors.As(err, &ae) || ae.Category != apperr.IncorrectInput || len(ae.Fields) != 1 || ae.Fields[0].Code != c.code {
				t.Fatalf("err %v, want field code %s", err, c.code)
			}
			if len(repo.promotions) != 0 {
				t.Fatal("stored a refused proposal")
			}
		})
	}
}

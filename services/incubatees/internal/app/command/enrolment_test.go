package command

import (
	"context"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// offerWorld is world without a residency of the company, and an offer
// of C1 to it in status st.
func offerWorld(t *testing.T, st domain.EnrolmentStatus) (*memResidencies, *authz.Enforcer, func(act, user string) error) {
	t.Helper()
	repo, e := world(t, domain.Admitted)
	delete(repo.residencies, "res1")
	repo.offers["o1"] = domain.EnrolmentOfferFromDB(domain.EnrolmentOfferRecord{ID: "o1", CompanyID: company, CarrierID: carrier, RegionID: region,
		CompanyRef: company, Status: st, OfferedBy: admin})
	offers := memOffers{m: repo}
	ctx := context.Background()
	run := func(act, user string) error {
		var err error
		actor := app.Actor{UserID: user}
		switch act {
		case "accept":
			_, _, err = NewAcceptEnrolmentHandler(repo, offers, e, clock).Handle(ctx, AcceptEnrolment{Actor: actor, OfferID: "o1"})
		case "decline":
			_, err = NewDeclineEnrolmentHandler(repo, offers, e, clock).Handle(ctx, DeclineEnrolment{Actor: actor, OfferID: "o1", Reason: "不认识"})
		case "withdraw":
			_, err = NewWithdrawEnrolmentHandler(repo, offers, e, clock).Handle(ctx, WithdrawEnrolment{Actor: actor, OfferID: "o1"})
		}
		return err
	}
	return repo, e, run
}

// Every answer from every offer state, by the one who may give it (the
// company's admin accepts or declines, C1's admin withdraws): only a
// pending offer moves, and a refused answer changes nothing.
func TestEnrolmentTransitionsThroughTheUseCases(t *testing.T) {
	by := map[string]string{"accept": member, "decline": member, "withdraw": admin}
	to := map[string]domain.EnrolmentStatus{"accept": domain.EnrolmentAccepted, "decline": domain.EnrolmentDeclined, "withdraw": domain.EnrolmentWithdrawn}
	last := map[string]string{"accept": events.EnrolmentAccepted, "decline": events.EnrolmentDeclined, "withdraw": events.EnrolmentWithdrawn}
	for _, from := range domain.EnrolmentStatuses {
		for _, act := range []string{"accept", "decline", "withdraw"} {
			t.Run(string(from)+"/"+act, func(t *testing.T) {
				repo, _, run := offerWorld(t, from)
				err := run(act, by[act])
				got := repo.offers["o1"].Status()
				if from != domain.EnrolmentPending {
					if category(err) != apperr.Conflict || got != from || len(repo.published) != 0 || len(repo.residencies) != 0 {
						t.Fatalf("err %v, status %s, events %v, residencies %d; want conflict and nothing changed", err, got, repo.published, len(repo.residencies))
					}
					return
				}
				n := len(repo.published)
				if err != nil || got != to[act] || n == 0 || repo.published[n-1].EventType() != last[act] ||
					repo.audited[len(repo.audited)-1] != "enrolment."+act {
					t.Fatalf("err %v, status %s, events %v, audit %v", err, got, repo.published, repo.audited)
				}
				if opened := len(repo.residencies) == 1; opened != (act == "accept") {
					t.Fatalf("%s opened %d residencies", act, len(repo.residencies))
				}
			})
		}
	}
}

// Accepting opens the residency the offer describes (moved in when it
// says so) and names it on the offer; the carrier may see the company.
func TestAcceptEnrolmentOpensTheResidency(t *testing.T) {
	repo, e, _ := offerWorld(t, domain.EnrolmentPending)
	in := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	x := repo.offers["o1"].Record()
	x.MoveIn = &domain.MoveInFacts{On: in, Unit: "B-2", AreaM2: 40}
	repo.offers["o1"] = domain.EnrolmentOfferFromDB(x)
	v, r, err := NewAcceptEnrolmentHandler(repo, memOffers{m: repo}, e, clock).Handle(context.Background(), AcceptEnrolment{Actor: app.Actor{UserID: member}, OfferID: "o1"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Status() != domain.InResidence || r.EnrolmentOfferID() != "o1" || !r.AdmittedOn().Equal(in) || v.ResidencyID() != r.ID() ||
		repo.offers["o1"].ResidencyID() != r.ID() || len(repo.links) == 0 {
		t.Fatalf("residency %+v, offer names %q, links %v", r, repo.offers["o1"].ResidencyID(), repo.links)
	}
}

// Who may answer: 401 anonymous; 404 to who may not see the offer; 403
// to who sees it but is not the side that answers.
func TestEnrolmentAuthorization(t *testing.T) {
	cases := []struct {
		act, user string
		want      apperr.Category
	}{
		{"accept", "", apperr.Unauthenticated},
		{"accept", outsider, apperr.NotFound},
		{"accept", stranger, apperr.NotFound}, // another carrier's admin
		{"accept", admin, apperr.Forbidden},   // the offering carrier cannot accept for the company
		{"accept", member, "ok"},
		{"decline", "", apperr.Unauthenticated},
		{"decline", outsider, apperr.NotFound},
		{"decline", admin, apperr.Forbidden},
		{"decline", member, "ok"},
		{"withdraw", "", apperr.Unauthenticated},
		{"withdraw", outsider, apperr.NotFound},
		{"withdraw", stranger, apperr.NotFound},
		{"withdraw", member, apperr.Forbidden}, // the company sees the offer but cannot withdraw it
		{"withdraw", admin, "ok"},
	}
	for _, c := range cases {
		t.Run(c.act+"/"+c.user, func(t *testing.T) {
			repo, _, run := offerWorld(t, domain.EnrolmentPending)
			err := run(c.act, c.user)
			if category(err) != c.want {
				t.Fatalf("err %v, want %s", err, c.want)
			}
			if moved := repo.offers["o1"].Status() != domain.EnrolmentPending; moved != (c.want == "ok") {
				t.Fatalf("offer now %s", repo.offers["o1"].Status())
			}
		})
	}
}

// Offering: the carrier's admin may (a pending offer, announced); no
// second pending offer to the same company; 401 and 404 otherwise.
func TestOfferEnrolment(t *testing.T) {
	cases := []struct {
		user    string
		pending bool
		want    apperr.Category
	}{
		{"", false, apperr.Unauthenticated},
		{outsider, false, apperr.NotFound},
		{admin, true, apperr.Conflict},
		{admin, false, "ok"},
	}
	for _, c := range cases {
		t.Run(c.user, func(t *testing.T) {
			repo, e, _ := offerWorld(t, domain.EnrolmentDeclined)
			if c.pending {
				x := repo.offers["o1"].Record()
				x.Status = domain.EnrolmentPending
				repo.offers["o1"] = domain.EnrolmentOfferFromDB(x)
			}
			v, err := NewOfferEnrolmentHandler(repo, memOffers{m: repo}, e, clock).Handle(context.Background(),
				OfferEnrolment{Actor: app.Actor{UserID: c.user}, CarrierID: carrier, OfferEnrolmentInput: app.OfferEnrolmentInput{CompanyID: company}})
			if category(err) != c.want {
				t.Fatalf("err %v, want %s", err, c.want)
			}
			if c.want == "ok" && (v.Status() != domain.EnrolmentPending || len(repo.offers) != 2 || repo.published[0].EventType() != events.EnrolmentOffered) {
				t.Fatalf("offer %+v, %d offers, events %v", v, len(repo.offers), repo.published)
			}
			if c.want != "ok" && len(repo.published) != 0 {
				t.Fatalf("refused offer published %v", repo.published)
			}
		})
	}
}

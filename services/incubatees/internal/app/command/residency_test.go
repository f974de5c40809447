package command

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// Every transition from every state, by the carrier's admin: the domain's
// machine decides, the refused ones change nothing and publish nothing.
func TestResidencyTransitionsThroughTheUseCases(t *testing.T) {
	allowed := map[domain.ResidencyStatus]map[domain.ResidencyAction]domain.ResidencyStatus{
		domain.Admitted:    {domain.ActMoveIn: domain.InResidence, domain.ActExit: domain.Exited},
		domain.InResidence: {domain.ActGraduate: domain.Graduated, domain.ActExit: domain.Exited},
	}
	wantEvent := map[domain.ResidencyAction]string{domain.ActMoveIn: events.ResidencyMovedIn,
		domain.ActGraduate: events.ResidencyGraduated, domain.ActExit: events.ResidencyExited}
	on := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, from := range domain.ResidencyStatuses {
		for _, act := range []domain.ResidencyAction{domain.ActMoveIn, domain.ActGraduate, domain.ActExit} {
			t.Run(string(from)+"/"+string(act), func(t *testing.T) {
				repo, e := world(t, from)
				var err error
				switch act {
				case domain.ActMoveIn:
					_, err = NewMoveInHandler(repo, e, clock).Handle(context.Background(),
						MoveIn{Actor: app.Actor{UserID: admin}, ResidencyID: "res1", Facts: domain.MoveInFacts{On: on, Unit: "A-101", AreaM2: 50}})
				default:
					reason := "financing"
					if act == domain.ActExit {
						reason = "迁出"
					}
					_, err = NewEndResidencyHandler(repo, e, clock).Handle(context.Background(),
						EndResidency{Actor: app.Actor{UserID: admin}, ResidencyID: "res1", Action: act, Reason: reason, On: on})
				}
				got := repo.residencies["res1"]
				to, ok := allowed[from][act]
				if !ok {
					if category(err) != apperr.Conflict || got.Status() != from || len(repo.published) != 0 {
						t.Fatalf("err %v, status %s, %d events; want conflict, %s unchanged, none", err, got.Status(), len(repo.published), from)
					}
					return
				}
				if err != nil || got.Status() != to || len(repo.published) != 1 || repo.published[0].EventType() != wantEvent[act] {
					t.Fatalf("err %v, status %s, events %v; want %s and one %s", err, got.Status(), repo.published, to, wantEvent[act])
				}
				if repo.audited[0] != "residency."+string(act) {
					t.Fatalf("audit %q", repo.audited[0])
				}
			})
		}
	}
}

// Who may move a residency in: 401 anonymous, 404 to strangers (another
// carrier's admin), 403 to who may only read it (a member of the company),
// allowed to the carrier's admin and operator.
func TestMoveInAuthorization(t *testing.T) {
	cases := []struct {
		user string
		want apperr.Category
	}{
		{"", apperr.Unauthenticated},
		{stranger, apperr.NotFound},
		{member, apperr.Forbidden},
		{operator, "ok"},
		{admin, "ok"},
	}
	for _, c := range cases {
		t.Run(c.user, func(t *testing.T) {
			repo, e := world(t, domain.Admitted)
			_, err := NewMoveInHandler(repo, e, clock).Handle(context.Background(), MoveIn{Actor: app.Actor{UserID: c.user}, ResidencyID: "res1",
				Facts: domain.MoveInFacts{On: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Unit: "A", AreaM2: 10}})
			if category(err) != c.want {
				t.Fatalf("err %v, want %s", err, c.want)
			}
			if moved := repo.residencies["res1"].Status() == domain.InResidence; moved != (c.want == "ok") {
				t.Fatalf("moved in: %v", moved)
			}
		})
	}
}

// A region without a rule pack (one from before packs were seeded on
// region.created) gets the national pack from the first move-in, and the
// term end comes from it.
func TestMoveInSeedsTheRulePackOfARegionWithout(t *testing.T) {
	repo, e := world(t, domain.Admitted)
	r, err := NewMoveInHandler(repo, e, clock).Handle(context.Background(), MoveIn{Actor: app.Actor{UserID: admin}, ResidencyID: "res1",
		Facts: domain.MoveInFacts{On: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Unit: "A", AreaM2: 10}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := repo.packs[region]; !ok || r.RulePackVersion() != 1 || r.TermEndOn().Format(time.DateOnly) != "2030-03-01" {
		t.Fatalf("pack seeded %v, version %d, term end %v", ok, r.RulePackVersion(), r.TermEndOn())
	}
}

// One company, one carrier at a time: a second move-in elsewhere is refused.
func TestMoveInRefusedWhileInResidenceElsewhere(t *testing.T) {
	repo, e := world(t, domain.Admitted)
	in := time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)
	repo.residencies["res0"] = domain.ResidencyFromDB(domain.ResidencyRecord{ID: "res0", CompanyID: company, CarrierID: otherCarrier,
		RegionID: region, ApplicationID: "app0", Status: domain.InResidence, AdmittedOn: in, MovedInOn: &in})
	_, err := NewMoveInHandler(repo, e, clock).Handle(context.Background(), MoveIn{Actor: app.Actor{UserID: admin}, ResidencyID: "res1",
		Facts: domain.MoveInFacts{On: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Unit: "A", AreaM2: 10}})
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Slug != "already-in-residence" || repo.residencies["res1"].Status() != domain.Admitted {
		t.Fatalf("err %v", err)
	}
}

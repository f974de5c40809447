package adapters

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

type enrolmentRow struct {
	bun.BaseModel `bun:"table:enrolment_offers,alias:o"`
	ID            string    `bun:"id,pk"`
	CompanyID     string    `bun:"company_id"`
	CarrierID     string    `bun:"carrier_id"`
	RegionID      string    `bun:"region_id"`
	CompanyRef    string    `bun:"company_ref"`
	Status        string    `bun:"status"`
	AdmittedOn    *string   `bun:"admitted_on"`
	MovedInOn     *string   `bun:"moved_in_on"`
	Unit          string    `bun:"unit"`
	AreaM2        float64   `bun:"area_m2"`
	Note          string    `bun:"note"`
	Reason        string    `bun:"reason"`
	OfferedBy     string    `bun:"offered_by"`
	DecidedBy     string    `bun:"decided_by"`
	ResidencyID   string    `bun:"residency_id"`
	CreatedAt     time.Time `bun:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at"`
}

func enrolmentToRow(o *domain.EnrolmentOffer) enrolmentRow {
	x := o.Record()
	r := enrolmentRow{ID: x.ID, CompanyID: x.CompanyID, CarrierID: x.CarrierID, RegionID: x.RegionID, CompanyRef: x.CompanyRef,
		Status: string(x.Status), AdmittedOn: dayp(x.AdmittedOn), Note: x.Note, Reason: x.Reason, OfferedBy: x.OfferedBy,
		DecidedBy: x.DecidedBy, ResidencyID: x.ResidencyID, CreatedAt: x.CreatedAt.UTC(), UpdatedAt: x.UpdatedAt.UTC()}
	if x.MoveIn != nil {
		r.MovedInOn, r.Unit, r.AreaM2 = dayp(&x.MoveIn.On), x.MoveIn.Unit, x.MoveIn.AreaM2
	}
	return r
}

func enrolmentFrom(r enrolmentRow) *domain.EnrolmentOffer {
	x := domain.EnrolmentOfferRecord{ID: r.ID, CompanyID: r.CompanyID, CarrierID: r.CarrierID, RegionID: r.RegionID, CompanyRef: r.CompanyRef,
		Status: domain.EnrolmentStatus(r.Status), AdmittedOn: parseDayp(r.AdmittedOn), Note: r.Note, Reason: r.Reason,
		OfferedBy: r.OfferedBy, DecidedBy: r.DecidedBy, ResidencyID: r.ResidencyID, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if on := parseDayp(r.MovedInOn); on != nil {
		x.MoveIn = &domain.MoveInFacts{On: *on, Unit: r.Unit, AreaM2: r.AreaM2}
	}
	return domain.EnrolmentOfferFromDB(x)
}

func (t *txStore) InsertEnrolmentOffer(ctx context.Context, o *domain.EnrolmentOffer) error {
	row := enrolmentToRow(o)
	return execUnique(ctx, t.NewInsert().Model(&row), "insert enrolment offer", "enrolment-pending")
}

func (t *txStore) UpdateEnrolmentOffer(ctx context.Context, o *domain.EnrolmentOffer) error {
	row := enrolmentToRow(o)
	q := t.NewUpdate().Model(&row).WherePK().ExcludeColumn("id", "company_id", "carrier_id", "region_id", "company_ref", "offered_by", "created_at")
	return db.Exec(ctx, q, "update enrolment offer")
}

// LockEnrolmentOffer reads an offer and holds its row until the
// transaction ends.
func (t *txStore) LockEnrolmentOffer(ctx context.Context, id string) (*domain.EnrolmentOffer, error) {
	var r enrolmentRow
	if err := forUpdate(t.NewSelect().Model(&r).Where("id = ?", id)).Scan(ctx); err != nil {
		return nil, db.NotFound(err, "enrolment-not-found")
	}
	return enrolmentFrom(r), nil
}

func (t *txStore) PendingEnrolmentOffer(ctx context.Context, companyID, carrierID string) (*domain.EnrolmentOffer, error) {
	var r enrolmentRow
	err := t.NewSelect().Model(&r).Where("company_id = ? AND carrier_id = ? AND status = ?", companyID, carrierID, string(domain.EnrolmentPending)).
		Limit(1).Scan(ctx)
	if err != nil {
		return nil, db.NotFound(err, "enrolment-not-found")
	}
	return enrolmentFrom(r), nil
}

// enrolmentViewRow is an offer with the carrier's names and the company's.
type enrolmentViewRow struct {
	enrolmentRow  `bun:",extend"`
	CompanyNameZH string `bun:"company_name_zh"`
	CarrierNameZH string `bun:"carrier_name_zh"`
	CarrierNameEN string `bun:"carrier_name_en"`
}

func (t *txStore) ListEnrolmentOffers(ctx context.Context, f app.EnrolmentFilter, p list.Params) ([]app.EnrolmentView, int, error) {
	var rows []enrolmentViewRow
	q := t.NewSelect().Model(&rows).ColumnExpr("o.*").
		ColumnExpr("co.name_zh AS company_name_zh, ca.name_zh AS carrier_name_zh, ca.name_en AS carrier_name_en").
		Join("JOIN companies AS co ON co.id = o.company_id").
		Join("JOIN carriers AS ca ON ca.id = o.carrier_id")
	q = db.Filter(q, "o.carrier_id = ?", f.CarrierID)
	q = db.Filter(q, "o.company_id = ?", f.CompanyID)
	q = db.Filter(q, "o.status = ?", string(f.Status))
	sorts := map[string]string{"created_at": "o.created_at", "updated_at": "o.updated_at"}
	q = db.OrderBy(q, sorts, p.Sort, p.Sort == "" || p.Desc, "o.created_at", "o.id ASC")
	return db.MapPage(ctx, q, p, &rows, "list enrolment offers", func(r enrolmentViewRow) app.EnrolmentView {
		return app.EnrolmentView{EnrolmentOffer: *enrolmentFrom(r.enrolmentRow), CompanyNameZH: r.CompanyNameZH,
			CarrierNameZH: r.CarrierNameZH, CarrierNameEN: r.CarrierNameEN}
	})
}

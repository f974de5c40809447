// Package command holds the notifications service's writes: delivering
// events into the inboxes of the users they concern, and marking
// notifications read.
package command

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/linkseal"
	"github.com/incuchain/incuchain/services/notifications/internal/app"
	"github.com/incuchain/incuchain/services/notifications/internal/domain"
)

// EventTypes are the subjects each source's consumer follows: the read
// models' (names, roles) and the events users are told about.
var EventTypes = map[string][]string{
	"parks": {"parks.carrier.>", events.UserCreated, "parks.member.>", events.InvitationCreated},
	"incubatees": {"incubatees.company.>", "incubatees.member.>", events.ApplicationDecided, events.PromotionProposed, events.PromotionConsented,
		events.PromotionDeclined, events.MetricsReviewed, events.ResidencyDualFlagged},
	"documents":  {events.DocumentReturned, events.DocumentVerified},
	"milestones": {events.MilestoneDueSoon, events.MilestoneOverdue},
}

// Sources are the publishers followed, in the order their consumers start.
var Sources = []string{"parks", "incubatees", "documents", "milestones"}

var (
	companyRoles = []string{authz.RoleStartupMember}
	staffRoles   = []string{authz.RoleParkAdmin, authz.RoleParkOperator}
)

// DeliverHandler applies one event: it keeps the read models, and for an
// event users must hear of, adds one notification per recipient (at most
// one per event and user: the inbox's unique key) and publishes
// notification.sent for each one added, in the consumer's transaction.
// Each notification's e-mail to a user whose address is known is queued
// in the same transaction; the sender (or the dev mailbox) takes it from
// there.
type DeliverHandler struct {
	now        app.Clock
	consoleURL func() string
	// invitationKey opens the links parks seals into invitation.created.
	invitationKey *linkseal.Key
	log           *slog.Logger
}

// NewDeliverHandler returns the delivery; consoleURL answers the console's
// public address, for the links in e-mail; invitationKey (may be nil)
// opens invitations' sealed links.
func NewDeliverHandler(now app.Clock, consoleURL func() string, invitationKey *linkseal.Key, log *slog.Logger) DeliverHandler {
	return DeliverHandler{now: now, consoleURL: consoleURL, invitationKey: invitationKey, log: log}
}

// message is a notification to be sent to recipients.
type message struct {
	kind                           string
	regionID, carrierID, companyID string
	link                           string
	text                           domain.Text
	to                             []string
}

// Handle applies ev in tx.
func (h DeliverHandler) Handle(ctx context.Context, tx app.Tx, ev events.Envelope) error {
	ms, err := h.read(ctx, tx, ev)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if err := h.send(ctx, tx, ev, m); err != nil {
			return err
		}
	}
	return nil
}

// read keeps the read models and answers the message ev calls for, if any.
func (h DeliverHandler) read(ctx context.Context, tx app.Tx, ev events.Envelope) ([]message, error) {
	switch ev.Type {
	case events.CarrierCreated, events.CarrierUpdated:
		return bus.Decoded(ev, func(p events.CarrierV1) ([]message, error) {
			return nil, tx.UpsertCarrier(ctx, app.Named{ID: p.CarrierID, RegionID: p.RegionID, Name: domain.Name{ZH: p.NameZH, EN: p.NameEN}})
		})
	case events.CompanyRegistered, events.CompanyUpdated:
		return bus.Decoded(ev, func(p events.CompanyV1) ([]message, error) {
			return nil, tx.UpsertCompany(ctx, app.Named{ID: p.CompanyID, RegionID: p.RegionID, Name: domain.Name{ZH: p.NameZH, EN: p.NameEN}})
		})
	case events.UserCreated:
		return bus.Decoded(ev, func(p events.UserCreatedV1) ([]message, error) {
			return nil, tx.UpsertUser(ctx, p.UserID, p.Email, p.DisplayName)
		})
	case events.InvitationCreated:
		return bus.Decoded(ev, func(p events.InvitationCreatedV1) ([]message, error) {
			return nil, h.invitation(ctx, tx, ev, p)
		})
	case events.RoleRevoked, events.CompanyRoleRevoked:
		return bus.Decoded(ev, func(p events.RoleAssignmentV1) ([]message, error) {
			return nil, tx.Revoke(ctx, p.UserID, p.Role, p.Domain)
		})
	case events.RoleGranted, events.CompanyRoleGranted:
		return bus.Decoded(ev, func(p events.RoleAssignmentV1) ([]message, error) {
			if err := tx.Grant(ctx, p.UserID, p.Role, p.Domain); err != nil {
				return nil, err
			}
			return h.roleGranted(ctx, tx, p)
		})
	case events.DocumentReturned, events.DocumentVerified:
		return bus.Decoded(ev, func(p events.DocumentV1) ([]message, error) {
			return h.documentReviewed(ctx, tx, ev.Type == events.DocumentReturned, p)
		})
	case events.ApplicationDecided:
		return bus.Decoded(ev, func(p events.ApplicationDecidedV1) ([]message, error) {
			carrier, err := h.carrierName(ctx, tx, p.CarrierID)
			if err != nil {
				return nil, err
			}
			return h.toCompany(ctx, tx, message{kind: domain.KindApplicationDecided, regionID: p.RegionID, carrierID: p.CarrierID, companyID: p.CompanyID,
				link: "/company/" + p.CompanyID + "/applications/" + p.ApplicationID, text: domain.ApplicationDecided(p.Decision == "admitted", carrier, p.Reason)})
		})
	case events.PromotionProposed, events.PromotionConsented:
		return bus.Decoded(ev, func(p events.PromotionV1) ([]message, error) {
			return h.promotion(ctx, tx, ev.Type == events.PromotionProposed, p)
		})
	case events.PromotionDeclined:
		return bus.Decoded(ev, func(p events.PromotionDeclinedV1) ([]message, error) {
			return h.promotionDeclined(ctx, tx, p)
		})
	case events.MetricsReviewed:
		return bus.Decoded(ev, func(p events.MetricsReviewedV1) ([]message, error) {
			if p.Status != "returned" {
				return nil, nil
			}
			return h.toCompany(ctx, tx, message{kind: domain.KindReportReturned, regionID: p.RegionID, carrierID: p.CarrierID, companyID: p.CompanyID,
				link: "/company/" + p.CompanyID + "/reports/" + p.Period, text: domain.ReportReturned(p.Period, p.Comment)})
		})
	case events.ResidencyDualFlagged:
		return bus.Decoded(ev, func(p events.DualResidencyFlaggedV1) ([]message, error) {
			return h.dualFlagged(ctx, tx, p)
		})
	case events.MilestoneDueSoon:
		return bus.Decoded(ev, func(p events.MilestoneDueSoonV1) ([]message, error) {
			return h.milestone(ctx, tx, false, p.MilestoneV1, p.DaysLeft)
		})
	case events.MilestoneOverdue:
		return bus.Decoded(ev, func(p events.MilestoneOverdueV1) ([]message, error) {
			return h.milestone(ctx, tx, true, p.MilestoneV1, p.DaysOverdue)
		})
	}
	return nil, nil
}

func (h DeliverHandler) carrierName(ctx context.Context, tx app.Tx, id string) (domain.Name, error) {
	c, _, err := tx.Carrier(ctx, id)
	return c.Name, err
}

func (h DeliverHandler) companyName(ctx context.Context, tx app.Tx, id string) (domain.Name, error) {
	c, _, err := tx.Company(ctx, id)
	return c.Name, err
}

// toCompany addresses m to the members of its company.
func (h DeliverHandler) toCompany(ctx context.Context, tx app.Tx, m message) ([]message, error) {
	return toHolders(ctx, tx, authz.CompanyDomain(m.companyID), companyRoles, m)
}

// toStaff addresses m to the staff of its carrier.
func (h DeliverHandler) toStaff(ctx context.Context, tx app.Tx, m message) ([]message, error) {
	return toHolders(ctx, tx, authz.CarrierDomain(m.carrierID), staffRoles, m)
}

// toCompanyAndStaff addresses m to the members of its company and, with
// staffLink instead of its link, to the staff of its carrier: each side
// follows the link to its own page.
func (h DeliverHandler) toCompanyAndStaff(ctx context.Context, tx app.Tx, m message, staffLink string) ([]message, error) {
	out, err := h.toCompany(ctx, tx, m)
	if err != nil {
		return nil, err
	}
	m.link = staffLink
	staff, err := h.toStaff(ctx, tx, m)
	if err != nil {
		return nil, err
	}
	return append(out, staff...), nil
}

// toHolders addresses m to the holders of roles in dom.
func toHolders(ctx context.Context, tx app.Tx, dom string, roles []string, m message) ([]message, error) {
	to, err := tx.Holders(ctx, dom, roles...)
	if err != nil {
		return nil, err
	}
	m.to = to
	return []message{m}, nil
}

func (h DeliverHandler) documentReviewed(ctx context.Context, tx app.Tx, returned bool, p events.DocumentV1) ([]message, error) {
	company, err := h.companyName(ctx, tx, p.CompanyID)
	if err != nil {
		return nil, err
	}
	kind, link := domain.KindDocumentVerified, "/company/"+p.CompanyID+"/documents"
	if returned {
		kind = domain.KindDocumentReturned
	}
	if owner, id, ok := strings.Cut(p.ChecklistID, ":"); ok && owner == "application" && id != "" {
		link = "/company/" + p.CompanyID + "/applications/" + id
	}
	return h.toCompany(ctx, tx, message{kind: kind, regionID: p.RegionID, carrierID: p.CarrierID, companyID: p.CompanyID, link: link,
		text: domain.DocumentReviewed(returned, domain.MaterialName(p.Type, p.Filename), company, p.Comment)})
}

func (h DeliverHandler) promotion(ctx context.Context, tx app.Tx, proposed bool, p events.PromotionV1) ([]message, error) {
	company, err := h.companyName(ctx, tx, p.CompanyID)
	if err != nil {
		return nil, err
	}
	from, err := h.carrierName(ctx, tx, p.FromCarrierID)
	if err != nil {
		return nil, err
	}
	if proposed {
		to, err := h.carrierName(ctx, tx, p.ToCarrierID)
		if err != nil {
			return nil, err
		}
		return h.toCompany(ctx, tx, message{kind: domain.KindPromotionProposed, regionID: p.RegionID, carrierID: p.FromCarrierID, companyID: p.CompanyID,
			link: "/company/" + p.CompanyID + "/chain", text: domain.PromotionProposed(company, from, to)})
	}
	return h.toStaff(ctx, tx, message{kind: domain.KindPromotionConsented, regionID: p.RegionID, carrierID: p.ToCarrierID, companyID: p.CompanyID,
		link: "/carriers/" + p.ToCarrierID + "/incoming-promotions", text: domain.PromotionConsented(company, from)})
}

// promotionDeclined tells the company's members (on their chain page) and
// the sending carrier's staff (on the residency) that the receiving
// carrier declined, with its reason.
func (h DeliverHandler) promotionDeclined(ctx context.Context, tx app.Tx, p events.PromotionDeclinedV1) ([]message, error) {
	company, err := h.companyName(ctx, tx, p.CompanyID)
	if err != nil {
		return nil, err
	}
	to, err := h.carrierName(ctx, tx, p.ToCarrierID)
	if err != nil {
		return nil, err
	}
	return h.toCompanyAndStaff(ctx, tx, message{kind: domain.KindPromotionDeclined, regionID: p.RegionID, carrierID: p.FromCarrierID, companyID: p.CompanyID,
		link: "/company/" + p.CompanyID + "/chain", text: domain.PromotionDeclined(company, to, p.Reason)},
		"/carriers/"+p.FromCarrierID+"/residencies/"+p.ResidencyID)
}

// milestone tells the company of a milestone falling due; an overdue one
// also its carrier's staff.
func (h DeliverHandler) milestone(ctx context.Context, tx app.Tx, overdue bool, p events.MilestoneV1, days int) ([]message, error) {
	company, err := h.companyName(ctx, tx, p.CompanyID)
	if err != nil {
		return nil, err
	}
	kind := domain.KindMilestoneDueSoon
	if overdue {
		kind = domain.KindMilestoneOverdue
	}
	m := message{kind: kind, regionID: p.RegionID, carrierID: p.CarrierID, companyID: p.CompanyID,
		link: "/company/" + p.CompanyID + "/milestones", text: domain.MilestoneDue(overdue, domain.Name{ZH: p.TitleZH, EN: p.TitleEN}, company, p.DueOn, days)}
	if !overdue {
		return h.toCompany(ctx, tx, m)
	}
	// Staff follow the link to the residency's plan, the company to its own page.
	return h.toCompanyAndStaff(ctx, tx, m, "/residencies/"+p.ResidencyID+"/milestones")
}

func (h DeliverHandler) roleGranted(ctx context.Context, tx app.Tx, p events.RoleAssignmentV1) ([]message, error) {
	kind, id, _ := authz.ParseDomain(p.Domain)
	m := message{kind: domain.KindRoleGranted, link: "/", to: []string{p.UserID}}
	var where domain.Name
	switch kind {
	case authz.KindCarrier:
		c, _, err := tx.Carrier(ctx, id)
		if err != nil {
			return nil, err
		}
		where, m.carrierID, m.regionID, m.link = c.Name, id, c.RegionID, "/carriers/"+id
	case authz.KindCompany:
		c, _, err := tx.Company(ctx, id)
		if err != nil {
			return nil, err
		}
		where, m.companyID, m.regionID, m.link = c.Name, id, c.RegionID, "/company/"+id
	case authz.KindRegion:
		m.regionID = id
	}
	m.text = domain.RoleGranted(p.Role, where)
	return []message{m}, nil
}

// send adds m to each recipient's inbox and publishes notification.sent
// for each one added; a recipient who has it from ev already gets nothing.
func (h DeliverHandler) send(ctx context.Context, tx app.Tx, ev events.Envelope, m message) error {
	now := h.now()
	for _, user := range m.to {
		n := domain.Notification{ID: events.NewID(), UserID: user, Kind: m.kind, SourceEventID: ev.ID, RegionID: m.regionID, CarrierID: m.carrierID,
			CompanyID: m.companyID, Link: m.link, Text: m.text, CreatedAt: now}
		added, err := tx.Add(ctx, n)
		if err != nil {
			return fmt.Errorf("deliver %s to %s: %w", ev.Type, user, err)
		}
		if !added {
			continue
		}
		sent, err := events.New(events.Scope{RegionID: m.regionID, CarrierID: m.carrierID}, "system", n.ID, events.NotificationSentV1{
			NotificationID: n.ID, UserID: user, Kind: m.kind, Channel: domain.ChannelInApp, SourceEventID: ev.ID,
			RegionID: m.regionID, CarrierID: m.carrierID, CompanyID: m.companyID})
		if err != nil {
			return err
		}
		if err := tx.Publish(ctx, sent); err != nil {
			return err
		}
		if err := h.queueMail(ctx, tx, n); err != nil {
			return err
		}
	}
	return nil
}

// queueMail queues n's e-mail when its user's address is known.
func (h DeliverHandler) queueMail(ctx context.Context, tx app.Tx, n domain.Notification) error {
	to, err := tx.Email(ctx, n.UserID)
	if err != nil || to == "" {
		return err
	}
	return tx.QueueMail(ctx, domain.MailOf(events.NewID(), n, to, h.consoleURL()))
}

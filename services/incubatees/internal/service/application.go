// Package service builds the incubatees use cases in one place: the
// command and query handlers over their repositories (wild-workouts'
// service.NewApplication).
package service

import (
	"log/slog"
	"time"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/services/incubatees/internal/adapters"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/app/command"
	"github.com/incuchain/incuchain/services/incubatees/internal/app/query"
)

// Application is every use case that has its own handler.
type Application struct {
	Commands Commands
	Queries  Queries

	reads adapters.Reads // the demo seed's look-ups
}

// Commands change state.
type Commands struct {
	RegisterCompany  command.RegisterCompanyHandler
	UpdateCompany    command.UpdateCompanyHandler
	LinkUSCC         command.LinkUSCCHandler
	InviteMember     command.InviteMemberHandler
	AcceptMembership command.AcceptMembershipHandler
	RemoveMember     command.RemoveMemberHandler

	SubmitReport     command.SubmitReportHandler
	ReviseReport     command.ReviseReportHandler
	ReviewReport     command.ReviewReportHandler
	RecordLadderStep command.RecordLadderStepHandler
	VerifyLadderStep command.VerifyLadderStepHandler

	AdmitResidency  command.AdmitResidencyHandler
	MoveIn          command.MoveInHandler
	EndResidency    command.EndResidencyHandler
	AcceptPromotion command.AcceptPromotionHandler
	AcceptEnrolment command.AcceptEnrolmentHandler

	ProposePromotion command.ProposePromotionHandler
	ConsentPromotion command.ConsentPromotionHandler

	OfferEnrolment    command.OfferEnrolmentHandler
	DeclineEnrolment  command.DeclineEnrolmentHandler
	WithdrawEnrolment command.WithdrawEnrolmentHandler

	PublishRulePack command.PublishRulePackHandler
}

// Queries only read.
type Queries struct {
	GetCompany    query.GetCompanyHandler
	ListCompanies query.ListCompaniesHandler
	MyCompanies   query.MyCompaniesHandler
	ListMembers   query.ListMembersHandler
	CompanyRoles  query.CompanyRolesHandler

	GetReport      query.GetReportHandler
	ListReports    query.ListReportsHandler
	CarrierReports query.CarrierReportsHandler
	ListLadder     query.ListLadderHandler

	GetResidency    query.GetResidencyHandler
	ListResidencies query.ListResidenciesHandler
	CompanyChain    query.CompanyChainHandler

	GetPromotion     query.GetPromotionHandler
	PromotionTargets query.PromotionTargetsHandler
	EnrolmentOffers  query.EnrolmentOffersHandler
	RulePacks        query.RulePacksHandler
}

// NewApplication builds the handlers over store, authorizing with e and
// reading the clock of a (tests set it); it also wires a's admission of
// applications to the AdmitResidency command.
func NewApplication(store *adapters.Store, e *authz.Enforcer, log *slog.Logger, a *app.App) Application {
	now := func() time.Time { return a.Now() }
	res := adapters.NewResidencies(store, now)
	reads := adapters.NewReads(store)
	promotions, offers := adapters.NewPromotions(store), adapters.NewEnrolmentOffers(store)
	companies, members := adapters.NewCompanies(store), adapters.NewMemberships(store)
	reports, ladder := adapters.NewMetricReports(store), adapters.NewLadderEntries(store)
	out := Application{
		reads: reads,
		Commands: Commands{
			RegisterCompany:  command.NewRegisterCompanyHandler(companies, members, e, log, now),
			UpdateCompany:    command.NewUpdateCompanyHandler(companies, e, now),
			LinkUSCC:         command.NewLinkUSCCHandler(companies, e, now),
			InviteMember:     command.NewInviteMemberHandler(members, e, now),
			AcceptMembership: command.NewAcceptMembershipHandler(members, e, log, now),
			RemoveMember:     command.NewRemoveMemberHandler(members, e, log, now),

			SubmitReport:     command.NewSubmitReportHandler(reports, e, now),
			ReviseReport:     command.NewReviseReportHandler(reports, e, now),
			ReviewReport:     command.NewReviewReportHandler(reports, e, now),
			RecordLadderStep: command.NewRecordLadderStepHandler(ladder, e, now),
			VerifyLadderStep: command.NewVerifyLadderStepHandler(ladder, e, now),

			AdmitResidency:  command.NewAdmitResidencyHandler(res, now),
			MoveIn:          command.NewMoveInHandler(res, e, now),
			EndResidency:    command.NewEndResidencyHandler(res, e, now),
			AcceptPromotion: command.NewAcceptPromotionHandler(res, promotions, e, now),
			AcceptEnrolment: command.NewAcceptEnrolmentHandler(res, offers, e, now),

			ProposePromotion: command.NewProposePromotionHandler(res, promotions, e, now),
			ConsentPromotion: command.NewConsentPromotionHandler(res, promotions, e, now),

			OfferEnrolment:    command.NewOfferEnrolmentHandler(res, offers, e, now),
			DeclineEnrolment:  command.NewDeclineEnrolmentHandler(res, offers, e, now),
			WithdrawEnrolment: command.NewWithdrawEnrolmentHandler(res, offers, e, now),

			PublishRulePack: command.NewPublishRulePackHandler(res, adapters.NewRulePacks(store, now), e, now),
		},
		Queries: Queries{
			GetCompany:    query.NewGetCompanyHandler(reads, e),
			ListCompanies: query.NewListCompaniesHandler(reads, e),
			MyCompanies:   query.NewMyCompaniesHandler(reads),
			ListMembers:   query.NewListMembersHandler(reads, e),
			CompanyRoles:  query.NewCompanyRolesHandler(reads),

			GetReport:      query.NewGetReportHandler(reads, e),
			ListReports:    query.NewListReportsHandler(reads, e),
			CarrierReports: query.NewCarrierReportsHandler(reads, e, now),
			ListLadder:     query.NewListLadderHandler(reads, e),

			GetResidency:    query.NewGetResidencyHandler(reads, e, now),
			ListResidencies: query.NewListResidenciesHandler(reads, e),
			CompanyChain:    query.NewCompanyChainHandler(reads, e),

			GetPromotion:     query.NewGetPromotionHandler(reads, e),
			PromotionTargets: query.NewPromotionTargetsHandler(reads, e),
			EnrolmentOffers:  query.NewEnrolmentOffersHandler(reads, e),
			RulePacks:        query.NewRulePacksHandler(reads, e),
		},
	}
	a.SetAdmissions(out.Commands.AdmitResidency)
	return out
}

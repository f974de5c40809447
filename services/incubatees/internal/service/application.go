// Package service builds the incubatees use cases in one place: the
// command and query handlers over their repositories (wild-workouts'
// service.NewApplication).
package service

import (
	"log/slog"

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

	CreateIntakeCall         command.CreateIntakeCallHandler
	UpdateIntakeCall         command.UpdateIntakeCallHandler
	OpenIntakeCall           command.MoveIntakeCallHandler
	CloseIntakeCall          command.MoveIntakeCallHandler
	Apply                    command.ApplyHandler
	UpdateApplicationAnswers command.UpdateApplicationAnswersHandler
	SubmitApplication        command.SubmitApplicationHandler
	WithdrawApplication      command.WithdrawApplicationHandler
	ReviewApplication        command.ReviewApplicationHandler
	DecideApplication        command.DecideApplicationHandler
	DecideApplications       command.DecideApplicationsHandler

	SubmitReport     command.SubmitReportHandler
	ReviseReport     command.ReviseReportHandler
	ReviewReport     command.ReviewReportHandler
	RecordLadderStep command.RecordLadderStepHandler
	VerifyLadderStep command.VerifyLadderStepHandler
	RejectLadderStep command.RejectLadderStepHandler

	AdmitResidency   command.AdmitResidencyHandler
	MoveIn           command.MoveInHandler
	EndResidency     command.EndResidencyHandler
	AcceptPromotion  command.AcceptPromotionHandler
	DeclinePromotion command.DeclinePromotionHandler
	AcceptEnrolment  command.AcceptEnrolmentHandler

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

	GetIntakeCall       query.GetIntakeCallHandler
	CarrierIntakeCalls  query.CarrierIntakeCallsHandler
	RegionIntakeCalls   query.RegionIntakeCallsHandler
	GetApplication      query.GetApplicationHandler
	CarrierApplications query.CarrierApplicationsHandler
	CompanyApplications query.CompanyApplicationsHandler

	GetReport      query.GetReportHandler
	ListReports    query.ListReportsHandler
	CarrierReports query.CarrierReportsHandler
	ListLadder     query.ListLadderHandler

	GetResidency    query.GetResidencyHandler
	ListResidencies query.ListResidenciesHandler
	CompanyChain    query.CompanyChainHandler

	GetPromotion     query.GetPromotionHandler
	PromotionTargets query.PromotionTargetsHandler
	// IncomingPromotions is the receiving carrier's inbox and its count.
	IncomingPromotions query.IncomingPromotionsHandler
	EnrolmentOffers    query.EnrolmentOffersHandler
	RulePacks          query.RulePacksHandler
}

// NewApplication builds the handlers over store, authorizing with e and
// reading clock (tests set it).
func NewApplication(store *adapters.Store, e *authz.Enforcer, log *slog.Logger, clock *app.Clock) Application {
	now := clock.Now
	res := adapters.NewResidencies(store, now)
	reads := adapters.NewReads(store)
	promotions, offers := adapters.NewPromotions(store), adapters.NewEnrolmentOffers(store)
	companies, members := adapters.NewCompanies(store), adapters.NewMemberships(store)
	reports, ladder := adapters.NewMetricReports(store), adapters.NewLadderEntries(store)
	calls, apps := adapters.NewIntakeCalls(store), adapters.NewApplications(store)
	admit := command.NewAdmitResidencyHandler(res, now)
	out := Application{
		reads: reads,
		Commands: Commands{
			RegisterCompany:  command.NewRegisterCompanyHandler(companies, members, e, log, now),
			UpdateCompany:    command.NewUpdateCompanyHandler(companies, e, now),
			LinkUSCC:         command.NewLinkUSCCHandler(companies, e, now),
			InviteMember:     command.NewInviteMemberHandler(members, e, now),
			AcceptMembership: command.NewAcceptMembershipHandler(members, e, log, now),
			RemoveMember:     command.NewRemoveMemberHandler(members, e, log, now),

			CreateIntakeCall:         command.NewCreateIntakeCallHandler(calls, e, now),
			UpdateIntakeCall:         command.NewUpdateIntakeCallHandler(calls, e, now),
			OpenIntakeCall:           command.NewOpenIntakeCallHandler(calls, e, now),
			CloseIntakeCall:          command.NewCloseIntakeCallHandler(calls, e, now),
			Apply:                    command.NewApplyHandler(apps, e, now),
			UpdateApplicationAnswers: command.NewUpdateApplicationAnswersHandler(apps, e, now),
			SubmitApplication:        command.NewSubmitApplicationHandler(apps, e, now),
			WithdrawApplication:      command.NewWithdrawApplicationHandler(apps, e, now),
			ReviewApplication:        command.NewReviewApplicationHandler(apps, e, now),
			DecideApplication:        command.NewDecideApplicationHandler(apps, admit, e, now),
			DecideApplications:       command.NewDecideApplicationsHandler(apps, admit, e, now),

			SubmitReport:     command.NewSubmitReportHandler(reports, e, now),
			ReviseReport:     command.NewReviseReportHandler(reports, e, now),
			ReviewReport:     command.NewReviewReportHandler(reports, e, now),
			RecordLadderStep: command.NewRecordLadderStepHandler(ladder, e, now),
			VerifyLadderStep: command.NewVerifyLadderStepHandler(ladder, e, now),
			RejectLadderStep: command.NewRejectLadderStepHandler(ladder, e, now),

			AdmitResidency:   admit,
			MoveIn:           command.NewMoveInHandler(res, e, now),
			EndResidency:     command.NewEndResidencyHandler(res, e, now),
			AcceptPromotion:  command.NewAcceptPromotionHandler(res, promotions, e, now),
			DeclinePromotion: command.NewDeclinePromotionHandler(res, promotions, e, now),
			AcceptEnrolment:  command.NewAcceptEnrolmentHandler(res, offers, e, now),

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

			GetIntakeCall:       query.NewGetIntakeCallHandler(reads, e),
			CarrierIntakeCalls:  query.NewCarrierIntakeCallsHandler(reads, e),
			RegionIntakeCalls:   query.NewRegionIntakeCallsHandler(reads, e, now),
			GetApplication:      query.NewGetApplicationHandler(reads, e),
			CarrierApplications: query.NewCarrierApplicationsHandler(reads, e),
			CompanyApplications: query.NewCompanyApplicationsHandler(reads, e),

			GetReport:      query.NewGetReportHandler(reads, e),
			ListReports:    query.NewListReportsHandler(reads, e),
			CarrierReports: query.NewCarrierReportsHandler(reads, e, now),
			ListLadder:     query.NewListLadderHandler(reads, e),

			GetResidency:    query.NewGetResidencyHandler(reads, e, now),
			ListResidencies: query.NewListResidenciesHandler(reads, e),
			CompanyChain:    query.NewCompanyChainHandler(reads, e),

			GetPromotion:       query.NewGetPromotionHandler(reads, e),
			PromotionTargets:   query.NewPromotionTargetsHandler(reads, e),
			IncomingPromotions: query.NewIncomingPromotionsHandler(reads, e),
			EnrolmentOffers:    query.NewEnrolmentOffersHandler(reads, e),
			RulePacks:          query.NewRulePacksHandler(reads, e),
		},
	}
	return out
}

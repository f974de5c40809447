// Package incubatees is the incubatees service: companies and their
// members, intake calls and applications, residencies and the chain, rule
// packs, the cultivation ladder and periodic metric reports. It keeps
// copies of parks' regions, carriers and users from their events, follows
// the documents service's events into applications' material slots, and
// owns company membership, which it publishes as role assignments.
package incubatees

import (
	"context"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/calendar"
	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/pkg/platform"
	"github.com/incuchain/incuchain/services/incubatees/internal/adapters"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
	"github.com/incuchain/incuchain/services/incubatees/internal/ports"
	"github.com/incuchain/incuchain/services/incubatees/internal/service"
	"github.com/incuchain/incuchain/services/incubatees/migrations"
)

// Config is the incubatees service's own settings.
type Config struct {
	platform.Home `cfg:"INCUBATEES_" name:"incubatees" addr:"127.0.0.1:8082"`
}

// Deps are what the service takes from the process it runs in: Bus,
// Signer and Log.
type Deps = platform.Deps

// Service is a running incubatees service: the shared skeleton (Handler,
// Routes, Run) around incubatees' use cases.
type Service struct {
	*platform.Service
	cq    service.Application
	clock *app.Clock
	store *adapters.Store // fixtures in tests write through it
}

// New opens the database, migrates it and builds the service. Run
// consumes parks', documents' and milestones' events once their owners
// have declared their streams; company membership is incubatees' own role
// source.
func New(ctx context.Context, cfg Config, d Deps) (*Service, error) {
	ps, err := platform.NewService(ctx, platform.ServiceSpec{Name: "incubatees", DB: cfg.DBConfig(), Migrations: migrations.Set,
		Deps: d, Texts: ports.Messages})
	if err != nil {
		return nil, err
	}
	store := adapters.NewStore(ps.DB, ps.Relay.Notify)
	clock := app.NewClock()
	cq := service.NewApplication(store, ps.Enforcer, d.Log, clock)
	ps.Mount(func(r gin.IRouter) *httpx.OpenAPI { return ports.Mount(r, cq, clock) })
	ps.FollowRoles(cq.Queries.CompanyRoles.Handle)
	ps.Consume(
		func(ctx context.Context) (func(), error) { return ports.ConsumeParks(ctx, ps.Bus, ps.DB, clock, d.Log) },
		func(ctx context.Context) (func(), error) {
			return ports.ConsumeDocuments(ctx, ps.Bus, ps.DB, clock, d.Log)
		},
		func(ctx context.Context) (func(), error) { return ports.ConsumeMilestones(ctx, ps.Bus, ps.DB, d.Log) })
	return &Service{Service: ps, cq: cq, clock: clock, store: store}, nil
}

// DemoUSCC is the demo startup's 统一社会信用代码 (valid check character).
const DemoUSCC = "91370102MA3C5T2R03"

// SeedDemo registers the demo startup of 历下区 for the demo founder, and
// opens an intake call at 历下创客空间 that asks for two materials, so the
// founder can apply (and upload) right away.
func (s *Service) SeedDemo(ctx context.Context) error {
	founded := time.Date(2025, 3, 18, 0, 0, 0, 0, time.UTC)
	err := s.cq.SeedCompany(ctx, "lixia", "founder@lixia.demo", DemoUSCC, domain.CompanyFields{
		NameZH: "济南明湖智能科技有限公司", NameEN: "Jinan Minghu Intelligent Technology Co., Ltd.", IndustryCode: "I6511",
		TechField: "人工智能", FoundedOn: &founded, FounderType: "researcher", FounderGender: "female",
		ContactName: "陈总", ContactPhone: "0531-88888888", ContactEmail: "founder@lixia.demo",
	}, 30*time.Second)
	if err != nil {
		return err
	}
	today := calendar.Today(time.Now())
	return s.cq.SeedIntakeCall(ctx, s.Enforcer, "lixia", "maker_space", "maker@lixia.demo", domain.CallFields{
		TitleZH: "历下创客空间 常年入驻招募（演示）", TitleEN: "Lixia Maker Space rolling intake (demo)",
		OpensOn: today, ClosesOn: today.AddDate(0, 6, 0), Capacity: 30,
		Eligibility: "成立不满 24 个月的科技型团队或企业",
		Materials:   []string{"business_licence", "business_plan"},
		Questions: []domain.Question{{Key: "team_size", LabelZH: "团队人数", LabelEN: "Team size", Type: domain.QNumber, Required: true},
			{Key: "project", LabelZH: "项目简介", LabelEN: "Project summary", Type: domain.QText, Required: true}},
	}, 30*time.Second)
}

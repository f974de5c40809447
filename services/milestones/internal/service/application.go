// Package service builds the milestones use cases in one place: the
// command and query handlers over the store (wild-workouts'
// service.NewApplication).
package service

import (
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/services/milestones/internal/app"
	"github.com/incuchain/incuchain/services/milestones/internal/app/command"
	"github.com/incuchain/incuchain/services/milestones/internal/app/query"
)

// Application is every use case of the service.
type Application struct {
	Commands Commands
	Queries  query.Handlers
	Store    app.Store
	Now      app.Clock
}

// Commands change state.
type Commands struct {
	ApplyTemplate command.ApplyTemplateHandler
	AdjustPlan    command.AdjustPlanHandler
	PostProgress  command.PostProgressHandler
	Transition    command.TransitionHandler
	PutTemplate   command.PutTemplateHandler
	ScanDeadlines command.ScanDeadlinesHandler
}

// Settings are what the use cases are tuned with.
type Settings struct {
	DueSoonDays int // how many days ahead a due-soon reminder goes out
}

// NewApplication builds every handler over store with e and the clock now.
func NewApplication(store app.Store, e *authz.Enforcer, now app.Clock, s Settings) Application {
	return Application{
		Commands: Commands{
			ApplyTemplate: command.NewApplyTemplateHandler(store, e, now),
			AdjustPlan:    command.NewAdjustPlanHandler(store, e, now),
			PostProgress:  command.NewPostProgressHandler(store, e, now),
			Transition:    command.NewTransitionHandler(store, e, now),
			PutTemplate:   command.NewPutTemplateHandler(store, e, now),
			ScanDeadlines: command.NewScanDeadlinesHandler(store, now, s.DueSoonDays, 200),
		},
		Queries: query.New(store, e, now),
		Store:   store,
		Now:     now,
	}
}

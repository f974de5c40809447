// Package modules wires Incuchain's components as a dependency graph, the
// way Grafana Mimir and Loki do: each component has a name, the names it
// depends on, and an init function. A target ("all", "parks", …) selects
// components; their dependencies come along. One process can run every
// service (all-in-one) or just one, with the same code.
package modules

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
)

// Service is what an initialised component runs until ctx ends. Run
// returning a non-nil error stops the whole process cleanly.
type Service interface {
	Run(ctx context.Context) error
}

// RunFunc adapts a function to Service.
type RunFunc func(ctx context.Context) error

// Run implements Service.
func (f RunFunc) Run(ctx context.Context) error { return f(ctx) }

// Module is one named component.
type Module struct {
	Name string
	Deps []string
	// Init builds the component; it may return a nil Service for
	// components that only provide values to others.
	Init func(ctx context.Context) (Service, error)
	// Public modules can be named as a -target.
	Public bool
}

// Manager holds the graph.
type Manager struct {
	mu      sync.Mutex
	modules map[string]Module
	ready   map[string]bool
	log     *slog.Logger
}

// New returns an empty graph.
func New(log *slog.Logger) *Manager {
	return &Manager{modules: map[string]Module{}, ready: map[string]bool{}, log: log}
}

// Register adds a module; a second module of the same name is an error.
func (m *Manager) Register(mod Module) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, dup := m.modules[mod.Name]; dup {
		return fmt.Errorf("module %q registered twice", mod.Name)
	}
	m.modules[mod.Name] = mod
	return nil
}

// Targets lists the public module names.
func (m *Manager) Targets() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for n, mod := range m.modules {
		if mod.Public {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// Order returns the modules needed for targets, dependencies first.
func (m *Manager) Order(targets ...string) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var order []string
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(name string, path []string) error
	visit = func(name string, path []string) error {
		mod, ok := m.modules[name]
		if !ok {
			return fmt.Errorf("unknown module %q (needed by %v)", name, path)
		}
		switch state[name] {
		case 1:
			return fmt.Errorf("dependency cycle: %v -> %s", path, name)
		case 2:
			return nil
		}
		state[name] = 1
		deps := append([]string(nil), mod.Deps...)
		sort.Strings(deps)
		for _, d := range deps {
			if err := visit(d, append(path, name)); err != nil {
				return err
			}
		}
		state[name] = 2
		order = append(order, name)
		return nil
	}
	for _, t := range targets {
		if err := visit(t, nil); err != nil {
			return nil, err
		}
	}
	return order, nil
}

// Run initialises the targets' modules in dependency order and runs their
// services until ctx ends or one fails; then every service is stopped and
// Run returns the first failure.
func (m *Manager) Run(ctx context.Context, targets ...string) error {
	order, err := m.Order(targets...)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var wg sync.WaitGroup
	var firstErr error
	var once sync.Once
	fail := func(err error) {
		once.Do(func() { firstErr = err; cancel(err) })
	}
	for _, name := range order {
		mod := m.modules[name]
		var svc Service
		if mod.Init != nil {
			if svc, err = mod.Init(ctx); err != nil {
				fail(fmt.Errorf("init module %s: %w", name, err))
				break
			}
		}
		m.mu.Lock()
		m.ready[name] = true
		m.mu.Unlock()
		m.log.Debug("module started", "module", name)
		if svc == nil {
			continue
		}
		wg.Add(1)
		go func(name string, svc Service) {
			defer wg.Done()
			err := svc.Run(ctx)
			if ctx.Err() != nil && (err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
				return // stopped because asked to (cancel or the parent's deadline)
			}
			if err != nil {
				fail(fmt.Errorf("module %s: %w", name, err))
				return
			}
			fail(fmt.Errorf("module %s stopped unexpectedly", name))
		}(name, svc)
	}
	<-ctx.Done()
	wg.Wait()
	return firstErr
}

// Ready reports whether every module of the running targets is up.
func (m *Manager) Ready(names ...string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, n := range names {
		if !m.ready[n] {
			return fmt.Errorf("module %s not ready", n)
		}
	}
	return nil
}

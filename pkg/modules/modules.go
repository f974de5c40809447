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
	// After names modules this one starts after when they are part of
	// the same run, without pulling them in: the gateway takes the
	// in-process services that run with it and reaches the others by URL.
	After []string
	// Public modules can be named as a -target; Help says what they run.
	Public bool
	Help   string
}

// State is where a module of the running targets is.
type State string

const (
	Waiting  State = "waiting"  // its dependencies are still starting
	Starting State = "starting" // Init is running
	Running  State = "running"  // initialised; its service, if any, runs
	Failed   State = "failed"   // Init or its service failed
	Stopped  State = "stopped"  // its service returned
)

// Status is one module's state, with the failure when it failed.
type Status struct {
	Name   string
	State  State
	Reason string
}

// Manager holds the graph.
type Manager struct {
	mu      sync.Mutex
	modules map[string]Module
	status  map[string]Status
	log     *slog.Logger
}

// New returns an empty graph.
func New(log *slog.Logger) *Manager {
	return &Manager{modules: map[string]Module{}, status: map[string]Status{}, log: log}
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

// Order returns the modules needed for targets, dependencies first; a
// module also comes after the modules of its After that are needed.
func (m *Manager) Order(targets ...string) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	needed := map[string]bool{}
	var need func(name string, path []string) error
	need = func(name string, path []string) error {
		mod, ok := m.modules[name]
		if !ok {
			return fmt.Errorf("unknown module %q (needed by %v)", name, path)
		}
		if needed[name] {
			return nil
		}
		needed[name] = true
		for _, d := range mod.Deps {
			if err := need(d, append(path, name)); err != nil {
				return err
			}
		}
		return nil
	}
	for _, t := range targets {
		if err := need(t, nil); err != nil {
			return nil, err
		}
	}
	var order []string
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(name string, path []string) error
	visit = func(name string, path []string) error {
		mod := m.modules[name]
		switch state[name] {
		case 1:
			return fmt.Errorf("dependency cycle: %v -> %s", path, name)
		case 2:
			return nil
		}
		state[name] = 1
		deps := append([]string(nil), mod.Deps...)
		for _, a := range mod.After {
			if needed[a] {
				deps = append(deps, a)
			}
		}
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
	m.mu.Lock()
	for _, name := range order {
		m.status[name] = Status{Name: name, State: Waiting}
	}
	m.mu.Unlock()
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
			m.set(name, Starting, "")
			if svc, err = mod.Init(ctx); err != nil {
				m.set(name, Failed, err.Error())
				fail(fmt.Errorf("init module %s: %w", name, err))
				break
			}
		}
		m.set(name, Running, "")
		m.log.Debug("module started", "module", name)
		if svc == nil {
			continue
		}
		wg.Add(1)
		go func(name string, svc Service) {
			defer wg.Done()
			err := svc.Run(ctx)
			if ctx.Err() != nil && (err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
				m.set(name, Stopped, "")
				return // stopped because asked to (cancel or the parent's deadline)
			}
			if err != nil {
				m.set(name, Failed, err.Error())
				fail(fmt.Errorf("module %s: %w", name, err))
				return
			}
			m.set(name, Stopped, "stopped unexpectedly")
			fail(fmt.Errorf("module %s stopped unexpectedly", name))
		}(name, svc)
	}
	<-ctx.Done()
	wg.Wait()
	return firstErr
}

func (m *Manager) set(name string, state State, reason string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.status[name] = Status{Name: name, State: state, Reason: reason}
}

// Status returns the state of module name in the current run.
func (m *Manager) Status(name string) Status {
	m.mu.Lock()
	defer m.mu.Unlock()
	if s, ok := m.status[name]; ok {
		return s
	}
	return Status{Name: name, State: Waiting}
}

// Ready reports whether every named module is up: initialised, and its
// service (if it has one) running. The error names the first module that
// is not, with its state and the reason it failed.
func (m *Manager) Ready(names ...string) error {
	for _, n := range names {
		switch s := m.Status(n); {
		case s.State == Running:
		case s.Reason != "":
			return fmt.Errorf("%s: %s: %s", n, s.State, s.Reason)
		default:
			return fmt.Errorf("%s: %s", n, s.State)
		}
	}
	return nil
}

package ports

// Routes of the areas still to come; each area replaces its function here
// with its own file (intake.go, residency.go, reports.go).

func (h *HTTP) intakeRoutes() []route    { return nil }
func (h *HTTP) residencyRoutes() []route { return nil }
func (h *HTTP) reportRoutes() []route    { return nil }

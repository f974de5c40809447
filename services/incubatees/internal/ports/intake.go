package ports

func (h *HTTP) intakeRoutes() []route { return nil }

package ports

func (h *HTTP) reportRoutes() []route { return nil }
